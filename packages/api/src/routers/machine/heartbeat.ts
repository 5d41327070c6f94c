import { heartbeatInputSchema } from '@metalyard/domain';
import { machineProcedure } from '../../trpc.js';
import { heartbeatOutputSchema } from '../../wire/index.js';

/** The machine agent's progress, with its step's token as bearer: `proceed: false` when the node left the step. */
export const heartbeat = machineProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/heartbeat',
      tags: ['machine'],
      summary: 'The machine agent reports progress (bearer: its per-node token)',
      protect: true,
    },
  })
  .input(heartbeatInputSchema)
  .output(heartbeatOutputSchema)
  .mutation(async ({ ctx, input }) => ({ systemId: input.systemId, ...(await ctx.app.machine.heartbeat(ctx.machineToken, input)) }));
