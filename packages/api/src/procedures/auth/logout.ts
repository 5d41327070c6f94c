import { revokedOutputSchema } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';

/** Revokes the token the request came with. */
export const logout = protectedProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/auth/logout', tags: ['auth'], summary: 'Revoke the token this request came with', protect: true } })
  .input(z.strictObject({}).optional())
  .output(revokedOutputSchema)
  .mutation(async ({ ctx }) => ({ revoked: await ctx.services.auth.revokeToken(ctx.user.id, ctx.tokenId) }));
