import type { Label, LabelKind } from '@metalyard/domain';

/** Tags, zones and pools, with how many nodes use each. */
export interface LabelRepository {
  list(kind: LabelKind): Promise<Label[]>;
  /** The names among `names` that do not exist. */
  missing(kind: LabelKind, names: readonly string[]): Promise<string[]>;
  /** Throws DuplicateKeyError when the name is taken. */
  insert(kind: LabelKind, label: { name: string; description: string; createdAt: Date }): Promise<void>;
  /** False when there is no such label; throws DuplicateKeyError when the new name is taken. */
  update(kind: LabelKind, name: string, changes: { name?: string; description?: string }): Promise<boolean>;
  /** False when there is no such label. Nodes keep existing without it. */
  delete(kind: LabelKind, name: string): Promise<boolean>;
}
