import { eraseReportSchema } from '@metalyard/domain';
import { machineProcedure } from '../../trpc.js';
import { machineReportOutputSchema } from '../../wire/index.js';

/** The machine agent reports the erase of a released machine: ready, or broken with the reason. */
export const reportErase = machineProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/erase-report',
      tags: ['machine'],
      summary: 'The machine reports its erase (bearer: its per-node token)',
      protect: true,
    },
  })
  .input(eraseReportSchema)
  .output(machineReportOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const node = await ctx.app.machine.reportErase(ctx.machineToken, input);
    return { systemId: node.systemId, status: node.status };
  });
