import { noInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { acceptOutputSchema } from '../../wire/index.js';
import { acceptedView } from './accept.js';

/** Every declared node, accepted. */
export const acceptAllNodes = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/accept-all',
      tags: ['nodes'],
      summary: 'Accept every declared node (admin)',
      protect: true,
    },
  })
  .input(noInputSchema)
  .output(acceptOutputSchema)
  .mutation(async ({ ctx }) => acceptedView(await ctx.app.nodes.accept('all', ctx.actor)));
