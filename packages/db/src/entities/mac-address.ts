import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TABLES } from '../queries/tables.js';
import { NodeEntity } from './node.js';

/** A network interface's MAC, lowercase with colons; unique across all nodes. */
export const MacAddressEntity = defineEntity({
  name: 'MacAddress',
  tableName: TABLES.macAddress,
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    address: p.string().length(17).unique(),
    node: () => p.manyToOne(NodeEntity).deleteRule('cascade').updateRule('cascade').index(),
  }),
});
export type MacAddressRow = InferEntity<typeof MacAddressEntity>;
