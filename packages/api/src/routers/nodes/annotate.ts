import { annotationsInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

/** The current owner's key → value notes (null removes a key); wiped on release. */
export const annotateNode = protectedProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/v1/nodes/{systemId}/annotations',
      tags: ['nodes'],
      summary: "Set or remove (null) the owner's key → value notes",
      protect: true,
    },
  })
  .input(annotationsInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => toNodeView(await ctx.app.nodes.annotate(input.systemId, input.annotations, ctx.actor), ctx.user));
