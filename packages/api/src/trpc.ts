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

/**
 * A procedure whose one middleware notes the call for the request log, spends the anonymous door's
 * budget for public and machine procedures, then runs `admit` — which refuses the caller or says
 * what the context gains — and maps every domain error, its own or one from below, to the tRPC
 * error its kind maps to (errors.ts).
 */
function procedureAdmitting<Extra extends object>(admit: (ctx: Context, path: string) => Extra | Promise<Extra>) {
  return t.procedure.use(async ({ ctx, path, next }) => {
    let extra: Extra;
    try {
      ctx.request.procedures.push(path);
      const access = accessOf(path);
      if (access === 'public' || access === 'machine') ctx.anonymousLimiter?.take(ctx.clientAddress);
      extra = await admit(ctx, path);
    } catch (error) {
      throw isDomainError(error) ? toTRPCError(error) : error;
    }
    const result = await next({ ctx: { ...ctx, ...extra } });
    // Returned, not thrown: the same failed result with the mapped error (a throw costs a catch above).
    if (!result.ok && isDomainError(result.error.cause)) return { ...result, error: toTRPCError(result.error.cause) };
    return result;
  });
}

/** Anyone, including a machine enlisting itself. */
export const publicProcedure = procedureAdmitting(() => ({}));

/**
 * A signed-in user, allowed by the ACCESS table: `user` procedures take any user, `admin` ones
 * only admins, and a procedure the table does not name is refused to everyone.
 */
export const protectedProcedure = procedureAdmitting(async (ctx, path) => {
  const session = await authenticate(ctx);
  const access = accessOf(path);
  if (access !== 'user' && access !== 'admin') throw new ForbiddenError(`procedure ${path} is not open to users`);
  if (access === 'admin' && session.user.role !== 'admin') throw new ForbiddenError(`user '${session.user.username}' is not an admin`);
  ctx.request.user = session.user.username;
  const actor: UserActor = { kind: 'user', user: session.user };
  return { user: session.user, tokenId: session.tokenId, actor };
});

/** A machine reporting on itself: the per-node token, which the use case checks against the node. */
export const machineProcedure = procedureAdmitting((ctx, path) => {
  if (accessOf(path) !== 'machine') throw new ForbiddenError(`procedure ${path} is not open to machines`);
  return { machineToken: bearerToken(ctx) };
});
