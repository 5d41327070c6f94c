import { z } from 'zod';
import { getNodeInputSchema } from '@metalyard/domain';
import type { PersonPowerOperation } from '@metalyard/usecases';
import { protectedProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

const SUMMARY: Record<PersonPowerOperation, string> = {
  on: 'Power the node on through its BMC',
  off: 'Power the node off (hard) through its BMC',
  softOff: 'Ask the node’s operating system to shut down (ACPI), where the BMC can',
  cycle: 'Power-cycle the node (off, then on; a node that is off is powered on)',
  query: 'Ask the node’s BMC for its power state',
};

/**
 * `{ systemId }` → the node with the power state its BMC reported. The owner of an acquired node or
 * an admin; never a retired, declared or manual node (409 saying why). A BMC that refuses or does
 * not answer is a 502 with the driver's message; each request and its outcome is an event.
 */
export function powerProcedure(operation: PersonPowerOperation, path: string) {
  return protectedProcedure
    .meta({
      openapi: { method: 'POST', path: `/v1/nodes/{systemId}/power/${path}`, tags: ['power'], summary: SUMMARY[operation], protect: true },
    })
    .input(getNodeInputSchema)
    .output(nodeSchema)
    .mutation(async ({ ctx, input }) => toNodeView(await ctx.app.power.control(input.systemId, operation, ctx.actor), ctx.user));
}

export const powerOnNode = powerProcedure('on', 'on');
/** Off: hard by default; `soft: true` asks the operating system to shut down (ACPI) where the BMC can. */
export const powerOffNode = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/power/off',
      tags: ['power'],
      summary: `${SUMMARY.off}; soft: ACPI shutdown`,
      protect: true,
    },
  })
  .input(getNodeInputSchema.extend({ soft: z.boolean({ error: 'must be true or false' }).optional() }))
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) =>
    toNodeView(await ctx.app.power.control(input.systemId, input.soft ? 'softOff' : 'off', ctx.actor), ctx.user),
  );
export const powerCycleNode = powerProcedure('cycle', 'cycle');
export const powerQueryNode = powerProcedure('query', 'query');
