import { loginInputSchema } from '@metalyard/domain';
import { publicProcedure } from '../../trpc.js';
import { loginOutputSchema } from '../../wire/index.js';

/** Username and password → a session token that expires after 12 hours. Failed logins are throttled. */
export const login = publicProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/auth/login',
      tags: ['auth'],
      summary: 'Username and password → a 12-hour session token',
      protect: false,
    },
  })
  .input(loginInputSchema)
  .output(loginOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const { session, user } = await ctx.app.auth.login(input.username, input.password, ctx.clientAddress);
    ctx.request.user = user.username;
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: { username: user.username, role: user.role } };
  });
