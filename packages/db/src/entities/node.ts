import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { Architecture, NodeStatus, PowerParameters, PowerType } from '@metalyard/domain';
import { UserEntity } from './user.js';
import { MacAddressEntity } from './mac-address.js';

export const NodeEntity = defineEntity({
  name: 'Node',
  tableName: 'node',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    systemId: p.string().length(16).unique(),
    hostname: p.string().length(253).unique(),
    // Plain strings, not CHECK-ed enums: the domain validates them, and a new status needs no table rebuild.
    status: p.string().length(32).$type<NodeStatus>(),
    architecture: p.string().length(32).$type<Architecture>(),
    powerType: p.string().length(32).$type<PowerType>(),
    powerParameters: p.json<PowerParameters>(),
    owner: () => p.manyToOne(UserEntity).nullable().deleteRule('set null'),
    macAddresses: () => p.oneToMany(MacAddressEntity).mappedBy('node'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
  // Keyset pagination filtered by status, and the search for a ready node to acquire.
  indexes: [{ properties: ['status', 'id'], name: 'node_status_id_index' }],
});
export type NodeRow = InferEntity<typeof NodeEntity>;
