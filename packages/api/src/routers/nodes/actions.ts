import { markBrokenInputSchema, nodeActionInputSchema, nodeWithMachineTokenSchema, type SimpleNodeAction } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toNodeChangeView } from '../../views.js';

/**
 * A node action from the domain's transition table: `{ systemId, comment? }` → the node after it
 * (with its per-node token when the action starts commissioning or deployment). Who may take it
 * is the table's rule; a refused transition is a 409 naming the state and what is allowed.
 */
function nodeAction(action: SimpleNodeAction, input: typeof nodeActionInputSchema | typeof markBrokenInputSchema = nodeActionInputSchema) {
  return protectedProcedure
    .meta({ openapi: { method: 'POST', path: `/v1/nodes/{systemId}/${action.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`, tags: ['nodes'], summary: `The ${action} action (see the transition table)`, protect: true } })
    .input(input)
    .output(nodeWithMachineTokenSchema)
    .mutation(async ({ ctx, input: { systemId, comment } }) =>
      toNodeChangeView(await ctx.services.nodes.act(systemId, action, ctx.actor, comment), ctx.user),
    );
}

/** allocated → deploying, by the owner. */
export const deployNode = nodeAction('deploy');
/** ready, failed_commissioning or broken → commissioning (admin). */
export const commissionNode = nodeAction('commission');
/** commissioning → failed_commissioning, deploying → allocated. */
export const abortNode = nodeAction('abort');
/** Out of service, with a comment saying why. */
export const markNodeBroken = nodeAction('markBroken', markBrokenInputSchema);
/** broken → ready (admin). */
export const markNodeFixed = nodeAction('markFixed');
/** Out of service for good (admin). */
export const retireNode = nodeAction('retire');
