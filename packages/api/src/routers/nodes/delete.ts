import { getNodeInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { deleteOutputSchema } from '../../wire/index.js';

/** Forgets a node (admin; never one that is allocated or deployed). Its events stay. */
export const deleteNode = protectedProcedure
  .meta({ openapi: { method: 'DELETE', path: '/v1/nodes/{systemId}', tags: ['nodes'], summary: 'Forget a node (admin)', protect: true } })
  .input(getNodeInputSchema)
  .output(deleteOutputSchema)
  .mutation(async ({ ctx, input }) => {
    await ctx.app.nodes.delete(input.systemId, ctx.actor);
    return { deleted: input.systemId };
  });
