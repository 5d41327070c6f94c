import { revokeTokenInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { revokedOutputSchema } from '../../wire/index.js';

export const revokeToken = protectedProcedure
  .meta({ openapi: { method: 'DELETE', path: '/v1/tokens/{id}', tags: ['tokens'], summary: 'Revoke one of your tokens', protect: true } })
  .input(revokeTokenInputSchema)
  .output(revokedOutputSchema)
  .mutation(async ({ ctx, input }) => ({ revoked: await ctx.app.tokens.revoke(ctx.user, input.id) }));
