import {
  createLabelInputSchema,
  deleteLabelInputSchema,
  labelSchema,
  updateLabelInputSchema,
  type LabelKind,
} from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure, router } from '../../trpc.js';

/**
 * Tags, zones and pools have the same procedures: list (any user), create, update and delete
 * (admins, by the ACCESS table). Deleting one leaves its nodes in place, without it.
 */
export function labelRouter(kind: LabelKind) {
  return router({
    list: protectedProcedure
      .meta({ openapi: { method: 'GET', path: `/v1/${kind}s`, tags: [`${kind}s`], summary: `Every ${kind}, with its node count`, protect: true } })
      .input(z.strictObject({}).optional())
      .output(z.array(labelSchema))
      .query(({ ctx }) => ctx.services.labels.list(kind)),
    create: protectedProcedure
      .meta({ openapi: { method: 'POST', path: `/v1/${kind}s`, tags: [`${kind}s`], summary: `Create a ${kind} (admin)`, protect: true } })
      .input(createLabelInputSchema)
      .output(labelSchema)
      .mutation(({ ctx, input }) => ctx.services.labels.create(kind, input.name, input.description)),
    update: protectedProcedure
      .meta({ openapi: { method: 'PATCH', path: `/v1/${kind}s/{name}`, tags: [`${kind}s`], summary: `Rename or describe a ${kind} (admin)`, protect: true } })
      .input(updateLabelInputSchema)
      .output(labelSchema)
      .mutation(({ ctx, input }) => ctx.services.labels.update(kind, input.name, input)),
    delete: protectedProcedure
      .meta({ openapi: { method: 'DELETE', path: `/v1/${kind}s/{name}`, tags: [`${kind}s`], summary: `Delete a ${kind}; its nodes stay, without it (admin)`, protect: true } })
      .input(deleteLabelInputSchema)
      .output(z.object({ deleted: z.string() }))
      .mutation(async ({ ctx, input }) => {
        await ctx.services.labels.delete(kind, input.name);
        return { deleted: input.name };
      }),
  });
}
