import { deploymentReportSchema } from '@metalyard/domain';
import { machineProcedure } from '../../trpc.js';
import { machineReportOutputSchema } from '../../wire/index.js';

/** The installer reports the deployment's outcome, with the per-node token as bearer. */
export const reportDeployment = machineProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/deployment-report',
      tags: ['machine'],
      summary: 'The machine reports its deployment (bearer: its per-node token)',
      protect: true,
    },
  })
  .input(deploymentReportSchema)
  .output(machineReportOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const node = await ctx.app.machine.reportDeployment(ctx.machineToken, input);
    return { systemId: node.systemId, status: node.status };
  });
