import { listNodesInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodePageSchema, toNodeView } from '../../wire/index.js';

/**
 * A page of nodes in a stable order (keyset pagination: pass `nextCursor` back for the next one),
 * with every filter ANDed, and the count per status under the same filters for filter chips.
 */
export const listNodes = protectedProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/v1/nodes',
      tags: ['nodes'],
      summary: 'A page of nodes, filtered, with counts per status',
      protect: true,
    },
  })
  .input(listNodesInputSchema)
  .output(nodePageSchema)
  .query(async ({ ctx, input }) => {
    const page = await ctx.app.nodes.list(input);
    return { items: page.items.map((node) => toNodeView(node, ctx.user)), nextCursor: page.nextCursor, counts: page.counts };
  });
