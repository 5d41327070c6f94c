import { raw, type EntityManager, type MikroORM } from '@mikro-orm/sqlite';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  actorName,
  generateHostname,
  generateSystemId,
  nextStatus,
  type AcquireConstraints,
  type Actor,
  type EnlistInput,
  type ListNodesInput,
  type NodeAction,
  type NodePage,
  type NodeRecord,
  type NodeStatus,
  type NodeStore,
} from '@metalyard/domain';
import { MacAddressEntity, NodeEntity, NodeEventEntity, type NodeRow, type UserRow } from './entities/index.js';
import { asConflict } from './errors.js';

type UserActor = Actor & { kind: 'user' };
const POPULATE = ['macAddresses', 'owner'] as const;

export function encodeCursor(id: number): string {
  return Buffer.from(`n${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^n(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidInputError('cursor: is not a cursor from a previous page', 'cursor');
  return Number(match[1]);
}

function toRecord(row: NodeRow, macs?: string[]): NodeRecord {
  const owner = row.owner as UserRow | null | undefined;
  return {
    systemId: row.systemId,
    hostname: row.hostname,
    status: row.status,
    architecture: row.architecture,
    macAddresses: macs ?? row.macAddresses.getItems().map((mac) => mac.address).sort(),
    powerType: row.powerType,
    powerParameters: row.powerParameters,
    owner: owner?.username ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export class SqlNodeStore implements NodeStore {
  constructor(private readonly orm: MikroORM) {}

  /** Runs `work` in one transaction on a fresh entity manager. */
  private transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  async enlist(input: EnlistInput, actor: Actor, trusted: boolean): Promise<NodeRecord> {
    try {
      return await this.transaction(async (em) => {
        const known = await em.find(MacAddressEntity, { address: { $in: input.macAddresses } }, { populate: ['node'] });
        if (known.length > 0) return this.reenlist(em, known.map((mac) => mac.node as NodeRow), actor, trusted);

        const hostname = input.hostname ?? (await this.freeHostname(em));
        if (input.hostname) {
          const holder = await em.findOne(NodeEntity, { hostname }, { fields: ['systemId'] });
          if (holder) throw new ConflictError(`hostname '${hostname}' is taken by node ${holder.systemId}`);
        }
        const systemId = await this.freeSystemId(em);
        const status: NodeStatus = trusted ? 'ready' : 'declared';
        const now = new Date();
        const id = Number(
          await em.insert(NodeEntity, {
            systemId,
            hostname,
            status,
            architecture: input.architecture,
            powerType: input.powerType,
            powerParameters: input.powerParameters,
            owner: null,
            createdAt: now,
            updatedAt: now,
          }),
        );
        await em.insertMany(
          MacAddressEntity,
          input.macAddresses.map((address) => ({ address, node: id })),
        );
        await this.recordEvent(em, { id, systemId }, 'enlisted', null, status, actor, now);
        return {
          systemId,
          hostname,
          status,
          architecture: input.architecture,
          macAddresses: [...input.macAddresses].sort(),
          powerType: input.powerType,
          powerParameters: input.powerParameters,
          owner: null,
          createdAt: now,
          updatedAt: now,
        };
      });
    } catch (error) {
      throw asConflict(error, 'another node took this hostname or one of these MAC addresses at the same moment');
    }
  }

  /** A machine enlisting again with a MAC we know: the re-enlistment rules. */
  private async reenlist(em: EntityManager, owners: NodeRow[], actor: Actor, trusted: boolean): Promise<NodeRecord> {
    const nodes = [...new Map(owners.map((node) => [node.id, node])).values()];
    if (nodes.length > 1) {
      throw new ConflictError(
        `these MAC addresses belong to several nodes: ${nodes.map((node) => node.systemId).join(', ')}`,
      );
    }
    const node = nodes[0]!;
    await em.populate(node, POPULATE);
    if (node.status !== 'declared') {
      throw new ConflictError(
        `MAC address already belongs to node ${node.systemId} (${node.hostname}), which is ${node.status}`,
        { systemId: node.systemId, status: node.status },
      );
    }
    if (!trusted) return toRecord(node);
    return this.transition(em, node, 'accept', actor);
  }

  private async freeHostname(em: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < 64; attempt++) {
      const candidate = generateHostname(Math.random, attempt < 8 ? undefined : Math.floor(Math.random() * 10_000));
      if (!(await em.count(NodeEntity, { hostname: candidate }))) return candidate;
    }
    throw new ConflictError('could not find a free hostname; give one explicitly');
  }

  private async freeSystemId(em: EntityManager): Promise<string> {
    for (let attempt = 0; attempt < 16; attempt++) {
      const candidate = generateSystemId();
      if (!(await em.count(NodeEntity, { systemId: candidate }))) return candidate;
    }
    throw new ConflictError('could not allocate a system id; try again');
  }

  private async recordEvent(
    em: EntityManager,
    node: { id: number; systemId: string },
    type: string,
    fromStatus: NodeStatus | null,
    toStatus: NodeStatus | null,
    actor: Actor,
    at: Date,
  ): Promise<void> {
    await em.insert(NodeEventEntity, {
      nodeId: node.id,
      systemId: node.systemId,
      type,
      fromStatus,
      toStatus,
      actor: actorName(actor),
      createdAt: at,
    });
  }

  /**
   * Moves a loaded node through `action` with a conditional update (it applies only if the
   * status is still the one we read), and records the event in the same transaction.
   */
  private async transition(
    em: EntityManager,
    node: NodeRow,
    action: NodeAction,
    actor: Actor,
    owner?: { id: number; username: string } | null,
  ): Promise<NodeRecord> {
    const from = node.status;
    const to = nextStatus(from, action, node.systemId);
    const now = new Date();
    const changes = owner === undefined ? { status: to, updatedAt: now } : { status: to, updatedAt: now, owner: owner?.id ?? null };
    const affected = await em.nativeUpdate(NodeEntity, { id: node.id, status: from }, changes);
    if (affected === 0) throw new ConflictError(`node ${node.systemId} changed while it was being updated; try again`);
    await this.recordEvent(em, node, action, from, to, actor, now);
    const record = toRecord(node);
    return {
      ...record,
      status: to,
      updatedAt: now,
      owner: owner === undefined ? record.owner : (owner?.username ?? null),
    };
  }

  private async load(em: EntityManager, systemId: string): Promise<NodeRow> {
    const node = await em.findOne(NodeEntity, { systemId }, { populate: POPULATE });
    if (!node) throw new NotFoundError('node', systemId);
    return node;
  }

  async get(systemId: string): Promise<NodeRecord> {
    return toRecord(await this.load(this.orm.em.fork(), systemId));
  }

  async list(query: ListNodesInput): Promise<NodePage> {
    const after = query.cursor ? decodeCursor(query.cursor) : 0;
    const rows = await this.orm.em.fork().find(
      NodeEntity,
      { id: { $gt: after }, ...(query.status ? { status: query.status } : {}) },
      { orderBy: { id: 'asc' }, limit: query.limit + 1, populate: POPULATE },
    );
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { items: page.map((row) => toRecord(row)), nextCursor: more ? encodeCursor(page.at(-1)!.id) : null };
  }

  async accept(systemIds: string[], actor: Actor): Promise<string[]> {
    return this.transaction(async (em) => {
      const accepted: string[] = [];
      for (const systemId of new Set(systemIds)) {
        const node = await this.load(em, systemId);
        if (node.status === 'ready') continue;
        await this.transition(em, node, 'accept', actor);
        accepted.push(systemId);
      }
      return accepted;
    });
  }

  async acquire(constraints: AcquireConstraints, actor: UserActor): Promise<NodeRecord> {
    const owner = { id: actor.user.id, username: actor.user.username };
    return this.transaction(async (em) => {
      const where = {
        status: 'ready' as const,
        ...(constraints.systemId ? { systemId: constraints.systemId } : {}),
        ...(constraints.architecture ? { architecture: constraints.architecture } : {}),
      };
      // Claim the first match with an update conditional on it still being ready; a claim lost to
      // another writer (possible only with several connections) moves on to the next candidate.
      for (let attempt = 0; attempt < 8; attempt++) {
        const candidate = await em.findOne(NodeEntity, where, { orderBy: { id: 'asc' }, populate: POPULATE });
        if (!candidate) break;
        const now = new Date();
        const affected = await em.nativeUpdate(
          NodeEntity,
          { id: candidate.id, status: 'ready' },
          { status: 'allocated', owner: owner.id, updatedAt: now },
        );
        if (affected === 0) {
          em.clear();
          continue;
        }
        await this.recordEvent(em, candidate, 'acquire', 'ready', 'allocated', actor, now);
        return { ...toRecord(candidate), status: 'allocated', owner: owner.username, updatedAt: now };
      }
      throw await this.explainNoMatch(em, constraints);
    });
  }

  /** Says why no ready node matched: the opaque "no machine matches" helps nobody. */
  private async explainNoMatch(em: EntityManager, constraints: AcquireConstraints): Promise<Error> {
    if (constraints.systemId) {
      const node = await em.findOne(NodeEntity, { systemId: constraints.systemId }, { populate: ['owner'] });
      if (!node) return new NotFoundError('node', constraints.systemId);
      if (node.status !== 'ready') {
        const owner = (node.owner as UserRow | null)?.username;
        return new ConflictError(
          `node ${node.systemId} is ${node.status}${owner ? ` (owned by ${owner})` : ''}, not ready`,
          { systemId: node.systemId, status: node.status },
        );
      }
      return new ConflictError(
        `node ${node.systemId} is ready but its architecture is ${node.architecture}, not ${constraints.architecture}`,
      );
    }
    const counts = await em
      .createQueryBuilder(NodeEntity)
      .select(['status', 'architecture', raw('count(*) as count')])
      .groupBy(['status', 'architecture'])
      .execute<{ status: NodeStatus; architecture: string; count: number }[]>('all', false);
    const total = (filter: (row: (typeof counts)[number]) => boolean) =>
      counts.filter(filter).reduce((sum, row) => sum + Number(row.count), 0);
    const ready = total((row) => row.status === 'ready');
    if (!constraints.architecture) {
      const summary = counts.length
        ? ` (${summarize(counts.map((row) => ({ status: row.status, count: Number(row.count) })))})`
        : '';
      return new ConflictError(`no ready node to acquire: ${total(() => true)} nodes in all${summary}`);
    }
    const arch = constraints.architecture;
    const sameArch = counts.filter((row) => row.architecture === arch);
    const busy = sameArch.length ? `; ${arch} nodes: ${summarize(sameArch.map((row) => ({ status: row.status, count: Number(row.count) })))}` : `; there are no ${arch} nodes at all`;
    return new ConflictError(`no ready node with architecture ${arch}: ${ready} ready node(s) have other architectures${busy}`);
  }

  async release(systemId: string, actor: UserActor): Promise<NodeRecord> {
    return this.transaction(async (em) => {
      const node = await this.load(em, systemId);
      if (node.status === 'ready') return toRecord(node);
      const owner = node.owner as UserRow | null;
      if (node.status === 'allocated' && actor.user.role !== 'admin' && owner?.id !== actor.user.id) {
        throw new ForbiddenError(
          `node ${systemId} is owned by ${owner?.username ?? 'nobody'}; only its owner or an admin may release it`,
        );
      }
      return this.transition(em, node, 'release', actor, null);
    });
  }
}

function summarize(rows: { status: string; count: number }[]): string {
  const byStatus = new Map<string, number>();
  for (const row of rows) byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.count);
  return [...byStatus].map(([status, count]) => `${count} ${status}`).join(', ');
}
