import type { LabelKind } from '@metalyard/domain';
import { router } from '../../trpc.js';
import { createLabel } from './create.js';
import { deleteLabel } from './delete.js';
import { listLabels } from './list.js';
import { updateLabel } from './update.js';

/**
 * Tags, zones and pools have the same procedures: list (any user), create, update and delete
 * (admins, by the ACCESS table). Deleting one leaves its nodes in place, without it.
 */
export function labelRouter(kind: LabelKind) {
  return router({ list: listLabels(kind), create: createLabel(kind), update: updateLabel(kind), delete: deleteLabel(kind) });
}
