import { updateNodeInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

/** Hostname and tags (owner or admin); power type and parameters, zone and pool (admin). */
export const updateNode = protectedProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/v1/nodes/{systemId}',
      tags: ['nodes'],
      summary: 'Change hostname, tags, power, zone or pool',
      protect: true,
    },
  })
  .input(updateNodeInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => toNodeView(await ctx.app.nodes.update(input, ctx.actor), ctx.user));
