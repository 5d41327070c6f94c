import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TABLES } from '../queries/tables.js';

/** Tags, zones and resource pools share one shape: a unique name and a description. */
function labelEntity<const Name extends string>(name: Name, tableName: string) {
  return defineEntity({
    name,
    tableName,
    properties: (p) => ({
      id: p.integer().primary().autoincrement(),
      name: p.string().length(64).unique(),
      description: p.text(),
      createdAt: p.datetime().onCreate(() => new Date()),
    }),
  });
}

/** A free-form label for constraints and filters; its description is the tag's comment. */
export const TagEntity = labelEntity('Tag', TABLES.tag);
/** A physical failure domain (a rack, a room). */
export const ZoneEntity = labelEntity('Zone', TABLES.zone);
/** A resource pool: who gets to use which machines. */
export const PoolEntity = labelEntity('Pool', TABLES.pool);
export type LabelRow = InferEntity<typeof TagEntity>;
