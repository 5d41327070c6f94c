import {
  ConflictError,
  NotFoundError,
  STATUS_EFFECTS,
  agentStepOf,
  nextStatus,
  powerEffectOf,
  type Actor,
  type Hardware,
  type NodeAction,
  type NodeChange,
  type NodeRecord,
  type NodeStatus,
  type PowerEffect,
  type StatusEffects,
  type User,
} from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { Repositories, StatusChange, Transaction } from '../ports/index.js';
import { nodeEvent } from './events.js';
import { MACHINE_TOKEN_PREFIX, generateToken, hashToken } from './secrets.js';

export interface MoveOptions {
  /** Acquire makes the caller the owner; otherwise the status's effects decide whether the owner stays. */
  owner?: Pick<User, 'id' | 'username'> | null;
  statusMessage?: string | null;
  hardware?: Hardware | null;
  /** What the event records besides from → to (a comment, a reason); never a secret. */
  details?: Record<string, unknown> | null;
  /** Move from this status instead of the one read (the second step of a two-step move). */
  from?: NodeStatus;
  /** The disk image a deployment writes. */
  image?: string | null;
}

/** When a status with a deadline ends, from `now`. */
export function deadlineOf(effects: StatusEffects, now: Date, deps: Pick<Deps, 'settings'>): Date | null {
  const { commissioningTimeoutMs, eraseDelayMs } = deps.settings.lifecycle;
  if (effects.deadline === 'commissioning-timeout') return new Date(now.getTime() + commissioningTimeoutMs);
  if (effects.deadline === 'erase') return new Date(now.getTime() + eraseDelayMs);
  return null;
}

/** A per-node token when entering the status issues one: the secret (returned once) and its hash (stored). */
export function machineTokenFor(effects: StatusEffects): { token: string; hash: string } | null {
  if (!effects.issuesMachineToken) return null;
  const token = generateToken(MACHINE_TOKEN_PREFIX);
  return { token, hash: hashToken(token) };
}

/**
 * Moves `node` through `action` by the transition table, in `tx`: a compare-and-set on the status
 * it was read in (so two requests, or a request and the sweeper, never both move it), the effects
 * of the status it enters (a per-node token, a deadline, the owner kept or handed back), and the
 * event, all in the same transaction. A transition the table forbids is a 409 naming the state.
 */
export async function moveNode(
  deps: Deps,
  tx: Transaction,
  node: NodeRecord,
  action: NodeAction,
  actor: Actor,
  options: MoveOptions = {},
): Promise<NodeChange> {
  const from = options.from ?? node.status;
  const to = nextStatus(from, action, node.systemId, deps.settings.lifecycle.policy);
  if (to === null) throw new Error(`${action} deletes the node: that is the delete use case's job`);
  const now = deps.clock.now();
  const effects = STATUS_EFFECTS[to];
  const machineToken = machineTokenFor(effects);
  const owner = options.owner !== undefined ? options.owner : effects.keepsOwner ? undefined : null;
  const annotations = owner === null ? {} : undefined;
  const change: StatusChange = {
    status: to,
    updatedAt: now,
    statusMessage: options.statusMessage ?? null,
    statusDeadline: agentErases(deps, node, to)
      ? // The machine's agent erases it: no simulated deadline, but the bound on never hearing from it.
        new Date(now.getTime() + deps.settings.lifecycle.commissioningTimeoutMs)
      : deadlineOf(effects, now, deps),
    machineTokenHash: machineToken?.hash ?? null,
    ...(owner !== undefined ? { ownerId: owner?.id ?? null } : {}),
    ...(annotations !== undefined ? { annotations } : {}),
    ...(options.hardware !== undefined ? { hardware: options.hardware } : {}),
    ...(options.image !== undefined ? { image: options.image } : {}),
  };
  if (!(await tx.nodes.compareAndSetStatus(node.id, from, change))) {
    throw new ConflictError(`node ${node.systemId} changed while it was being updated; try again`);
  }
  if (from === 'declared') deps.declared.changed();
  await tx.events.append([nodeEvent(node, action, actor, now, { from, to, details: options.details ?? null })]);
  drivePower(deps, tx, node, powerEffectOf(action, to), actor);
  return {
    node: {
      ...node,
      status: to,
      updatedAt: now,
      statusMessage: change.statusMessage,
      owner: owner === undefined ? node.owner : (owner?.username ?? null),
      annotations: annotations ?? node.annotations,
      hardware: options.hardware !== undefined ? options.hardware : node.hardware,
      image: options.image !== undefined ? options.image : node.image,
      agentTokenIssuedAt: null,
    },
    ...(machineToken ? { machineToken: machineToken.token } : {}),
  };
}

/**
 * Whether the machine's agent does the work of `status` on `node`: in `releasing`, only a machine
 * Metalyard powers (release boots it into the eraser); commissioning and deploying always may.
 */
export function agentErases(deps: Pick<Deps, 'power'>, node: Pick<NodeRecord, 'powerType'>, status: NodeStatus): boolean {
  return agentStepOf(status, deps.power.drives(node)) === 'erase';
}

/** A lifecycle step's power effect, run once the transaction commits, for a node Metalyard drives. */
export function drivePower(deps: Deps, tx: Transaction, node: NodeRecord, effect: PowerEffect | undefined, actor: Actor): void {
  if (effect && deps.power.drives(node)) tx.afterCommit(() => void deps.power.apply(node, effect, actor));
}

/** The node `systemId`, or a 404. */
export async function requireNode(repositories: Pick<Repositories, 'nodes'>, systemId: string): Promise<NodeRecord> {
  const node = await repositories.nodes.get(systemId);
  if (!node) throw new NotFoundError('node', systemId);
  return node;
}
