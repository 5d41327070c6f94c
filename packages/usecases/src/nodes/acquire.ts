import {
  ConflictError,
  NotFoundError,
  type AcquireConstraints,
  type NodeRecord,
  type StatusCounts,
  type UserActor,
} from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { Repositories, Transaction } from '../ports/index.js';
import { writeNodes } from '../shared/node-writes.js';
import { moveNode } from '../shared/move.js';

/**
 * Atomically takes the first ready node matching every constraint; the caller becomes its owner.
 * When none matches, the 409 says which constraint eliminated the candidates. Written through the
 * node write queue (shared/node-writes.ts): in arrival order, one commit per batch.
 */
export function acquireNode(deps: Deps) {
  return (constraints: AcquireConstraints, actor: UserActor): Promise<NodeRecord> =>
    writeNodes(deps, (tx) => acquireIn(deps, tx, constraints, actor));
}

/**
 * One acquire inside a transaction. Claimed with the read (on PostgreSQL locked, passing over rows
 * other acquirers hold), then moved with an update conditional on it still being ready. Finding
 * nothing is an answer (returned, nothing was written); a failure after writing is thrown.
 */
async function acquireIn(deps: Deps, tx: Transaction, constraints: AcquireConstraints, actor: UserActor): Promise<NodeRecord | Error> {
  const candidate = await tx.nodes.claimReady(constraints);
  if (candidate) return (await moveNode(deps, tx, candidate, 'acquire', actor, { owner: actor.user })).node;
  if (constraints.systemId) {
    const named = await tx.nodes.get(constraints.systemId);
    if (!named) return new NotFoundError('node', constraints.systemId);
    if (named.status !== 'ready') {
      return new ConflictError(`node ${named.systemId} is ${named.status}${named.owner ? ` (owned by ${named.owner})` : ''}, not ready`, {
        systemId: named.systemId,
        status: named.status,
      });
    }
  }
  return new ConflictError(await explainNoMatch(tx, constraints));
}

/** One constraint of an acquire, and how to say it after "nodes". */
interface Narrowing {
  label: string;
  constraint: AcquireConstraints;
}

const list = (values: readonly string[]) => values.join(', ');

/** The constraints one at a time, in the order a person narrows a search (identity, hardware, labels). */
function narrowings(c: AcquireConstraints): Narrowing[] {
  const steps: [string | false | 0 | undefined, AcquireConstraints][] = [
    [c.systemId && `with system id ${c.systemId}`, { systemId: c.systemId }],
    [c.hostname && `named ${c.hostname}`, { hostname: c.hostname }],
    [c.architecture?.length && `with architecture ${c.architecture.join(' or ')}`, { architecture: c.architecture }],
    [c.minCpu && `with at least ${c.minCpu} CPU(s)`, { minCpu: c.minCpu }],
    [c.minMemoryMb && `with at least ${c.minMemoryMb} MiB of memory`, { minMemoryMb: c.minMemoryMb }],
    [c.tags?.length && `tagged ${list([...new Set(c.tags)])}`, { tags: c.tags }],
    [c.notTags?.length && `without tag(s) ${list(c.notTags)}`, { notTags: c.notTags }],
    [c.zone && `in zone ${c.zone}`, { zone: c.zone }],
    [c.notInZone?.length && `outside zone(s) ${list(c.notInZone)}`, { notInZone: c.notInZone }],
    [c.pool && `in pool ${c.pool}`, { pool: c.pool }],
  ];
  return steps
    .filter((step): step is [string, AcquireConstraints] => Boolean(step[0]))
    .map(([label, constraint]) => ({ label, constraint }));
}

/**
 * Says which constraint eliminated the candidates — "3 ready node(s), none in zone rack-2;
 * matching nodes in other states: 1 allocated" — instead of an opaque "no machine matches".
 */
export async function explainNoMatch(repositories: Repositories, constraints: AcquireConstraints): Promise<string> {
  const steps = narrowings(constraints);
  // Each set of constraints counted once: without constraints, "ready at all" and "elsewhere" are one count.
  const counted = new Map<string, Promise<StatusCounts>>();
  const count = (subset: AcquireConstraints) => {
    const key = JSON.stringify(subset);
    let counts = counted.get(key);
    if (!counts) counted.set(key, (counts = repositories.nodes.countMatching(subset)));
    return counts;
  };
  const ready = async (subset: Narrowing[]) =>
    (await count(Object.assign({}, ...subset.map((step) => step.constraint)) as AcquireConstraints)).ready;
  const elsewhere = async () => {
    const counts = await count(constraints);
    return Object.entries(counts)
      .filter(([status, n]) => status !== 'ready' && n > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([status, n]) => `${n} ${status}`)
      .join(', ');
  };

  const total = await ready([]);
  if (total === 0) {
    const others = await elsewhere();
    if (others) return `no ready node to acquire (${steps.length ? 'matching nodes' : 'nodes'} in other states: ${others})`;
    return `no ready node to acquire (${steps.length ? 'no node matches at all' : 'there are no nodes at all'})`;
  }
  let remaining = total;
  for (let i = 0; i < steps.length; i++) {
    const count = await ready(steps.slice(0, i + 1));
    if (count === 0) {
      const others = await elsewhere();
      const after =
        i > 0
          ? `, ${remaining} of them ${steps
              .slice(0, i)
              .map((step) => step.label)
              .join(' and ')}`
          : '';
      return `no ready node matches: ${total} ready node(s)${after}, none ${steps[i]!.label}${others ? `; matching nodes in other states: ${others}` : ''}`;
    }
    remaining = count;
  }
  return `no ready node could be claimed: ${total} ready node(s), ${remaining} matching, but others took them first; try again`;
}
