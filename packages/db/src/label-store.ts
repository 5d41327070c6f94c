import type { MikroORM } from '@mikro-orm/sqlite';
import { NotFoundError, type Label, type LabelKind, type LabelStore } from '@metalyard/domain';
import { PoolEntity, TagEntity, ZoneEntity } from './entities/index.js';
import { asConflict } from './errors.js';

export const LABEL_ENTITIES = { tag: TagEntity, zone: ZoneEntity, pool: PoolEntity } as const;

/** How many nodes use each label: the tag pivot, or the zone/pool column. */
const USAGE_SQL: Record<LabelKind, string> = {
  tag: 'select tag_id as id, count(*) as n from node_tag group by tag_id',
  zone: 'select zone_id as id, count(*) as n from node where zone_id is not null group by zone_id',
  pool: 'select pool_id as id, count(*) as n from node where pool_id is not null group by pool_id',
};

export class SqlLabelStore implements LabelStore {
  constructor(private readonly orm: MikroORM) {}

  async list(kind: LabelKind): Promise<Label[]> {
    const em = this.orm.em.fork();
    const rows = await em.find(LABEL_ENTITIES[kind], {}, { orderBy: { name: 'asc' } });
    const usage = await em.getConnection().execute<{ id: number; n: number }[]>(USAGE_SQL[kind]);
    const counts = new Map(usage.map((row) => [Number(row.id), Number(row.n)]));
    return rows.map((row) => ({ name: row.name, description: row.description, nodeCount: counts.get(row.id) ?? 0 }));
  }

  private async one(kind: LabelKind, name: string): Promise<Label> {
    const label = (await this.list(kind)).find((candidate) => candidate.name === name);
    if (!label) throw new NotFoundError(kind, name);
    return label;
  }

  async create(kind: LabelKind, name: string, description: string): Promise<Label> {
    try {
      await this.orm.em.fork().insert(LABEL_ENTITIES[kind], { name, description, createdAt: new Date() });
    } catch (error) {
      throw asConflict(error, `${kind} '${name}' already exists`);
    }
    return { name, description, nodeCount: 0 };
  }

  async update(kind: LabelKind, name: string, changes: { newName?: string | undefined; description?: string | undefined }): Promise<Label> {
    const set = {
      ...(changes.newName !== undefined ? { name: changes.newName } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
    };
    if (Object.keys(set).length > 0) {
      try {
        const affected = await this.orm.em.fork().nativeUpdate(LABEL_ENTITIES[kind], { name }, set);
        if (affected === 0) throw new NotFoundError(kind, name);
      } catch (error) {
        throw asConflict(error, `${kind} '${changes.newName}' already exists`);
      }
    }
    return this.one(kind, changes.newName ?? name);
  }

  async delete(kind: LabelKind, name: string): Promise<void> {
    // Nodes keep existing: the tag pivot rows cascade, zone and pool columns become null.
    const affected = await this.orm.em.fork().nativeDelete(LABEL_ENTITIES[kind], { name });
    if (affected === 0) throw new NotFoundError(kind, name);
  }
}
