import type { EntityManager } from '@mikro-orm/core';
import { NodeEntity } from '../entities/index.js';
import { sqlOf } from '../queries/sql.js';
import { TABLES as T } from '../queries/tables.js';
import { jsonValue } from '../queries/values.js';
import { SecretBox } from './secret-box.js';

/**
 * Re-seals every node's secret power parameters: those stored in clear (by a version before secrets
 * were sealed) get sealed with `next`; with `previous` given, those sealed with it are sealed anew
 * with `next` (a key rotation). In the caller's transaction. Returns how many nodes changed.
 */
export async function resealSecrets(em: EntityManager, next: SecretBox, previous: SecretBox = next): Promise<number> {
  const rows = await sqlOf(em).all<{ id: number; power_parameters: unknown }>(`select id, power_parameters from ${T.node}`);
  let changed = 0;
  for (const row of rows) {
    const stored = jsonValue<Record<string, string>>(row.power_parameters) ?? {};
    if (previous === next && !SecretBox.holdsClearSecrets(stored)) continue;
    const resealed = next.sealParameters(previous.openParameters(stored));
    if (JSON.stringify(resealed) === JSON.stringify(stored)) continue;
    await em.nativeUpdate(NodeEntity, { id: Number(row.id) }, { powerParameters: resealed });
    changed += 1;
  }
  return changed;
}
