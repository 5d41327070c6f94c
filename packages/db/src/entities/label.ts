import { defineEntity, type InferEntity } from '@mikro-orm/core';

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
export const TagEntity = labelEntity('Tag', 'tag');
/** A physical failure domain (a rack, a room). */
export const ZoneEntity = labelEntity('Zone', 'zone');
/** A resource pool: who gets to use which machines. */
export const PoolEntity = labelEntity('Pool', 'pool');
export type LabelRow = InferEntity<typeof TagEntity>;
