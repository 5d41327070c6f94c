import { enlistInputSchema, nodeSchema, nodeWithMachineTokenSchema } from '@metalyard/domain';
import { protectedProcedure, publicProcedure } from '../trpc.js';
import { toNodeChangeView, toNodeView } from '../views.js';

/**
 * Anonymous enlistment, as a PXE-booting machine does it: the node lands `declared` and waits
 * for a user to accept it, because putting it to use wipes its disks.
 */
export const anonymousEnlist = publicProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/enlist', tags: ['enlistment'], summary: 'A machine enlists itself (anonymous): the node lands declared', protect: false } })
  .input(enlistInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => {
    const actor = { kind: 'anonymous' as const, address: ctx.remoteAddress };
    return toNodeView((await ctx.services.nodes.enlist(input, actor, false)).node, null);
  });

/**
 * Enlistment by a signed-in user: trusted, so the node lands `ready` — or `commissioning`, with
 * its per-node token, when the commissioning policy is on. A declared node with one of these MACs is accepted.
 */
export const trustedEnlist = protectedProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/nodes', tags: ['enlistment'], summary: 'Enlist a machine as a user: the node lands ready (or commissioning)', protect: true } })
  .input(enlistInputSchema)
  .output(nodeWithMachineTokenSchema)
  .mutation(async ({ ctx, input }) => toNodeChangeView(await ctx.services.nodes.enlist(input, ctx.actor, true), ctx.user));
