import { initTRPC } from '@trpc/server';
import { ForbiddenError, UnauthenticatedError, isDomainError, type Session, type UserActor } from '@metalyard/domain';
import { accessOf } from './access.js';
import type { Context } from './context.js';
import { formatError, toTRPCError } from './errors.js';
import type { OpenApiMeta } from './openapi-meta.js';

const t = initTRPC.context<Context>().meta<OpenApiMeta>().create({
  // No transformer: plain JSON on the wire, so curl and any HTTP client can speak it.
  isDev: false,
  errorFormatter: ({ shape, error }) => formatError(shape, error),
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown anywhere below become the tRPC error their kind maps to. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

/** The anonymous door: public and machine procedures spend the caller's rate-limit budget. */
const limitAnonymousCalls = t.middleware(({ ctx, path, next }) => {
  const access = accessOf(path);
  if (access === 'public' || access === 'machine') ctx.services.anonymousLimiter?.take(ctx.remoteAddress);
  return next();
});

/** Anyone, including a machine enlisting itself. */
export const publicProcedure = t.procedure.use(mapDomainErrors).use(limitAnonymousCalls);

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** The token in the request's `Authorization: Bearer …` header, or a 401. */
export function bearerToken(ctx: Context): string {
  if (!ctx.authorization) throw new UnauthenticatedError();
  const match = BEARER.exec(ctx.authorization.trim());
  if (!match) throw new UnauthenticatedError('malformed Authorization header: expected "Bearer <token>"');
  return match[1]!;
}

async function authenticate(ctx: Context): Promise<Session> {
  const session = await ctx.services.auth.authenticate(bearerToken(ctx));
  if (!session) throw new UnauthenticatedError('invalid, expired or revoked token');
  return session;
}

/**
 * A signed-in user, allowed by the ACCESS table: `user` procedures take any user, `admin` ones
 * only admins, and a procedure the table does not name is refused to everyone.
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next, path }) => {
  const session = await authenticate(ctx);
  const access = accessOf(path);
  if (access !== 'user' && access !== 'admin') throw new ForbiddenError(`procedure ${path} is not open to users`);
  if (access === 'admin' && session.user.role !== 'admin') throw new ForbiddenError(`user '${session.user.username}' is not an admin`);
  const actor: UserActor = { kind: 'user', user: session.user };
  return next({ ctx: { ...ctx, user: session.user, tokenId: session.tokenId, actor } });
});

/** A machine reporting on itself: the per-node token, checked by the store against the node. */
export const machineProcedure = publicProcedure.use(async ({ ctx, next, path }) => {
  if (accessOf(path) !== 'machine') throw new ForbiddenError(`procedure ${path} is not open to machines`);
  return next({ ctx: { ...ctx, machineToken: bearerToken(ctx) } });
});
