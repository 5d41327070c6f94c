import { deleteLabelInputSchema, type LabelKind } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { deletedOutputSchema } from '../../wire/index.js';

export const deleteLabel = (kind: LabelKind) =>
  protectedProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: `/v1/${kind}s/{name}`,
        tags: [`${kind}s`],
        summary: `Delete a ${kind}; its nodes stay, without it (admin)`,
        protect: true,
      },
    })
    .input(deleteLabelInputSchema)
    .output(deletedOutputSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.app.labels.delete(kind, input.name);
      return { deleted: input.name };
    });
