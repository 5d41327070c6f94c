import { acquireInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

/**
 * Atomically takes the first ready node matching every constraint given; the caller becomes its
 * owner. When none matches, the 409 says which constraint eliminated the candidates.
 */
export const acquireNode = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/acquire',
      tags: ['nodes'],
      summary: 'Take a ready node matching the constraints: ready → allocated',
      protect: true,
    },
  })
  .input(acquireInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => toNodeView(await ctx.app.nodes.acquire(input, ctx.actor), ctx.user));
