import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { TABLES } from '../queries/tables.js';
import type { AgentStep, Architecture, Hardware, NodeStatus, PowerParameters, PowerState, PowerType } from '@metalyard/domain';
import { UserEntity } from './user.js';
import { MacAddressEntity } from './mac-address.js';
import { PoolEntity, TagEntity, ZoneEntity } from './label.js';

export const NodeEntity = defineEntity({
  name: 'Node',
  tableName: TABLES.node,
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    systemId: p.string().length(16).unique(),
    hostname: p.string().length(253).unique(),
    // Plain strings, not CHECK-ed enums: the domain validates them, and a new status needs no table rebuild.
    status: p.string().length(32).$type<NodeStatus>(),
    architecture: p.string().length(32).$type<Architecture>(),
    powerType: p.string().length(32).$type<PowerType>(),
    powerParameters: p.json<PowerParameters>(),
    owner: () => p.manyToOne(UserEntity).nullable().deleteRule('set null').updateRule('cascade'),
    zone: () => p.manyToOne(ZoneEntity).nullable().deleteRule('set null').updateRule('cascade'),
    pool: () => p.manyToOne(PoolEntity).nullable().deleteRule('set null').updateRule('cascade'),
    tags: () => p.manyToMany(TagEntity).pivotTable(TABLES.nodeTag).joinColumn('node_id').inverseJoinColumn('tag_id'),
    macAddresses: () => p.oneToMany(MacAddressEntity).mappedBy('node'),
    /** Facts from commissioning; cpuCount and memoryMb are columns too, for acquire constraints. */
    hardware: p.json<Hardware>().nullable(),
    cpuCount: p.integer().nullable(),
    memoryMb: p.integer().nullable(),
    annotations: p.json<Record<string, string>>(),
    statusMessage: p.text().nullable(),
    /** What the BMC said last (on, off, unknown) and when. */
    powerState: p.string().length(8).default('unknown').$type<PowerState>(),
    powerStateCheckedAt: p.datetime().nullable(),
    /** When the current status times out (commissioning) or completes (erasing), for the sweeper. */
    statusDeadline: p.datetime().nullable(),
    /** SHA-256 of the per-node token issued when commissioning or deployment starts. */
    machineTokenHash: p.string().length(64).nullable(),
    /** When machine.lookup handed the agent its token in the current status (once per status); null: not yet. */
    agentTokenIssuedAt: p.datetime().nullable(),
    /** The machine agent's last heartbeat: its step, its phase message, when. */
    agentStep: p.string().length(16).nullable().$type<AgentStep>(),
    agentMessage: p.text().nullable(),
    agentAt: p.datetime().nullable(),
    /** The disk image the last deployment writes (a file name in the images folder). */
    image: p.string().length(128).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  // Keyset pagination filtered by status, and the search for a ready node to acquire.
  indexes: [{ properties: ['status', 'id'], name: 'node_status_id_index' }],
});
export type NodeRow = InferEntity<typeof NodeEntity>;

// Partial indexes (migration 20261203000000): most nodes have no owner, zone, pool, deadline or
// machine token, and an index entry for a null is one more page every enlistment commits; every
// query on these columns compares them, which implies not null, so the planner still uses them.
// Added here rather than in defineEntity's options, whose types infer the entity from `where`.
for (const [property, column] of [
  ['owner', 'owner_id'],
  ['zone', 'zone_id'],
  ['pool', 'pool_id'],
  ['statusDeadline', 'status_deadline'],
] as const) {
  NodeEntity.addIndex({ properties: [property], name: `node_${column}_index`, where: `${column} is not null` });
}
NodeEntity.addUnique({ properties: ['machineTokenHash'], name: 'node_machine_token_hash_unique', where: 'machine_token_hash is not null' });
