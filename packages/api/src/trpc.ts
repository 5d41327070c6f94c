import { initTRPC } from '@trpc/server';
import { ForbiddenError, isDomainError, type UserActor } from '@metalyard/domain';
import { accessOf } from './access.js';
import type { Context } from './context.js';
import { currentRequestId, formatError, toTRPCError } from './errors.js';
import { authenticate, bearerToken } from './middleware/authenticate.js';
import type { OpenApiMeta } from './openapi-meta.js';

/** tRPC, initialised once. No transformer: plain JSON on the wire, so curl and any HTTP client can speak it. */
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    isDev: false,
    errorFormatter: ({ shape, error, ctx }) => formatError(shape, error, ctx?.requestId ?? currentRequestId()),
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown anywhere below become the tRPC error their kind maps to (errors.ts). */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

/** The anonymous door: public and machine procedures spend the caller's rate-limit budget. */
const limitAnonymousCalls = t.middleware(({ ctx, path, next }) => {
  ctx.request.procedures.push(path);
  const access = accessOf(path);
  if (access === 'public' || access === 'machine') ctx.anonymousLimiter?.take(ctx.clientAddress);
  return next();
});

/** Anyone, including a machine enlisting itself. */
export const publicProcedure = t.procedure.use(mapDomainErrors).use(limitAnonymousCalls);

/**
 * A signed-in user, allowed by the ACCESS table: `user` procedures take any user, `admin` ones
 * only admins, and a procedure the table does not name is refused to everyone.
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next, path }) => {
  const session = await authenticate(ctx);
  const access = accessOf(path);
  if (access !== 'user' && access !== 'admin') throw new ForbiddenError(`procedure ${path} is not open to users`);
  if (access === 'admin' && session.user.role !== 'admin') throw new ForbiddenError(`user '${session.user.username}' is not an admin`);
  ctx.request.user = session.user.username;
  const actor: UserActor = { kind: 'user', user: session.user };
  return next({ ctx: { ...ctx, user: session.user, tokenId: session.tokenId, actor } });
});

/** A machine reporting on itself: the per-node token, which the use case checks against the node. */
export const machineProcedure = publicProcedure.use(async ({ ctx, next, path }) => {
  if (accessOf(path) !== 'machine') throw new ForbiddenError(`procedure ${path} is not open to machines`);
  return next({ ctx: { ...ctx, machineToken: bearerToken(ctx) } });
});
