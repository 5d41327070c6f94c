import { updateLabelInputSchema, type LabelKind } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { labelSchema } from '../../wire/index.js';

export const updateLabel = (kind: LabelKind) =>
  protectedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: `/v1/${kind}s/{name}`,
        tags: [`${kind}s`],
        summary: `Rename or describe a ${kind} (admin)`,
        protect: true,
      },
    })
    .input(updateLabelInputSchema)
    .output(labelSchema)
    .mutation(({ ctx, input }) => ctx.app.labels.update(kind, input));
