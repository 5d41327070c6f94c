import { loginInputSchema, loginOutputSchema, UnauthenticatedError } from '@metalyard/domain';
import { publicProcedure } from '../../trpc.js';

export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

/** Username and password → a session token that expires after 12 hours. Failed logins are throttled. */
export const login = publicProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/auth/login', tags: ['auth'], summary: 'Username and password → a 12-hour session token', protect: false } })
  .input(loginInputSchema)
  .output(loginOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const { auth, loginThrottle } = ctx.services;
    loginThrottle.check(input.username, ctx.remoteAddress);
    const user = await auth.verifyPassword(input.username, input.password);
    if (!user) {
      loginThrottle.fail(input.username, ctx.remoteAddress);
      throw new UnauthenticatedError('wrong username or password');
    }
    loginThrottle.succeed(input.username);
    const session = await auth.issueToken(user.id, 'session', new Date(Date.now() + SESSION_LIFETIME_MS));
    return { token: session.token, expiresAt: session.expiresAt!.toISOString(), user: { username: user.username, role: user.role } };
  });
