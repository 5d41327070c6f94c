import { noInputSchema, type LabelKind } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';
import { labelSchema } from '../../wire/index.js';

/** Every label of the kind, with its node count. */
export const listLabels = (kind: LabelKind) =>
  protectedProcedure
    .meta({
      openapi: { method: 'GET', path: `/v1/${kind}s`, tags: [`${kind}s`], summary: `Every ${kind}, with its node count`, protect: true },
    })
    .input(noInputSchema)
    .output(z.array(labelSchema))
    .query(({ ctx }) => ctx.app.labels.list(kind));
