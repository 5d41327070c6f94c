import { listNodesInputSchema, nodePageSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toNodeView } from '../../views.js';

/** A page of nodes in a stable order (keyset pagination): pass `nextCursor` back for the next one. */
export const listNodes = protectedProcedure
  .input(listNodesInputSchema)
  .output(nodePageSchema)
  .query(async ({ ctx, input }) => {
    const page = await ctx.services.nodes.list(input);
    return { items: page.items.map((node) => toNodeView(node, ctx.user)), nextCursor: page.nextCursor };
  });
