import { deployInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeWithMachineTokenSchema, toNodeChangeView } from '../../wire/index.js';

/**
 * allocated → deploying, by the owner (or an admin): the image to write (default: METALYARD_DEFAULT_IMAGE,
 * else the first image by name; a missing one is a 404 naming it), with the per-node token for the report.
 */
export const deployNode = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/{systemId}/deploy',
      tags: ['nodes'],
      summary: 'The deploy action (see the transition table), with the image to write',
      protect: true,
    },
  })
  .input(deployInputSchema)
  .output(nodeWithMachineTokenSchema)
  .mutation(async ({ ctx, input: { systemId, comment, image } }) =>
    toNodeChangeView(await ctx.app.nodes.act(systemId, 'deploy', ctx.actor, comment, { image }), ctx.user),
  );
