import { z } from 'zod';
import { labelNameSchema, text } from './common.js';

/** Tags, zones and resource pools: a unique name and a description each. */
export const LABEL_KINDS = ['tag', 'zone', 'pool'] as const;
export const labelKindSchema = z.enum(LABEL_KINDS);
export type LabelKind = z.infer<typeof labelKindSchema>;

export const createLabelInputSchema = z.strictObject({ name: labelNameSchema, description: text(1000).default('') });
export const updateLabelInputSchema = z.strictObject({
  name: labelNameSchema,
  newName: labelNameSchema.optional(),
  description: text(1000).optional(),
});
export type LabelChanges = z.output<typeof updateLabelInputSchema>;
export const deleteLabelInputSchema = z.strictObject({ name: labelNameSchema });
