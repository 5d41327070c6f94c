import {
  ConflictError,
  STATUS_EFFECTS,
  UnavailableError,
  isDomainError,
  powerEffectOf,
  trustedEnlistStatus,
  type Actor,
  type EnlistInput,
  type NodeChange,
  type NodeStatus,
} from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { DuplicateKeyError, type NewNode, type Transaction } from '../ports/index.js';
import { nodeEvent } from '../shared/events.js';
import { GroupCommit } from '../shared/group-commit.js';
import { freshSystemIds } from '../shared/hostnames.js';
import { deadlineOf, drivePower, machineTokenFor, moveNode, requireNode } from '../shared/move.js';

/**
 * Anonymous enlistment lands `declared` (a machine asked for itself, and using it wipes its
 * disks); a user's enlistment is trusted and lands `ready` (or `commissioning`). A machine that
 * enlists again with a MAC of a declared node gets that node back (a user's enlistment accepts
 * it); a MAC of a node in any other state is a 409 naming that node.
 */
export interface EnlistRequest {
  input: EnlistInput;
  actor: Actor;
  /** A signed-in user (or the server itself) enlists: trusted. A machine asking for itself: not. */
  trust: 'anonymous' | 'trusted';
}

export type EnlistNode = (input: EnlistInput, actor: Actor) => Promise<NodeChange>;

/**
 * Enlistments are group-committed (docs/design-write-path.md): those that arrive while a batch is
 * being written wait and are written together, in one transaction with a fixed number of statements.
 */
export function enlistNode(deps: Deps): EnlistNode {
  const batches = new GroupCommit<EnlistRequest, NodeChange>(
    (requests) => deps.uow.transaction((tx) => writeBatch(deps, tx, requests)),
    4096,
    (size) => deps.observer.batchWritten?.('enlist', size),
  );
  return async (input, actor) => {
    const request: EnlistRequest = {
      input,
      actor,
      trust: actor.kind === 'anonymous' || actor.kind === 'machine' ? 'anonymous' : 'trusted',
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await batches.submit(request, input.macAddresses.length);
      } catch (error) {
        // Another writer (a replica, another process) took a MAC, a hostname or a system id between our
        // lookups and our insert. Trying again sees its row: a known MAC follows the re-enlistment
        // rules, a given hostname is a clean 409, and generated names and ids are drawn afresh.
        if (!(error instanceof DuplicateKeyError)) throw error;
        if (attempt >= 4) throw new ConflictError('another node took this hostname or one of these MAC addresses at the same moment');
      }
    }
  };
}

/**
 * One batch: one lookup of all the MACs, one of the hostnames, one insert each of nodes, MACs and
 * events. A request whose MACs are known, or that collides with an earlier one of the same batch,
 * goes after the others, alone, so it sees them (re-enlistment rules, conflicts) exactly as it
 * would by itself. Each request gets its node or its own error.
 */
async function writeBatch(deps: Deps, tx: Transaction, requests: EnlistRequest[]): Promise<(NodeChange | Error)[]> {
  const results: (NodeChange | Error | undefined)[] = new Array(requests.length);
  const known = await tx.nodes.macOwners(requests.flatMap((request) => request.input.macAddresses));
  const claimedMacs = new Set<string>();
  const claimedHostnames = new Set<string>();
  const fresh: number[] = [];
  const alone: number[] = [];
  requests.forEach(({ input }, i) => {
    const collides =
      input.macAddresses.some((mac) => known.has(mac) || claimedMacs.has(mac)) ||
      (input.hostname !== undefined && claimedHostnames.has(input.hostname));
    if (collides) return void alone.push(i);
    input.macAddresses.forEach((mac) => claimedMacs.add(mac));
    if (input.hostname) claimedHostnames.add(input.hostname);
    fresh.push(i);
  });

  const anonymous = fresh.filter((i) => requests[i]!.trust === 'anonymous');
  if (anonymous.length) {
    const waiting = await deps.declared.waiting(tx);
    const room = Math.max(0, deps.settings.lifecycle.maxDeclared - waiting);
    anonymous.slice(room).forEach((i) => (results[i] = noRoomForDeclared(deps, waiting)));
    deps.declared.added(Math.min(room, anonymous.length));
  }
  const named = fresh.filter((i) => !results[i] && requests[i]!.input.hostname);
  const holders = await tx.nodes.hostnameHolders(named.map((i) => requests[i]!.input.hostname!));
  for (const i of named) {
    const hostname = requests[i]!.input.hostname!;
    const holder = holders.get(hostname);
    if (holder) results[i] = new ConflictError(`hostname '${hostname}' is taken by node ${holder}`);
  }

  const writable = fresh.filter((i) => !results[i]);
  if (writable.length) {
    const changes = await insertNodes(
      deps,
      tx,
      writable.map((i) => requests[i]!),
      claimedHostnames,
    );
    writable.forEach((i, k) => (results[i] = changes[k]!));
  }
  for (const i of alone) results[i] = await enlistAlone(deps, tx, requests[i]!);
  return results as (NodeChange | Error)[];
}

/** Inserts new nodes with their MACs and `enlist` events, a statement per table. */
async function insertNodes(
  deps: Deps,
  tx: Transaction,
  requests: EnlistRequest[],
  reservedHostnames: ReadonlySet<string>,
): Promise<NodeChange[]> {
  const generated = await deps.hostnames.pick(tx, requests.filter((request) => !request.input.hostname).length, reservedHostnames);
  const systemIds = freshSystemIds(requests.length);
  const now = deps.clock.now();
  const tokens: (string | undefined)[] = [];
  const nodes: NewNode[] = requests.map(({ input, trust }, k) => {
    const status: NodeStatus = trust === 'trusted' ? trustedEnlistStatus(deps.settings.lifecycle.policy) : 'declared';
    const effects = STATUS_EFFECTS[status];
    const machineToken = machineTokenFor(effects);
    tokens.push(machineToken?.token);
    return {
      systemId: systemIds[k]!,
      hostname: input.hostname ?? generated.shift()!,
      status,
      architecture: input.architecture,
      macAddresses: input.macAddresses,
      powerType: input.powerType,
      powerParameters: input.powerParameters,
      statusDeadline: deadlineOf(effects, now, deps),
      machineTokenHash: machineToken?.hash ?? null,
      createdAt: now,
    };
  });
  const records = await tx.nodes.insert(nodes);
  await tx.events.append(records.map((node, k) => nodeEvent(node, 'enlist', requests[k]!.actor, now, { to: node.status })));
  records.forEach((node, k) => drivePower(deps, tx, node, powerEffectOf('enlist', node.status), requests[k]!.actor));
  return records.map((node, k) => (tokens[k] ? { node, machineToken: tokens[k] } : { node }));
}

/**
 * An enlistment that must see storage as it is: a known MAC (the re-enlistment rules) or a
 * collision with another request of its batch. In a savepoint, so its failure is its own.
 */
async function enlistAlone(deps: Deps, tx: Transaction, request: EnlistRequest): Promise<NodeChange | Error> {
  try {
    return await tx.savepoint(async (inner) => {
      const owners = new Set((await inner.nodes.macOwners(request.input.macAddresses)).values());
      if (owners.size > 0) return reenlist(deps, inner, [...owners], request);
      if (request.trust === 'anonymous') {
        const waiting = await inner.nodes.countInStatus('declared');
        if (waiting >= deps.settings.lifecycle.maxDeclared) throw noRoomForDeclared(deps, waiting);
      }
      if (request.input.hostname) {
        const holder = (await inner.nodes.hostnameHolders([request.input.hostname])).get(request.input.hostname);
        if (holder) throw new ConflictError(`hostname '${request.input.hostname}' is taken by node ${holder}`);
      }
      return (await insertNodes(deps, inner, [request], new Set()))[0]!;
    });
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
}

/** A machine enlisting again with a MAC we know: the re-enlistment rules. */
async function reenlist(deps: Deps, tx: Transaction, owners: string[], request: EnlistRequest): Promise<NodeChange> {
  if (owners.length > 1) throw new ConflictError(`these MAC addresses belong to several nodes: ${owners.sort().join(', ')}`);
  const node = await requireNode(tx, owners[0]!);
  if (node.status !== 'declared') {
    throw new ConflictError(`MAC address already belongs to node ${node.systemId} (${node.hostname}), which is ${node.status}`, {
      systemId: node.systemId,
      status: node.status,
    });
  }
  if (request.trust === 'anonymous') return { node };
  return moveNode(deps, tx, node, 'accept', request.actor);
}

/** The anonymous door's global cap: a flood of self-enlisting machines cannot bury the approval queue. */
function noRoomForDeclared(deps: Deps, waiting: number): UnavailableError {
  const limit = deps.settings.lifecycle.maxDeclared;
  return new UnavailableError(
    `${waiting} machines are already waiting for approval (the limit is ${limit}); accept or delete some before more can enlist`,
    60,
  );
}
