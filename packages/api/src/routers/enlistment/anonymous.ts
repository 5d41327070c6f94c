import { enlistInputSchema } from '@metalyard/domain';
import { publicProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

/**
 * Anonymous enlistment, as a PXE-booting machine does it: the node lands `declared` and waits
 * for a user to accept it, because putting it to use wipes its disks.
 */
export const anonymousEnlist = publicProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/enlist',
      tags: ['enlistment'],
      summary: 'A machine enlists itself (anonymous): the node lands declared',
      protect: false,
    },
  })
  .input(enlistInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => {
    const change = await ctx.app.nodes.enlist(input, { kind: 'anonymous', address: ctx.clientAddress });
    return toNodeView(change.node, null);
  });
