import { nodeSchema, releaseInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toNodeView } from '../../views.js';

/**
 * allocated, deployed or failed_deployment → releasing → ready, by the owner or an admin: the
 * owner and annotations are cleared and the disks erased. Releasing a ready node changes nothing.
 */
export const releaseNode = protectedProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/nodes/{systemId}/release', tags: ['nodes'], summary: 'Give a node back: → releasing → ready', protect: true } })
  .input(releaseInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) =>
    toNodeView((await ctx.services.nodes.act(input.systemId, 'release', ctx.actor, input.comment)).node, ctx.user),
  );
