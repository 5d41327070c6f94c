import { noInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { revokedOutputSchema } from '../../wire/index.js';

/** Revokes the token the request came with. */
export const logout = protectedProcedure
  .meta({
    openapi: { method: 'POST', path: '/v1/auth/logout', tags: ['auth'], summary: 'Revoke the token this request came with', protect: true },
  })
  .input(noInputSchema)
  .output(revokedOutputSchema)
  .mutation(async ({ ctx }) => ({ revoked: await ctx.app.tokens.revoke(ctx.user, ctx.tokenId) }));
