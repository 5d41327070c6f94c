import { commissioningReportSchema } from '@metalyard/domain';
import { machineProcedure } from '../../trpc.js';
import { machineReportOutputSchema } from '../../wire/index.js';

/** The commissioning environment reports hardware and tests, with the per-node token as bearer. */
export const reportCommissioning = machineProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/commissioning-report',
      tags: ['machine'],
      summary: 'The machine reports commissioning (bearer: its per-node token)',
      protect: true,
    },
  })
  .input(commissioningReportSchema)
  .output(machineReportOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const node = await ctx.app.machine.reportCommissioning(ctx.machineToken, input);
    return { systemId: node.systemId, status: node.status };
  });
