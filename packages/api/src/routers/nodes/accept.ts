import { acceptInputSchema, acceptOutputSchema } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';

/**
 * declared → ready (or commissioning), all or nothing. Already ready nodes are left alone and not
 * listed as accepted. With commissioning on, each accepted node's per-node token comes back once.
 */
export const acceptNodes = protectedProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/nodes/accept', tags: ['nodes'], summary: 'Accept declared nodes (admin): declared → ready, all or nothing', protect: true } })
  .input(acceptInputSchema)
  .output(acceptOutputSchema)
  .mutation(async ({ ctx, input }) => withTokens(await ctx.services.nodes.accept(input.systemIds, ctx.actor)));

/** Every declared node. */
export const acceptAllNodes = protectedProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/nodes/accept-all', tags: ['nodes'], summary: 'Accept every declared node (admin)', protect: true } })
  .input(z.strictObject({}).optional())
  .output(acceptOutputSchema)
  .mutation(async ({ ctx }) => withTokens(await ctx.services.nodes.accept('all', ctx.actor)));

function withTokens(result: { accepted: string[]; machineTokens: Record<string, string> }) {
  return Object.keys(result.machineTokens).length ? result : { accepted: result.accepted };
}
