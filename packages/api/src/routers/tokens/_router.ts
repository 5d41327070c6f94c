import {
  createTokenInputSchema,
  createdTokenSchema,
  revokeTokenInputSchema,
  revokedOutputSchema,
  tokenSchema,
  type TokenInfo,
} from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure, router } from '../../trpc.js';

const DAY_MS = 24 * 60 * 60_000;
const view = (token: TokenInfo, currentId: number) => ({
  id: token.id,
  name: token.name,
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt?.toISOString() ?? null,
  current: token.id === currentId,
});

/** The caller's own API tokens: the secret is shown once, at creation; revoking stops it at once. */
export const tokensRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/v1/tokens', tags: ['tokens'], summary: 'Your API tokens (never their secrets)', protect: true } })
    .input(z.strictObject({}).optional())
    .output(z.array(tokenSchema))
    .query(async ({ ctx }) => (await ctx.services.auth.listTokens(ctx.user.id)).map((token) => view(token, ctx.tokenId))),
  create: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/v1/tokens', tags: ['tokens'], summary: 'Create an API token: the secret is shown once', protect: true } })
    .input(createTokenInputSchema)
    .output(createdTokenSchema)
    .mutation(async ({ ctx, input }) => {
      const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
      const issued = await ctx.services.auth.issueToken(ctx.user.id, input.name, expiresAt);
      return { ...view(issued, ctx.tokenId), token: issued.token };
    }),
  revoke: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/v1/tokens/{id}', tags: ['tokens'], summary: 'Revoke one of your tokens', protect: true } })
    .input(revokeTokenInputSchema)
    .output(revokedOutputSchema)
    .mutation(async ({ ctx, input }) => ({ revoked: await ctx.services.auth.revokeToken(ctx.user.id, input.id) })),
});
