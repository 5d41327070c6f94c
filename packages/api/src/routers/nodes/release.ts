import { releaseInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

/**
 * allocated, deployed or failed_deployment → releasing → ready, by the owner or an admin: the
 * owner and annotations are cleared and the disks erased. Releasing a ready node changes nothing.
 */
export const releaseNode = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/release',
      tags: ['nodes'],
      summary: 'Give a node back: → releasing → ready',
      protect: true,
    },
  })
  .input(releaseInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) =>
    toNodeView((await ctx.app.nodes.act(input.systemId, 'release', ctx.actor, input.comment)).node, ctx.user),
  );
