import { DeadlockException, UniqueConstraintViolationException, Utils, type EntityManager, type EntityName, type MikroORM, type RequiredEntityData } from '@mikro-orm/sqlite';
import {
  ConflictError,
  DEFAULT_POLICY,
  DomainError,
  ForbiddenError,
  NODE_STATUSES,
  NotFoundError,
  OWNED_STATUSES,
  UnauthenticatedError,
  actorName,
  assertMayTakeAction,
  generateHostname,
  generateSystemId,
  isDomainError,
  nextStatus,
  trustedEnlistStatus,
  type AcquireConstraints,
  type Actor,
  type CommissioningReport,
  type DeploymentReport,
  type EnlistInput,
  type EventRecord,
  type LifecyclePolicy,
  type ListNodesInput,
  type NodeAction,
  type NodeChange,
  type NodePage,
  type NodeRecord,
  type NodeStatus,
  type NodeStore,
  type NodeUpdate,
  type SimpleNodeAction,
  type StatusCounts,
  type UserActor,
} from '@metalyard/domain';
import { generateToken, hashToken } from './auth-store.js';
import { describeConstraints, explainNoMatch } from './acquire-constraints.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  MacAddressEntity,
  NodeEntity,
  NodeEventEntity,
  PoolEntity,
  TagEntity,
  ZoneEntity,
  type LabelRow,
  type NodeEventRow,
  type NodeRow,
  type UserRow,
} from './entities/index.js';
import { asConflict } from './errors.js';
import { NODE_COLUMNS, NODE_FROM, marks, selectNodes, type LoadedNode } from './node-records.js';
import { GroupCommit } from './group-commit.js';
import type { EventBus } from './event-bus.js';
import { toEventRecord } from './event-store.js';
import { claimRowClause } from './postgres.js';

export const MACHINE_TOKEN_PREFIX = 'mlm_';

export interface LifecycleSettings {
  policy: LifecyclePolicy;
  /** How long a node may stay in commissioning without reporting. */
  commissioningTimeoutMs: number;
  /** How long erasing takes on release; 0 finishes the release within the call. */
  eraseDelayMs: number;
  /** The time, injectable so tests of timeouts need not sleep. */
  clock: () => Date;
  /** At most this many nodes may wait in declared; beyond it anonymous enlistment is refused. */
  maxDeclared: number;
}

export const DEFAULT_LIFECYCLE: LifecycleSettings = {
  policy: DEFAULT_POLICY,
  commissioningTimeoutMs: 30 * 60_000,
  eraseDelayMs: 0,
  clock: () => new Date(),
  maxDeclared: 10_000,
};

const POPULATE = ['macAddresses', 'owner', 'zone', 'pool', 'tags'] as const;

/** A request to enlist, waiting for its batch. */
interface Enlistment {
  input: EnlistInput;
  actor: Actor;
  trusted: boolean;
}

/** One transaction: its entity manager, and the events to publish once it commits. */
interface Tx {
  em: EntityManager;
  events: EventRecord[];
}

/** Column changes that go with a transition. */
interface Changes {
  owner?: { id: number; username: string } | null;
  annotations?: Record<string, string>;
  hardware?: NodeRecord['hardware'];
  statusMessage?: string | null;
}

function toRecord(row: NodeRow): NodeRecord {
  return {
    systemId: row.systemId,
    hostname: row.hostname,
    status: row.status,
    architecture: row.architecture,
    macAddresses: row.macAddresses.isInitialized() ? row.macAddresses.getItems().map((mac) => mac.address).sort() : [],
    powerType: row.powerType,
    powerParameters: row.powerParameters,
    owner: (row.owner as UserRow | null | undefined)?.username ?? null,
    zone: (row.zone as LabelRow | null | undefined)?.name ?? null,
    pool: (row.pool as LabelRow | null | undefined)?.name ?? null,
    tags: row.tags.isInitialized() ? row.tags.getItems().map((tag) => tag.name).sort() : [],
    hardware: row.hardware ?? null,
    annotations: row.annotations ?? {},
    statusMessage: row.statusMessage ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}


function emptyCounts(): StatusCounts {
  return Object.fromEntries(NODE_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export class SqlNodeStore implements NodeStore {
  private readonly settings: LifecycleSettings;

  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    settings: Partial<LifecycleSettings> = {},
  ) {
    this.settings = { ...DEFAULT_LIFECYCLE, ...settings };
  }

  /** Runs `work` in one transaction; its events are published only after it commits. */
  private async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const events: EventRecord[] = [];
      try {
        // begin/commit rather than em.transactional(): the same transaction without an
        // AsyncLocalStorage context, which would tax every promise of the request.
        const em = this.orm.em.fork();
        await em.begin();
        let result: T;
        try {
          result = await work({ em, events });
          await em.commit();
        } catch (error) {
          await em.rollback();
          throw error;
        }
        for (const event of events) this.bus.publish(event);
        return result;
      } catch (error) {
        // PostgreSQL may pick this transaction as a deadlock victim: it did nothing, so run it again.
        if (!(error instanceof DeadlockException) || attempt >= 3) throw error;
      }
    }
  }

  private now(): Date {
    return this.settings.clock();
  }

  private async recordEvent(
    tx: Tx,
    node: { id: number; systemId: string },
    type: string,
    fromStatus: NodeStatus | null,
    toStatus: NodeStatus | null,
    actor: Actor,
    at: Date,
    details: Record<string, unknown> | null = null,
  ): Promise<void> {
    const row = { nodeId: node.id, systemId: node.systemId, type, fromStatus, toStatus, actor: actorName(actor), details, createdAt: at };
    const id = Number(await tx.em.insert(NodeEventEntity, row));
    tx.events.push(toEventRecord({ id, ...row } as NodeEventRow));
  }

  private async load(em: EntityManager, systemId: string): Promise<NodeRow> {
    const node = await em.findOne(NodeEntity, { systemId }, { populate: POPULATE });
    if (!node) throw new NotFoundError('node', systemId);
    return node;
  }

  /** The node `systemId` as a plain record, read with two statements and no entities. */
  private async read(tx: Tx | null, systemId: string): Promise<LoadedNode> {
    const [node] = await this.selectNodes(tx, `select ${NODE_COLUMNS} from ${NODE_FROM} where n.system_id = ?`, [systemId]);
    if (!node) throw new NotFoundError('node', systemId);
    return node;
  }

  private selectNodes(tx: Tx | null, sql: string, params: unknown[]): Promise<LoadedNode[]> {
    return selectNodes((sql, params) => (tx ? this.select(tx, sql, params) : this.orm.em.getConnection().execute(sql, params, 'all')), sql, params);
  }

  /**
   * Moves a loaded node through `action` with a conditional update (it applies only if the status
   * is still the one we read), issues a per-node token when the node starts commissioning or
   * deploying, and records the event in the same transaction.
   */
  private async move(
    tx: Tx,
    node: LoadedNode,
    action: NodeAction,
    actor: Actor,
    changes: Changes = {},
    details: Record<string, unknown> | null = null,
    from: NodeStatus = node.status,
  ): Promise<NodeChange> {
    const to = nextStatus(from, action, node.systemId, this.settings.policy);
    if (to === null) throw new Error(`move() cannot delete: use delete() for ${action}`);
    return this.setStatus(tx, node, action, from, to, actor, changes, details);
  }

  private async setStatus(
    tx: Tx,
    node: LoadedNode,
    type: string,
    from: NodeStatus,
    to: NodeStatus,
    actor: Actor,
    changes: Changes,
    details: Record<string, unknown> | null,
  ): Promise<NodeChange> {
    const now = this.now();
    const machineToken = to === 'commissioning' || to === 'deploying' ? generateToken(MACHINE_TOKEN_PREFIX) : undefined;
    const statusDeadline =
      to === 'commissioning'
        ? new Date(now.getTime() + this.settings.commissioningTimeoutMs)
        : to === 'releasing'
          ? new Date(now.getTime() + this.settings.eraseDelayMs)
          : null;
    // Leaving the owned statuses (or entering commissioning) hands the node back: no owner, no notes.
    const owner = changes.owner !== undefined ? changes.owner : OWNED_STATUSES.includes(to) || to === 'broken' ? undefined : null;
    const annotations = changes.annotations ?? (owner === null ? {} : undefined);
    const set = {
      status: to,
      updatedAt: now,
      statusMessage: changes.statusMessage ?? null,
      statusDeadline,
      machineTokenHash: machineToken ? hashToken(machineToken) : null,
      ...(owner !== undefined ? { owner: owner?.id ?? null } : {}),
      ...(annotations !== undefined ? { annotations } : {}),
      ...(changes.hardware !== undefined
        ? { hardware: changes.hardware, cpuCount: changes.hardware?.cpuCount ?? null, memoryMb: changes.hardware?.memoryMb ?? null }
        : {}),
    };
    const affected = await tx.em.nativeUpdate(NodeEntity, { id: node.id, status: from }, set);
    if (affected === 0) throw new ConflictError(`node ${node.systemId} changed while it was being updated; try again`);
    if (from === 'declared') this.declaredCount.countedAt = -Infinity;
    await this.recordEvent(tx, node, type, from, to, actor, now, details);
    const { record } = node;
    return {
      node: {
        ...record,
        status: to,
        updatedAt: now,
        statusMessage: set.statusMessage,
        owner: owner === undefined ? record.owner : (owner?.username ?? null),
        annotations: annotations ?? record.annotations,
        hardware: changes.hardware !== undefined ? changes.hardware : record.hardware,
      },
      ...(machineToken ? { machineToken } : {}),
    };
  }

  // Enlistment ------------------------------------------------------------------------------

  async enlist(input: EnlistInput, actor: Actor, trusted: boolean): Promise<NodeChange> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.enlistments.submit({ input, actor, trusted }, input.macAddresses.length);
      } catch (error) {
        // Another writer (a replica, another process) took a MAC, a hostname or a system id between our
        // lookups and our insert. Trying again sees its row: a known MAC follows the re-enlistment
        // rules, a given hostname is a clean 409, and generated names and ids are drawn afresh.
        if (error instanceof UniqueConstraintViolationException && attempt < 4) continue;
        throw asConflict(error, 'another node took this hostname or one of these MAC addresses at the same moment');
      }
    }
  }

  /** Enlistments are group-committed: see group-commit.ts and docs/design-write-path.md. */
  private readonly enlistments = new GroupCommit<Enlistment, NodeChange>((items) => this.enlistBatch(items), 4096);

  /**
   * Writes a batch of enlistments in one transaction with a fixed number of statements: one lookup
   * of all their MACs, one of their hostnames, one insert each of nodes, MACs and events. A request
   * whose MACs are known, or that collides with an earlier one of the same batch, goes after the
   * others, one by one, so it sees them (re-enlistment rules, conflicts) exactly as it would alone.
   * Each request gets its node or its own error; an unexpected error fails the batch (and the
   * group commit then retries its requests one at a time).
   */
  private enlistBatch(items: Enlistment[]): Promise<(NodeChange | Error)[]> {
    return this.transaction(async (tx) => {
      const results: (NodeChange | Error | undefined)[] = new Array(items.length);
      const known = new Set(
        (await this.selectIn<{ address: string }>(tx, 'select address from mac_address where address in', items.flatMap((item) => item.input.macAddresses))).map(
          (row) => row.address,
        ),
      );
      const claimedMacs = new Set<string>();
      const claimedHostnames = new Set<string>();
      const fresh: number[] = [];
      const oneByOne: number[] = [];
      items.forEach(({ input }, i) => {
        const collides = input.macAddresses.some((mac) => known.has(mac) || claimedMacs.has(mac)) || (input.hostname !== undefined && claimedHostnames.has(input.hostname));
        if (collides) return void oneByOne.push(i);
        input.macAddresses.forEach((mac) => claimedMacs.add(mac));
        if (input.hostname) claimedHostnames.add(input.hostname);
        fresh.push(i);
      });

      const anonymous = fresh.filter((i) => !items[i]!.trusted);
      if (anonymous.length) {
        const waiting = await this.declaredWaiting(tx);
        anonymous.slice(Math.max(0, this.settings.maxDeclared - waiting)).forEach((i) => (results[i] = this.noRoomForDeclared(waiting)));
        this.declaredCount = { ...this.declaredCount, value: waiting + anonymous.filter((i) => !results[i]).length };
      }
      const named = fresh.filter((i) => !results[i] && items[i]!.input.hostname);
      const taken = await this.selectIn<{ hostname: string; system_id: string }>(
        tx,
        'select hostname, system_id from node where hostname in',
        named.map((i) => items[i]!.input.hostname!),
      );
      for (const i of named) {
        const holder = taken.find((row) => row.hostname === items[i]!.input.hostname);
        if (holder) results[i] = new ConflictError(`hostname '${holder.hostname}' is taken by node ${holder.system_id}`);
      }

      const writable = fresh.filter((i) => !results[i]);
      if (writable.length) {
        const changes = await this.insertNodes(tx, writable.map((i) => items[i]!), claimedHostnames);
        writable.forEach((i, k) => (results[i] = changes[k]!));
      }
      for (const i of oneByOne) results[i] = await this.enlistAlone(tx, items[i]!);
      return results as (NodeChange | Error)[];
    });
  }

  /** Inserts new nodes with their MACs and `enlist` events, a statement per table. */
  private async insertNodes(tx: Tx, items: Enlistment[], reservedHostnames: Set<string>): Promise<NodeChange[]> {
    const generated = await this.freeHostnames(tx, items.filter((item) => !item.input.hostname).length, reservedHostnames);
    const systemIds = this.freeSystemIds(items.length);
    const now = this.now();
    const nodes = items.map(({ input, trusted }, k) => {
      const status: NodeStatus = trusted ? trustedEnlistStatus(this.settings.policy) : 'declared';
      const machineToken = status === 'commissioning' ? generateToken(MACHINE_TOKEN_PREFIX) : undefined;
      const hostname = input.hostname ?? generated.shift()!;
      return { input, status, machineToken, hostname, systemId: systemIds[k]! };
    });
    const nodeIds = await this.insertReturningIds(
      tx,
      NodeEntity,
      nodes.map(({ input, status, machineToken, hostname, systemId }) => ({
        systemId,
        hostname,
        status,
        architecture: input.architecture,
        powerType: input.powerType,
        powerParameters: input.powerParameters,
        owner: null,
        zone: null,
        pool: null,
        hardware: null,
        cpuCount: null,
        memoryMb: null,
        annotations: {},
        statusMessage: null,
        statusDeadline: machineToken ? new Date(now.getTime() + this.settings.commissioningTimeoutMs) : null,
        machineTokenHash: machineToken ? hashToken(machineToken) : null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const ids = new Map(nodes.map(({ systemId }, k) => [systemId, nodeIds[k]!]));
    await tx.em.insertMany(
      MacAddressEntity,
      nodes.flatMap(({ input, systemId }) => input.macAddresses.map((address) => ({ address, node: ids.get(systemId)! }))),
    );
    const events = nodes.map(({ systemId, status }, k) => ({
      nodeId: ids.get(systemId)!,
      systemId,
      type: 'enlist',
      fromStatus: null,
      toStatus: status,
      actor: actorName(items[k]!.actor),
      details: null,
      createdAt: now,
    }));
    const eventIds = await this.insertReturningIds(tx, NodeEventEntity, events);
    events.forEach((event, k) => tx.events.push(toEventRecord({ ...event, id: eventIds[k]! } as NodeEventRow)));
    return nodes.map(({ input, status, machineToken, hostname, systemId }) => ({
      node: {
        systemId,
        hostname,
        status,
        architecture: input.architecture,
        macAddresses: [...input.macAddresses].sort(),
        powerType: input.powerType,
        powerParameters: input.powerParameters,
        owner: null,
        zone: null,
        pool: null,
        tags: [],
        hardware: null,
        annotations: {},
        statusMessage: null,
        createdAt: now,
        updatedAt: now,
      },
      ...(machineToken ? { machineToken } : {}),
    }));
  }

  /**
   * An enlistment that must see the database as it is: a known MAC (the re-enlistment rules) or a
   * collision with another request of its batch. In a savepoint, so its failure is its own.
   */
  private async enlistAlone(tx: Tx, item: Enlistment): Promise<NodeChange | Error> {
    const events: EventRecord[] = [];
    try {
      const change = await tx.em.transactional(async (em) => {
        const inner = { em, events };
        const owners = await this.selectIn<{ system_id: string }>(
          inner,
          'select distinct n.system_id from mac_address m join node n on n.id = m.node_id where m.address in',
          item.input.macAddresses,
        );
        if (owners.length > 0) return this.reenlist(inner, owners.map((row) => row.system_id), item.actor, item.trusted);
        if (!item.trusted) {
          const waiting = await em.count(NodeEntity, { status: 'declared' });
          if (waiting >= this.settings.maxDeclared) throw this.noRoomForDeclared(waiting);
        }
        if (item.input.hostname) {
          const holder = await em.findOne(NodeEntity, { hostname: item.input.hostname }, { fields: ['systemId'] });
          if (holder) throw new ConflictError(`hostname '${item.input.hostname}' is taken by node ${holder.systemId}`);
        }
        return (await this.insertNodes(inner, [item], new Set()))[0]!;
      });
      tx.events.push(...events);
      return change;
    } catch (error) {
      if (isDomainError(error)) return error;
      throw error;
    }
  }

  /** A machine enlisting again with a MAC we know: the re-enlistment rules. */
  private async reenlist(tx: Tx, owners: string[], actor: Actor, trusted: boolean): Promise<NodeChange> {
    if (owners.length > 1) throw new ConflictError(`these MAC addresses belong to several nodes: ${owners.join(', ')}`);
    const node = await this.read(tx, owners[0]!);
    if (node.status !== 'declared') {
      throw new ConflictError(`MAC address already belongs to node ${node.systemId} (${node.hostname}), which is ${node.status}`, {
        systemId: node.systemId,
        status: node.status,
      });
    }
    if (!trusted) return { node: node.record };
    return this.move(tx, node, 'accept', actor);
  }


  /** How many nodes wait in declared, counted at most once a second (plus what this process added since). */
  private declaredCount = { value: 0, countedAt: -Infinity };
  private async declaredWaiting(tx: Tx): Promise<number> {
    const now = Date.now();
    if (now - this.declaredCount.countedAt > 1000) {
      this.declaredCount = { value: await tx.em.count(NodeEntity, { status: 'declared' }), countedAt: now };
    }
    return this.declaredCount.value;
  }

  /** The anonymous door's global cap: a flood of self-enlisting machines cannot bury the approval queue. */
  private noRoomForDeclared(waiting: number): DomainError {
    return new DomainError(
      'unavailable',
      `${waiting} machines are already waiting for approval (the limit is ${this.settings.maxDeclared}); accept or delete some before more can enlist`,
      { retryAfter: 60 },
    );
  }

  /**
   * One multi-row INSERT … RETURNING id, the ids in row order. (`em.insertMany` returns only the
   * last id on SQLite; the driver's result holds them all.)
   */
  private async insertReturningIds<Entity extends object>(tx: Tx, entity: EntityName<Entity>, rows: RequiredEntityData<Entity>[]): Promise<number[]> {
    const result = await tx.em.getDriver().nativeInsertMany(Utils.className(entity), rows as never, { ctx: tx.em.getTransactionContext() });
    const ids = (result.rows ?? []).map((row) => Number((row as { id?: unknown }).id));
    if (ids.length !== rows.length || ids.some((id) => !Number.isSafeInteger(id))) {
      throw new Error(`insert into ${String(entity)} returned ${ids.length} ids for ${rows.length} rows`);
    }
    return ids;
  }

  /** Rows whose column is among `values`, a bounded number of parameters per query. */
  private async selectIn<T>(tx: Tx, sql: string, values: unknown[]): Promise<T[]> {
    const rows: T[] = [];
    for (let start = 0; start < values.length; start += 5000) {
      const chunk = values.slice(start, start + 5000);
      rows.push(...(await this.select<T>(tx, `${sql} (${chunk.map(() => '?').join(', ')})`, chunk)));
    }
    return rows;
  }

  /** Set once plain adjective-noun names are mostly taken: then every generated name gets a number. */
  private numberedHostnames = false;

  /** `count` readable hostnames free in the database and not in `reserved`, checked a round at a time. */
  private async freeHostnames(tx: Tx, count: number, reserved: Set<string>): Promise<string[]> {
    const found: string[] = [];
    for (let round = 0; found.length < count && round < 8; round++) {
      const candidates = new Set<string>();
      // Adjective-noun while those are mostly free; with a number once they run short.
      const numbered = this.numberedHostnames || round >= 2;
      for (let tries = 0; candidates.size < count - found.length && tries < 20 * count; tries++) {
        const name = generateHostname(Math.random, numbered ? Math.floor(Math.random() * 100_000) : undefined);
        if (!reserved.has(name) && !found.includes(name)) candidates.add(name);
      }
      if (numbered) {
        // One in millions collides; the unique index catches that, and the batch is retried one by one.
        found.push(...candidates);
        continue;
      }
      const taken = new Set((await this.selectIn<{ hostname: string }>(tx, 'select hostname from node where hostname in', [...candidates])).map((row) => row.hostname));
      if (taken.size * 2 > candidates.size) this.numberedHostnames = true;
      found.push(...[...candidates].filter((name) => !taken.has(name)));
    }
    if (found.length < count) throw new ConflictError('could not find a free hostname; give one explicitly');
    return found.slice(0, count);
  }

  /**
   * Fresh system ids, distinct within the batch. Not looked up first: at a million nodes a new id
   * collides about once in a thousand; the unique index refuses it, the batch is retried one by
   * one, and the one-node path (which draws again) absorbs it.
   */
  private freeSystemIds(count: number): string[] {
    const ids = new Set<string>();
    while (ids.size < count) ids.add(generateSystemId());
    return [...ids];
  }

  // Reading ---------------------------------------------------------------------------------

  async get(systemId: string): Promise<NodeRecord> {
    return (await this.read(null, systemId)).record;
  }

  async list(query: ListNodesInput): Promise<NodePage> {
    // Plain SQL and plain records: a page of a thousand nodes hydrates no entities.
    const filters: string[] = [];
    const params: unknown[] = [];
    const filter = (sql: string, value: unknown) => {
      filters.push(sql);
      params.push(value);
    };
    if (query.architecture) filter('n.architecture = ?', query.architecture);
    if (query.owner) filter('n.owner_id in (select id from app_user where username = ?)', query.owner);
    if (query.zone) filter('n.zone_id in (select id from zone where name = ?)', query.zone);
    if (query.pool) filter('n.pool_id in (select id from pool where name = ?)', query.pool);
    if (query.tag) filter('n.id in (select nt.node_id from node_tag nt join tag t on t.id = nt.tag_id where t.name = ?)', query.tag);
    if (query.hostnamePrefix) filter('n.hostname like ?', `${escapeLike(query.hostnamePrefix)}%`);
    if (query.mac) filter('n.id in (select node_id from mac_address where address = ?)', query.mac);
    const statuses = [...new Set([...(query.statuses ?? []), ...(query.status ? [query.status] : [])])];
    const after = query.cursor ? decodeCursor(query.cursor) : 0;

    const pageWhere = [...(statuses.length ? [`n.status in (${marks(statuses)})`] : []), 'n.id > ?', ...filters];
    const rows = await this.selectNodes(
      null,
      `select ${NODE_COLUMNS} from ${NODE_FROM} where ${pageWhere.join(' and ')} order by n.id limit ?`,
      [...statuses, after, ...params, query.limit + 1],
    );
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;

    const counts = await this.countByStatus(filters, params);
    return { items: page.map((node) => node.record), nextCursor: more ? encodeCursor(page.at(-1)!.id) : null, counts };
  }

  /** Nodes per status under a list's filters (all but the status ones). */
  private async countByStatus(filters: string[], params: unknown[]): Promise<StatusCounts> {
    const counts = emptyCounts();
    const connection = this.orm.em.getConnection();
    if (filters.length === 0) {
      // One count per status, each over its own range of the (status, id) index: on SQLite about
      // three times faster than grouping the whole index.
      const columns = NODE_STATUSES.map((_, i) => `(select count(*) from node where status = ?) as c${i}`).join(', ');
      const [row] = await connection.execute<Record<string, number | string>[]>(`select ${columns}`, [...NODE_STATUSES], 'all');
      NODE_STATUSES.forEach((status, i) => (counts[status] = Number(row?.[`c${i}`] ?? 0)));
      return counts;
    }
    const grouped = await connection.execute<{ status: NodeStatus; count: number | string }[]>(
      `select n.status, count(*) as count from node n where ${filters.join(' and ')} group by n.status`,
      params,
      'all',
    );
    for (const row of grouped) if (row.status in counts) counts[row.status] = Number(row.count);
    return counts;
  }

  // Transitions -----------------------------------------------------------------------------

  async accept(systemIds: string[] | 'all', actor: UserActor): Promise<{ accepted: string[]; machineTokens: Record<string, string> }> {
    return this.transaction(async (tx) => {
      const ids =
        systemIds === 'all'
          ? (await tx.em.find(NodeEntity, { status: 'declared' }, { fields: ['systemId'], orderBy: { id: 'asc' } })).map((row) => row.systemId)
          : // Rows are locked in one order (PostgreSQL), so two accepts naming the same nodes cannot deadlock.
            [...new Set(systemIds)].sort();
      const accepted: string[] = [];
      const machineTokens: Record<string, string> = {};
      for (const systemId of ids) {
        const node = await this.read(tx, systemId);
        if (node.status === 'ready') continue;
        assertMayTakeAction('accept', actor.user, null, systemId);
        const change = await this.move(tx, node, 'accept', actor);
        accepted.push(systemId);
        if (change.machineToken) machineTokens[systemId] = change.machineToken;
      }
      const order = systemIds === 'all' ? ids : systemIds;
      accepted.sort((a, b) => order.indexOf(a) - order.indexOf(b));
      return { accepted, machineTokens };
    });
  }

  async acquire(constraints: AcquireConstraints, actor: UserActor): Promise<NodeRecord> {
    const owner = { id: actor.user.id, username: actor.user.username };
    const clauses = describeConstraints(constraints);
    const where = clauses.map((clause) => clause.sql).join(' and ');
    const params = clauses.flatMap((clause) => clause.params);
    return this.transaction(async (tx) => {
      // The first match, read whole in the same statement (on PostgreSQL locked, passing over rows
      // other acquirers hold), then claimed with an update conditional on it still being ready.
      const [candidate] = await this.selectNodes(
        tx,
        `select ${NODE_COLUMNS} from ${NODE_FROM} where n.status = 'ready'${where ? ` and ${where}` : ''} order by n.id limit 1${claimRowClause(tx.em)}`,
        params,
      );
      if (candidate) return (await this.move(tx, candidate, 'acquire', actor, { owner })).node;
      if (constraints.systemId) {
        const named = await tx.em.findOne(NodeEntity, { systemId: constraints.systemId }, { populate: ['owner'] });
        if (!named) throw new NotFoundError('node', constraints.systemId);
        if (named.status !== 'ready') {
          const holder = (named.owner as UserRow | null)?.username;
          throw new ConflictError(`node ${named.systemId} is ${named.status}${holder ? ` (owned by ${holder})` : ''}, not ready`, {
            systemId: named.systemId,
            status: named.status,
          });
        }
      }
      throw new ConflictError(await explainNoMatch(clauses, (sql, values) => this.select(tx, sql, values)));
    });
  }

  private select<T>(tx: Tx, sql: string, params: unknown[]): Promise<T[]> {
    return tx.em.getConnection().execute<T[]>(sql, params, 'all', tx.em.getTransactionContext());
  }

  async act(systemId: string, action: SimpleNodeAction, actor: UserActor, comment?: string): Promise<NodeChange> {
    return this.transaction(async (tx) => {
      const node = await this.read(tx, systemId);
      // Releasing a node that is already ready (or on its way there) changes nothing.
      if (action === 'release' && (node.status === 'ready' || node.status === 'releasing')) return { node: node.record };
      nextStatus(node.status, action, systemId, this.settings.policy);
      assertMayTakeAction(action, actor.user, node.record.owner, systemId);
      const details = comment ? { comment } : null;
      const message = action === 'markBroken' || action === 'abort' ? (comment ?? `${action} by ${actor.user.username}`) : (comment ?? null);
      const change = await this.move(tx, node, action, actor, { statusMessage: message }, details);
      if (action === 'release' && this.settings.eraseDelayMs === 0) {
        // Nothing to wait for: erasing is simulated, so the release completes in the same transaction.
        return this.move(tx, node, 'finishRelease', { kind: 'system', task: 'erase' }, { owner: null }, null, change.node.status);
      }
      return change;
    });
  }

  async delete(systemId: string, actor: UserActor): Promise<void> {
    await this.transaction(async (tx) => {
      const node = await this.read(tx, systemId);
      nextStatus(node.status, 'delete', systemId, this.settings.policy);
      assertMayTakeAction('delete', actor.user, null, systemId);
      const affected = await tx.em.nativeDelete(NodeEntity, { id: node.id, status: node.status });
      if (affected === 0) throw new ConflictError(`node ${systemId} changed while it was being deleted; try again`);
      if (node.status === 'declared') this.declaredCount.countedAt = -Infinity;
      await this.recordEvent(tx, node, 'delete', node.status, null, actor, this.now(), { hostname: node.hostname });
    });
  }

  async update(change: NodeUpdate, actor: UserActor): Promise<NodeRecord> {
    return this.transaction(async (tx) => {
      const { em } = tx;
      const node = await this.load(em, change.systemId);
      const owner = (node.owner as UserRow | null)?.username ?? null;
      const isAdmin = actor.user.role === 'admin';
      const adminOnly = (['powerType', 'powerParameters', 'zone', 'pool'] as const).filter((field) => change[field] !== undefined);
      if (!isAdmin && owner !== actor.user.username) {
        throw new ForbiddenError(`only the owner of node ${change.systemId} or an admin may update it`);
      }
      if (!isAdmin && adminOnly.length) throw new ForbiddenError(`only an admin may change ${adminOnly.join(', ')}`);

      const changed: string[] = [];
      if (change.hostname !== undefined && change.hostname !== node.hostname) {
        const holder = await em.findOne(NodeEntity, { hostname: change.hostname }, { fields: ['systemId'] });
        if (holder) throw new ConflictError(`hostname '${change.hostname}' is taken by node ${holder.systemId}`);
        node.hostname = change.hostname;
        changed.push('hostname');
      }
      if (change.powerType !== undefined) {
        node.powerType = change.powerType;
        changed.push('powerType');
      }
      if (change.powerParameters !== undefined) {
        node.powerParameters = change.powerParameters;
        changed.push('powerParameters');
      }
      for (const [field, entity] of [
        ['zone', ZoneEntity],
        ['pool', PoolEntity],
      ] as const) {
        const name = change[field];
        if (name === undefined) continue;
        const label = name === null ? null : await em.findOne(entity, { name });
        if (name !== null && !label) throw new NotFoundError(field, name);
        node[field] = label as never;
        changed.push(field);
      }
      if (change.tags !== undefined) {
        const names = [...new Set(change.tags)];
        const tags = names.length ? await em.find(TagEntity, { name: { $in: names } }) : [];
        const missing = names.filter((name) => !tags.some((tag) => tag.name === name));
        if (missing.length) throw new NotFoundError('tag', missing.join(', '));
        node.tags.set(tags);
        changed.push('tags');
      }
      if (changed.length === 0) return toRecord(node);
      node.updatedAt = this.now();
      try {
        await em.flush();
      } catch (error) {
        throw asConflict(error, `hostname '${change.hostname}' was taken at the same moment`);
      }
      await this.recordEvent(tx, node, 'update', null, null, actor, node.updatedAt, { changed });
      return toRecord(node);
    });
  }

  async annotate(systemId: string, annotations: Record<string, string | null>, actor: UserActor): Promise<NodeRecord> {
    return this.transaction(async (tx) => {
      const node = await this.read(tx, systemId);
      const { owner } = node.record;
      if (owner !== actor.user.username) {
        throw new ForbiddenError(
          owner ? `only the owner of node ${systemId} (${owner}) may annotate it` : `node ${systemId} has no owner to annotate it`,
        );
      }
      const next = { ...node.record.annotations };
      for (const [key, value] of Object.entries(annotations)) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      if (Object.keys(next).length > 64) throw new ConflictError('a node may hold at most 64 annotations');
      const now = this.now();
      await tx.em.nativeUpdate(NodeEntity, { id: node.id }, { annotations: next, updatedAt: now });
      await this.recordEvent(tx, node, 'annotate', null, null, actor, now, { keys: Object.keys(annotations) });
      return { ...node.record, annotations: next, updatedAt: now };
    });
  }

  // The machine's own reports -------------------------------------------------------------------

  /** The node a per-node token belongs to; a wrong token is recorded as a failed attempt on the node. */
  private async machineNode(tx: Tx, token: string, systemId: string): Promise<LoadedNode> {
    const [node] = await this.selectNodes(tx, `select ${NODE_COLUMNS} from ${NODE_FROM} where n.system_id = ? and n.machine_token_hash = ?`, [
      systemId,
      hashToken(token),
    ]);
    if (node) return node;
    throw new UnauthenticatedError(`invalid or expired machine token for node ${systemId}`);
  }

  private async recordFailedMachineAuth(systemId: string, type: string): Promise<void> {
    await this.transaction(async (tx) => {
      const node = await tx.em.findOne(NodeEntity, { systemId }, { fields: ['id', 'systemId'] });
      if (node) await this.recordEvent(tx, node, 'auth_failed', null, null, { kind: 'machine', systemId }, this.now(), { report: type });
    });
  }

  private async report<T>(systemId: string, type: string, work: (tx: Tx, node: LoadedNode) => Promise<T>, token: string): Promise<T> {
    try {
      return await this.transaction(async (tx) => work(tx, await this.machineNode(tx, token, systemId)));
    } catch (error) {
      if (error instanceof UnauthenticatedError) await this.recordFailedMachineAuth(systemId, type);
      throw error;
    }
  }

  async reportCommissioning(token: string, report: CommissioningReport): Promise<NodeRecord> {
    return this.report(
      report.systemId,
      'commissioning',
      async (tx, node) => {
        const actor: Actor = { kind: 'machine', systemId: node.systemId };
        const failing = report.tests.filter((test) => !test.passed).map((test) => test.name);
        const details = { tests: report.tests.map((test) => ({ name: test.name, passed: test.passed })) };
        if (report.result === 'passed') {
          return (await this.move(tx, node, 'passCommissioning', actor, { hardware: report.hardware ?? null }, details)).node;
        }
        const reason = report.reason ?? (failing.length ? `failing tests: ${failing.join(', ')}` : 'commissioning failed');
        return (
          await this.move(tx, node, 'failCommissioning', actor, { statusMessage: reason, ...(report.hardware ? { hardware: report.hardware } : {}) }, {
            ...details,
            reason,
          })
        ).node;
      },
      token,
    );
  }

  async reportDeployment(token: string, report: DeploymentReport): Promise<NodeRecord> {
    return this.report(
      report.systemId,
      'deployment',
      async (tx, node) => {
        const actor: Actor = { kind: 'machine', systemId: node.systemId };
        if (report.result === 'passed') return (await this.move(tx, node, 'passDeployment', actor)).node;
        const reason = report.reason ?? 'deployment failed';
        return (await this.move(tx, node, 'failDeployment', actor, { statusMessage: reason }, { reason })).node;
      },
      token,
    );
  }

  // The server's periodic work ------------------------------------------------------------------

  async sweep(now: Date = this.now()): Promise<number> {
    const due = await this.orm.em
      .fork()
      .find(NodeEntity, { status: { $in: ['commissioning', 'releasing'] }, statusDeadline: { $lte: now } }, { fields: ['systemId'] });
    let moved = 0;
    for (const { systemId } of due) {
      try {
        await this.transaction(async (tx) => {
          if (!(await tx.em.count(NodeEntity, { systemId, statusDeadline: { $lte: now } }))) return;
          const node = await this.read(tx, systemId);
          if (node.status === 'commissioning') {
            const minutes = Math.round(this.settings.commissioningTimeoutMs / 60_000);
            const reason = `commissioning timed out: no report within ${minutes} minute(s)`;
            await this.move(tx, node, 'failCommissioning', { kind: 'system', task: 'commissioning-timeout' }, { statusMessage: reason }, { reason });
          } else if (node.status === 'releasing') {
            await this.move(tx, node, 'finishRelease', { kind: 'system', task: 'erase' }, { owner: null });
          } else {
            return;
          }
          moved += 1;
        });
      } catch (error) {
        // Another worker (or a person) moved the node first: that is the point of the conditional update.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return moved;
  }
}
