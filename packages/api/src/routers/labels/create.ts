import { createLabelInputSchema, type LabelKind } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { labelSchema } from '../../wire/index.js';

export const createLabel = (kind: LabelKind) =>
  protectedProcedure
    .meta({ openapi: { method: 'POST', path: `/v1/${kind}s`, tags: [`${kind}s`], summary: `Create a ${kind} (admin)`, protect: true } })
    .input(createLabelInputSchema)
    .output(labelSchema)
    .mutation(({ ctx, input }) => ctx.app.labels.create(kind, input.name, input.description));
