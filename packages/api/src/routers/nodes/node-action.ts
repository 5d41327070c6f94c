import { type markBrokenInputSchema, nodeActionInputSchema } from '@metalyard/domain';
import type { PersonNodeAction } from '@metalyard/usecases';
import { protectedProcedure } from '../../trpc.js';
import { nodeWithMachineTokenSchema, toNodeChangeView } from '../../wire/index.js';

/** `markBroken` → `mark-broken`: the action's REST path segment. */
const kebab = (action: string) => action.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * A node action from the domain's transition table: `{ systemId, comment? }` → the node after it
 * (with its per-node token when the action starts commissioning or deployment). Who may take it
 * is the table's rule; a refused transition is a 409 naming the state and what is allowed.
 */
export function nodeActionProcedure(
  action: PersonNodeAction,
  input: typeof nodeActionInputSchema | typeof markBrokenInputSchema = nodeActionInputSchema,
) {
  return protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: `/v1/nodes/{systemId}/${kebab(action)}`,
        tags: ['nodes'],
        summary: `The ${action} action (see the transition table)`,
        protect: true,
      },
    })
    .input(input)
    .output(nodeWithMachineTokenSchema)
    .mutation(async ({ ctx, input: { systemId, comment } }) =>
      toNodeChangeView(await ctx.app.nodes.act(systemId, action, ctx.actor, comment), ctx.user),
    );
}
