import type { EntityManager } from '@mikro-orm/core';
import type { Label, LabelKind } from '@metalyard/domain';
import type { LabelRepository } from '@metalyard/usecases';
import { PoolEntity, TagEntity, ZoneEntity } from '../entities/index.js';
import { translateDatabaseError } from '../errors.js';
import { sqlOf } from '../queries/sql.js';
import { TABLES as T } from '../queries/tables.js';

const ENTITIES = { tag: TagEntity, zone: ZoneEntity, pool: PoolEntity } as const;

/** How many nodes use each label: the tag pivot, or the zone/pool column. */
const USAGE: Record<LabelKind, string> = {
  tag: `select tag_id as id, count(*) as n from ${T.nodeTag} group by tag_id`,
  zone: `select zone_id as id, count(*) as n from ${T.node} where zone_id is not null group by zone_id`,
  pool: `select pool_id as id, count(*) as n from ${T.node} where pool_id is not null group by pool_id`,
};

export class SqlLabelRepository implements LabelRepository {
  constructor(private readonly em: EntityManager) {}

  async list(kind: LabelKind): Promise<Label[]> {
    const rows = await this.em.find(ENTITIES[kind], {}, { orderBy: { name: 'asc' } });
    const usage = await sqlOf(this.em).all<{ id: number; n: number }>(USAGE[kind]);
    const counts = new Map(usage.map((row) => [Number(row.id), Number(row.n)]));
    return rows.map((row) => ({ name: row.name, description: row.description, nodeCount: counts.get(row.id) ?? 0 }));
  }

  async missing(kind: LabelKind, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const found = new Set((await this.em.find(ENTITIES[kind], { name: { $in: [...names] } }, { fields: ['name'] })).map((row) => row.name));
    return names.filter((name) => !found.has(name));
  }

  async insert(kind: LabelKind, label: { name: string; description: string; createdAt: Date }): Promise<void> {
    try {
      await this.em.insert(ENTITIES[kind] as typeof TagEntity, label as never);
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async update(kind: LabelKind, name: string, changes: { name?: string; description?: string }): Promise<boolean> {
    try {
      return (await this.em.nativeUpdate(ENTITIES[kind], { name }, changes)) > 0;
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async delete(kind: LabelKind, name: string): Promise<boolean> {
    // Nodes keep existing: the tag pivot rows cascade, zone and pool columns become null.
    return (await this.em.nativeDelete(ENTITIES[kind], { name })) > 0;
  }
}
