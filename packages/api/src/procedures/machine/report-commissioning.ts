import { commissioningReportSchema, machineReportOutputSchema } from '@metalyard/domain';
import { machineProcedure } from '../../trpc.js';

/** The commissioning environment reports hardware and tests, with the per-node token as bearer. */
export const reportCommissioning = machineProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/nodes/{systemId}/commissioning-report', tags: ['machine'], summary: 'The machine reports commissioning (bearer: its per-node token)', protect: true } })
  .input(commissioningReportSchema)
  .output(machineReportOutputSchema)
  .mutation(async ({ ctx, input }) => {
    const node = await ctx.services.nodes.reportCommissioning(ctx.machineToken, input);
    return { systemId: node.systemId, status: node.status };
  });
