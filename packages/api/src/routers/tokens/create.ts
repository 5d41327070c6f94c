import { createTokenInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { createdTokenSchema, toTokenView } from '../../wire/index.js';

export const createToken = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/tokens',
      tags: ['tokens'],
      summary: 'Create an API token: the secret is shown once',
      protect: true,
    },
  })
  .input(createTokenInputSchema)
  .output(createdTokenSchema)
  .mutation(async ({ ctx, input }) => {
    const issued = await ctx.app.tokens.create(ctx.user, input.name, input.expiresInDays);
    return { ...toTokenView(issued, ctx.tokenId), token: issued.token };
  });
