import type { EntityManager } from '@mikro-orm/core';
import {
  NODE_STATUSES,
  type AcquireConstraints,
  type AgentProgress,
  type ListNodesInput,
  type NodePage,
  type NodeRecord,
  type NodeStatus,
  type PowerState,
  type PowerType,
  type StatusCounts,
} from '@metalyard/domain';
import type { NewNode, NodeEdit, NodeRepository, StatusChange } from '@metalyard/usecases';
import { NodeEntity, PoolEntity, ZoneEntity } from '../entities/index.js';
import { decodeCursor, encodeCursor } from '../queries/cursor.js';
import { constraintFilters, listFilters, whereOf, type Clause } from '../queries/node-filters.js';
import { SELECT_NODES, readNodes } from '../queries/node-records.js';
import { insertReturningIds, jsonText, marks, selectIn, sqlOf, type Sql } from '../queries/sql.js';
import { TABLES as T } from '../queries/tables.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { CountsCache } from './counts-cache.js';

/** Node properties whose column has another name, and those that hold JSON. */
const NODE_COLUMN_NAMES: Record<string, string> = { owner: 'owner_id', zone: 'zone_id', pool: 'pool_id' };
const NODE_JSON_PROPERTIES = new Set(['powerParameters', 'hardware', 'annotations']);

/**
 * `update node set … where …` as plain SQL, from property names as the entity has them; a null in
 * `where` matches null. Returns how many rows changed (0: the condition no longer held).
 */
function updateNodes(sql: Sql, set: Record<string, unknown>, where: Record<string, unknown>): Promise<number> {
  const column = (property: string) => NODE_COLUMN_NAMES[property] ?? property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const assignments = Object.entries(set).filter(([, value]) => value !== undefined);
  const conditions = Object.entries(where);
  return sql.run(
    `update ${T.node} set ${assignments.map(([property]) => `${column(property)} = ?`).join(', ')} where ${conditions
      .map(([property, value]) => (value === null ? `${column(property)} is null` : `${column(property)} = ?`))
      .join(' and ')}`,
    [
      ...assignments.map(([property, value]) => (NODE_JSON_PROPERTIES.has(property) ? jsonText(value) : value)),
      ...conditions.filter(([, value]) => value !== null).map(([, value]) => value),
    ],
  );
}

/** The columns a new node is written with; the others start null (power_state at its default). */
const NODE_INSERT_COLUMNS = [
  'system_id',
  'hostname',
  'status',
  'architecture',
  'power_type',
  'power_parameters',
  'annotations',
  'status_deadline',
  'machine_token_hash',
  'created_at',
  'updated_at',
];

function emptyCounts(): StatusCounts {
  return Object.fromEntries(NODE_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

/**
 * Nodes over one entity manager (a transaction's, or a fresh one for reads): reads and writes as
 * plain SQL (queries/, where a unique violation already becomes the use cases' DuplicateKeyError);
 * JSON columns are written as text, dates as the driver binds them.
 */
export class SqlNodeRepository implements NodeRepository {
  private readonly sql: Sql;

  constructor(
    private readonly em: EntityManager,
    /** Seals secret power parameters on the way in, opens them on the way out. */
    private readonly secrets: SecretBox,
    /** SQLite: counts per status kept while nothing is written (counts-cache.ts); PostgreSQL: none. */
    private readonly counts: CountsCache | null = null,
  ) {
    this.sql = sqlOf(em);
  }

  private async one(clause: Clause): Promise<NodeRecord | null> {
    const { sql, params } = whereOf([clause]);
    const [node] = await readNodes(this.sql, this.secrets, `${SELECT_NODES}${sql}`, params);
    return node ?? null;
  }

  get(systemId: string): Promise<NodeRecord | null> {
    return this.one({ sql: 'n.system_id = ?', params: [systemId] });
  }

  findByMachineToken(systemId: string, tokenHash: string): Promise<NodeRecord | null> {
    return this.one({ sql: 'n.system_id = ? and n.machine_token_hash = ?', params: [systemId, tokenHash] });
  }

  findByMachineTokenHash(tokenHash: string): Promise<NodeRecord | null> {
    return this.one({ sql: 'n.machine_token_hash = ?', params: [tokenHash] });
  }

  async claimAgentToken(id: number, status: NodeStatus, tokenHash: string, at: Date, deadline?: Date | null): Promise<boolean> {
    const set = { machineTokenHash: tokenHash, agentTokenIssuedAt: at, ...(deadline !== undefined ? { statusDeadline: deadline } : {}) };
    return (await updateNodes(this.sql, set, { id, status, agentTokenIssuedAt: null })) > 0;
  }

  async recordHeartbeat(id: number, status: NodeStatus, progress: AgentProgress, deadline: Date | null): Promise<boolean> {
    const set = { agentStep: progress.step, agentMessage: progress.message, agentAt: progress.at, statusDeadline: deadline };
    return (await updateNodes(this.sql, set, { id, status })) > 0;
  }

  async list(query: ListNodesInput): Promise<NodePage> {
    const filters = listFilters(query);
    const statuses = [...new Set([...(query.statuses ?? []), ...(query.status ? [query.status] : [])])];
    const after = query.cursor ? decodeCursor(query.cursor) : 0;
    const leading: Clause[] = [
      ...(statuses.length ? [{ sql: `n.status in (${marks(statuses)})`, params: statuses }] : []),
      { sql: 'n.id > ?', params: [after] },
    ];
    const { sql, params } = whereOf(filters, leading);
    const rows = await readNodes(this.sql, this.secrets, `${SELECT_NODES}${sql} order by n.id limit ?`, [...params, query.limit + 1]);
    const more = rows.length > query.limit;
    const items = more ? rows.slice(0, query.limit) : rows;
    return { items, nextCursor: more ? encodeCursor(items.at(-1)!.id) : null, counts: await this.countByStatus(filters) };
  }

  /** Nodes per status under `filters` (on SQLite, from the counts cache while nothing was written). */
  async countByStatus(filters: Clause[] = []): Promise<StatusCounts> {
    const cache = this.em.getTransactionContext() === undefined ? this.counts : null;
    if (!cache) return this.count(filters);
    const key = JSON.stringify(filters);
    const kept = cache.get(key);
    if (kept.counts) return kept.counts;
    const counts = await this.count(filters);
    cache.set(key, counts, kept.stamp);
    return counts;
  }

  private async count(filters: Clause[]): Promise<StatusCounts> {
    const counts = emptyCounts();
    if (filters.length === 0) {
      // One count per status, each over its own range of the (status, id) index: on SQLite about
      // three times faster than grouping the whole index.
      const columns = NODE_STATUSES.map((_, i) => `(select count(*) from ${T.node} where status = ?) as c${i}`).join(', ');
      const [row] = await this.sql.all<Record<string, number | string>>(`select ${columns}`, NODE_STATUSES);
      NODE_STATUSES.forEach((status, i) => (counts[status] = Number(row?.[`c${i}`] ?? 0)));
      return counts;
    }
    const { sql, params } = whereOf(filters);
    const grouped = await this.sql.all<{ status: NodeStatus; count: number | string }>(
      `select n.status, count(*) as count from ${T.node} n${sql} group by n.status`,
      params,
    );
    for (const row of grouped) if (row.status in counts) counts[row.status] = Number(row.count);
    return counts;
  }

  async countInStatus(status: NodeStatus): Promise<number> {
    const [row] = await this.sql.all<{ n: number | string }>(`select count(*) as n from ${T.node} where status = ?`, [status]);
    return Number(row?.n ?? 0);
  }

  async systemIdsInStatus(status: NodeStatus): Promise<string[]> {
    const rows = await this.sql.all<{ system_id: string }>(`select system_id from ${T.node} where status = ? order by id`, [status]);
    return rows.map((row) => row.system_id);
  }

  async macOwners(macs: readonly string[]): Promise<Map<string, string>> {
    const rows = await selectIn<{ address: string; system_id: string }>(
      this.sql,
      `select m.address, n.system_id from ${T.macAddress} m join ${T.node} n on n.id = m.node_id where m.address in`,
      macs,
    );
    return new Map(rows.map((row) => [row.address, row.system_id]));
  }

  async hostnameHolders(hostnames: readonly string[]): Promise<Map<string, string>> {
    const rows = await selectIn<{ hostname: string; system_id: string }>(
      this.sql,
      `select hostname, system_id from ${T.node} where hostname in`,
      hostnames,
    );
    return new Map(rows.map((row) => [row.hostname, row.system_id]));
  }

  async insert(nodes: readonly NewNode[]): Promise<NodeRecord[]> {
    if (nodes.length === 0) return [];
    const ids = await insertReturningIds(
      this.sql,
      T.node,
      NODE_INSERT_COLUMNS,
      nodes.map((node) => [
        node.systemId,
        node.hostname,
        node.status,
        node.architecture,
        node.powerType,
        jsonText(this.secrets.sealParameters(node.powerParameters)),
        '{}',
        node.statusDeadline,
        node.machineTokenHash,
        node.createdAt,
        node.createdAt,
      ]),
    );
    await insertReturningIds(
      this.sql,
      T.macAddress,
      ['address', 'node_id'],
      nodes.flatMap((node, k) => node.macAddresses.map((address) => [address, ids[k]!])),
    );
    return nodes.map((node, k) => ({
      id: ids[k]!,
      systemId: node.systemId,
      hostname: node.hostname,
      status: node.status,
      architecture: node.architecture,
      macAddresses: [...node.macAddresses].sort(),
      powerType: node.powerType,
      powerParameters: node.powerParameters,
      owner: null,
      zone: null,
      pool: null,
      tags: [],
      hardware: null,
      annotations: {},
      statusMessage: null,
      powerState: 'unknown',
      powerStateCheckedAt: null,
      agent: null,
      image: null,
      agentTokenIssuedAt: null,
      createdAt: node.createdAt,
      updatedAt: node.createdAt,
    }));
  }

  async setPowerState(id: number, state: PowerState, checkedAt: Date): Promise<void> {
    await updateNodes(this.sql, { powerState: state, powerStateCheckedAt: checkedAt }, { id });
  }

  listPowerManaged(powerTypes: readonly PowerType[]): Promise<NodeRecord[]> {
    if (powerTypes.length === 0) return Promise.resolve([]);
    // Declared nodes' BMC parameters came from anonymous requests: never driven until accepted.
    return readNodes(
      this.sql,
      this.secrets,
      `${SELECT_NODES} where n.power_type in (${marks(powerTypes)}) and n.status not in ('declared', 'retired') order by n.id`,
      powerTypes,
    );
  }

  async compareAndSetStatus(id: number, from: NodeStatus, change: StatusChange): Promise<boolean> {
    const { ownerId, hardware, ...columns } = change;
    const set = {
      ...columns,
      // A new status hands out a new agent token (machine.lookup), once.
      agentTokenIssuedAt: null,
      ...(ownerId !== undefined ? { owner: ownerId } : {}),
      ...(hardware !== undefined ? { hardware, cpuCount: hardware?.cpuCount ?? null, memoryMb: hardware?.memoryMb ?? null } : {}),
    };
    return (await updateNodes(this.sql, set, { id, status: from })) > 0;
  }

  async edit(id: number, edit: NodeEdit): Promise<void> {
    const { zone, pool, tags, ...columns } = edit;
    const labelId = async (entity: typeof ZoneEntity | typeof PoolEntity, name: string | null | undefined) =>
      name === undefined ? undefined : name === null ? null : ((await this.em.findOne(entity, { name }, { fields: ['id'] }))?.id ?? null);
    const zoneId = await labelId(ZoneEntity, zone);
    const poolId = await labelId(PoolEntity, pool);
    const set = {
      ...columns,
      ...(columns.powerParameters !== undefined ? { powerParameters: this.secrets.sealParameters(columns.powerParameters) } : {}),
      ...(zoneId !== undefined ? { zone: zoneId } : {}),
      ...(poolId !== undefined ? { pool: poolId } : {}),
    };
    await updateNodes(this.sql, set, { id });
    if (tags !== undefined) {
      await this.sql.run(`delete from ${T.nodeTag} where node_id = ?`, [id]);
      if (tags.length)
        await this.sql.run(`insert into ${T.nodeTag} (node_id, tag_id) select ?, id from ${T.tag} where name in (${marks(tags)})`, [
          id,
          ...tags,
        ]);
    }
  }

  async setAnnotations(id: number, annotations: Record<string, string>, updatedAt: Date): Promise<void> {
    await updateNodes(this.sql, { annotations, updatedAt }, { id });
  }

  async delete(id: number, status: NodeStatus): Promise<boolean> {
    return (await this.sql.run(`delete from ${T.node} where id = ? and status = ?`, [id, status])) > 0;
  }

  async claimReady(constraints: AcquireConstraints): Promise<NodeRecord | null> {
    const { sql, params } = whereOf(constraintFilters(constraints), [{ sql: `n.status = 'ready'`, params: [] }]);
    // On PostgreSQL: lock the row returned and pass over rows other transactions hold, so concurrent
    // acquirers pick different nodes instead of queueing for the first one. SQLite has one writer.
    const claim = this.sql.dialect === 'postgresql' ? ' for update of n skip locked' : '';
    const [node] = await readNodes(this.sql, this.secrets, `${SELECT_NODES}${sql} order by n.id limit 1${claim}`, params);
    return node ?? null;
  }

  async countMatching(constraints: AcquireConstraints): Promise<StatusCounts> {
    const { sql, params } = whereOf(constraintFilters(constraints));
    const counts = emptyCounts();
    const rows = await this.sql.all<{ status: NodeStatus; n: number | string }>(
      `select n.status as status, count(*) as n from ${T.node} n${sql} group by n.status`,
      params,
    );
    for (const row of rows) if (row.status in counts) counts[row.status] = Number(row.n);
    return counts;
  }

  async dueAt(now: Date): Promise<string[]> {
    const rows = await this.em.find(
      NodeEntity,
      { status: { $in: ['commissioning', 'deploying', 'releasing'] }, statusDeadline: { $lte: now } },
      { fields: ['systemId'] },
    );
    return rows.map((row) => row.systemId);
  }

  async isDue(systemId: string, now: Date): Promise<boolean> {
    return (await this.em.count(NodeEntity, { systemId, statusDeadline: { $lte: now } })) > 0;
  }
}
