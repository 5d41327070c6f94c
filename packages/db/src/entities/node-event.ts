import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TABLES } from '../queries/tables.js';

/**
 * One thing that happened to a node: a status change (from → to) or another event, with who did
 * it and when. Written in the same transaction as the change. Keeps the systemId so it outlives the node.
 */
export const NodeEventEntity = defineEntity({
  name: 'NodeEvent',
  tableName: TABLES.nodeEvent,
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    nodeId: p.integer().nullable().index(),
    systemId: p.string().length(16).index(),
    type: p.string().length(32),
    fromStatus: p.string().length(32).nullable(),
    toStatus: p.string().length(32).nullable(),
    actor: p.string().length(128),
    details: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type NodeEventRow = InferEntity<typeof NodeEventEntity>;
