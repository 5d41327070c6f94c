import { enlistInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeWithMachineTokenSchema, toNodeChangeView } from '../../wire/index.js';

/**
 * Enlistment by a signed-in user: trusted, so the node lands `ready` — or `commissioning`, with
 * its per-node token, when the commissioning policy is on. A declared node with one of these MACs is accepted.
 */
export const trustedEnlist = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes',
      tags: ['enlistment'],
      summary: 'Enlist a machine as a user: the node lands ready (or commissioning)',
      protect: true,
    },
  })
  .input(enlistInputSchema)
  .output(nodeWithMachineTokenSchema)
  .mutation(async ({ ctx, input }) => toNodeChangeView(await ctx.app.nodes.enlist(input, ctx.actor), ctx.user));
