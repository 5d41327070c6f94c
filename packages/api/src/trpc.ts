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

/*
 * One middleware per kind of procedure, not a chain of small ones: tRPC copies a call's options and
 * context at every level, which was a few percent of a small request.
 */

/** A domain error, thrown by a middleware itself or anywhere below it, as the tRPC error its kind maps to (errors.ts). */
function mapDomainError(error: unknown): unknown {
  return isDomainError(error) ? toTRPCError(error) : error;
}

/** What a call below a middleware ended with; a domain error's failure thrown as its tRPC error. */
function mapResult<R extends { ok: boolean; error?: { cause?: unknown } }>(result: R): R {
  if (!result.ok && isDomainError(result.error?.cause)) throw toTRPCError(result.error.cause);
  return result;
}

/** What every call does first: note the procedure for the request log; spend the anonymous door's budget. */
function enter(ctx: Context, path: string): void {
  ctx.request.procedures.push(path);
  const access = accessOf(path);
  if (access === 'public' || access === 'machine') ctx.anonymousLimiter?.take(ctx.clientAddress);
}

/** Anyone, including a machine enlisting itself. */
export const publicProcedure = t.procedure.use(async ({ ctx, path, next }) => {
  try {
    enter(ctx, path);
  } catch (error) {
    throw mapDomainError(error);
  }
  return mapResult(await next());
});

/**
 * A signed-in user, allowed by the ACCESS table: `user` procedures take any user, `admin` ones
 * only admins, and a procedure the table does not name is refused to everyone.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  let userContext: Context & { user: UserActor['user']; tokenId: number; actor: UserActor };
  try {
    enter(ctx, path);
    const session = await authenticate(ctx);
    const access = accessOf(path);
    if (access !== 'user' && access !== 'admin') throw new ForbiddenError(`procedure ${path} is not open to users`);
    if (access === 'admin' && session.user.role !== 'admin') throw new ForbiddenError(`user '${session.user.username}' is not an admin`);
    ctx.request.user = session.user.username;
    const actor: UserActor = { kind: 'user', user: session.user };
    userContext = { ...ctx, user: session.user, tokenId: session.tokenId, actor };
  } catch (error) {
    throw mapDomainError(error);
  }
  return mapResult(await next({ ctx: userContext }));
});

/** A machine reporting on itself: the per-node token, which the use case checks against the node. */
export const machineProcedure = t.procedure.use(async ({ ctx, next, path }) => {
  let machineToken: string;
  try {
    enter(ctx, path);
    if (accessOf(path) !== 'machine') throw new ForbiddenError(`procedure ${path} is not open to machines`);
    machineToken = bearerToken(ctx);
  } catch (error) {
    throw mapDomainError(error);
  }
  return mapResult(await next({ ctx: { ...ctx, machineToken } }));
});
