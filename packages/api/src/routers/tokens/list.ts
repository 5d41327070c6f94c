import { noInputSchema } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';
import { tokenSchema, toTokenView } from '../../wire/index.js';

export const listTokens = protectedProcedure
  .meta({
    openapi: { method: 'GET', path: '/v1/tokens', tags: ['tokens'], summary: 'Your API tokens (never their secrets)', protect: true },
  })
  .input(noInputSchema)
  .output(z.array(tokenSchema))
  .query(async ({ ctx }) => (await ctx.app.tokens.list(ctx.user)).map((token) => toTokenView(token, ctx.tokenId)));
