import { ConflictError, NotFoundError, type Label, type LabelChanges, type LabelKind } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { DuplicateKeyError } from '../ports/index.js';

/** Tags, zones and pools: list (anyone signed in), create, update and delete (admins). */
export function listLabels(deps: Deps) {
  return (kind: LabelKind): Promise<Label[]> => deps.uow.read((repositories) => repositories.labels.list(kind));
}

export function createLabel(deps: Deps) {
  return async (kind: LabelKind, name: string, description: string): Promise<Label> => {
    try {
      await deps.uow.transaction((tx) => tx.labels.insert(kind, { name, description, createdAt: deps.clock.now() }));
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new ConflictError(`${kind} '${name}' already exists`);
      throw error;
    }
    return { name, description, nodeCount: 0 };
  };
}

/** Renames or describes a label; its nodes keep it under the new name. */
export function updateLabel(deps: Deps) {
  return async (kind: LabelKind, changes: LabelChanges): Promise<Label> => {
    const set = {
      ...(changes.newName !== undefined ? { name: changes.newName } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
    };
    const name = changes.newName ?? changes.name;
    return deps.uow.transaction(async (tx) => {
      if (Object.keys(set).length > 0) {
        try {
          if (!(await tx.labels.update(kind, changes.name, set))) throw new NotFoundError(kind, changes.name);
        } catch (error) {
          if (error instanceof DuplicateKeyError) throw new ConflictError(`${kind} '${changes.newName}' already exists`);
          throw error;
        }
      }
      const label = (await tx.labels.list(kind)).find((candidate) => candidate.name === name);
      if (!label) throw new NotFoundError(kind, name);
      return label;
    });
  };
}

/** Deletes a label; its nodes stay, without it. */
export function deleteLabel(deps: Deps) {
  return (kind: LabelKind, name: string): Promise<void> =>
    deps.uow.transaction(async (tx) => {
      if (!(await tx.labels.delete(kind, name))) throw new NotFoundError(kind, name);
    });
}
