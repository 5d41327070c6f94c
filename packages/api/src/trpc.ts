import { initTRPC } from '@trpc/server';
import { ForbiddenError, UnauthenticatedError, isDomainError, type Actor, type User } from '@metalyard/domain';
import type { Context } from './context.js';
import { formatError, toTRPCError } from './errors.js';

const t = initTRPC.context<Context>().create({
  // No transformer: plain JSON on the wire, so curl and any HTTP client can speak it.
  isDev: false,
  errorFormatter: ({ shape, error }) => formatError(shape, error),
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown anywhere below become the tRPC error their kind maps to. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

/** Anyone, including a machine enlisting itself. */
export const publicProcedure = t.procedure.use(mapDomainErrors);

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/;

/** The user behind the request's bearer token, or a 401. */
async function authenticate(ctx: Context): Promise<User> {
  if (!ctx.authorization) throw new UnauthenticatedError();
  const match = BEARER.exec(ctx.authorization.trim());
  if (!match) throw new UnauthenticatedError('malformed Authorization header: expected "Bearer <token>"');
  const user = await ctx.services.auth.authenticate(match[1]!);
  if (!user) throw new UnauthenticatedError('invalid, expired or revoked token');
  return user;
}

/** A signed-in user. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const user = await authenticate(ctx);
  const actor: Actor & { kind: 'user' } = { kind: 'user', user };
  return next({ ctx: { ...ctx, user, actor } });
});

/** An admin. */
export const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new ForbiddenError(`user '${ctx.user.username}' is not an admin`);
  return next();
});
