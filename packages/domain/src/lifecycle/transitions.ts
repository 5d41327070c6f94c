import { InvalidTransitionError } from '../errors.js';
import { NODE_STATUSES, type NodeStatus } from './status.js';

/**
 * Who may take an action: `admin`; `owner` (the node's owner, or an admin); `user` (any signed-in
 * user); `machine` (the node itself, with its per-node token); `system` (the server's own workers).
 */
export type ActionActor = 'admin' | 'owner' | 'user' | 'machine' | 'system';

export interface TransitionRule {
  /** What the action does, for docs and the admin app. */
  readonly description: string;
  readonly actor: ActionActor;
  /** From-status → to-status; `null` means the node is deleted. */
  readonly edges: Readonly<Partial<Record<NodeStatus, NodeStatus | null>>>;
  /** With the commissioning policy on, the action leads to `commissioning` instead of `ready`. */
  readonly commissionsWhenEnabled?: boolean;
  /** What the action does to a machine with a power driver, after the change commits (see effects.ts). */
  readonly power?: PowerEffect;
}

/**
 * `boot-network`: next boot from the network, then power on (or cycle when it is on); `boot-disk`:
 * next boot from the local disk; `off`: power off. A `manual` node is never driven.
 */
export type PowerEffect = 'boot-network' | 'boot-disk' | 'off';

/**
 * The single source of truth for the node lifecycle. The API, the SDK's types, the admin app
 * and the README's state table are derived from it. Enlistment is not here: it creates the
 * node (declared when anonymous; ready — or commissioning — when a user enlists it).
 */
export const TRANSITIONS = {
  accept: {
    description: 'Approve a self-enlisted machine.',
    actor: 'admin',
    edges: { declared: 'ready' },
    commissionsWhenEnabled: true,
  },
  commission: {
    description: 'Boot the machine into commissioning to inventory and test its hardware (wipes nothing but its state).',
    actor: 'admin',
    edges: { ready: 'commissioning', failed_commissioning: 'commissioning', broken: 'commissioning' },
    power: 'boot-network',
  },
  passCommissioning: {
    description: 'The machine reports its hardware and passing tests.',
    actor: 'machine',
    edges: { commissioning: 'ready' },
    power: 'off',
  },
  failCommissioning: {
    description: 'The machine reports failing tests, or does not report in time.',
    actor: 'machine',
    edges: { commissioning: 'failed_commissioning' },
    power: 'off',
  },
  abort: {
    description: 'Stop commissioning or deployment.',
    actor: 'owner',
    edges: { commissioning: 'failed_commissioning', deploying: 'allocated' },
    power: 'off',
  },
  acquire: {
    description: 'Take a ready machine; the caller becomes its owner.',
    actor: 'user',
    edges: { ready: 'allocated' },
  },
  deploy: {
    description: 'Install an operating system on an acquired machine.',
    actor: 'owner',
    edges: { allocated: 'deploying' },
    power: 'boot-network',
  },
  passDeployment: {
    description: 'The machine reports a finished deployment.',
    actor: 'machine',
    edges: { deploying: 'deployed' },
    power: 'boot-disk',
  },
  failDeployment: {
    description: 'The machine reports a failed deployment.',
    actor: 'machine',
    edges: { deploying: 'failed_deployment' },
  },
  release: {
    description: 'Give the machine back; its disks are erased and it becomes ready.',
    actor: 'owner',
    edges: { allocated: 'releasing', deployed: 'releasing', failed_deployment: 'releasing' },
    power: 'boot-network',
  },
  finishRelease: {
    description: 'Erasing is done.',
    actor: 'system',
    edges: { releasing: 'ready' },
    power: 'off',
  },
  failRelease: {
    description: 'The machine agent reports a failed erase, or stops answering while it erases.',
    actor: 'machine',
    edges: { releasing: 'broken' },
    power: 'off',
  },
  markBroken: {
    description: 'Take the machine out of service with a comment.',
    actor: 'owner',
    edges: {
      commissioning: 'broken',
      failed_commissioning: 'broken',
      ready: 'broken',
      allocated: 'broken',
      deploying: 'broken',
      deployed: 'broken',
      failed_deployment: 'broken',
    },
  },
  markFixed: {
    description: 'Return a broken machine to service.',
    actor: 'admin',
    edges: { broken: 'ready' },
  },
  retire: {
    description: 'Take the machine out of service for good.',
    actor: 'admin',
    edges: { declared: 'retired', failed_commissioning: 'retired', ready: 'retired', broken: 'retired' },
  },
  delete: {
    description: 'Forget the machine (never one that is allocated or deployed).',
    actor: 'admin',
    edges: {
      declared: null,
      commissioning: null,
      failed_commissioning: null,
      ready: null,
      broken: null,
      retired: null,
    },
  },
} as const satisfies Record<string, TransitionRule>;

export type NodeAction = keyof typeof TRANSITIONS;
export const NODE_ACTIONS = Object.keys(TRANSITIONS) as NodeAction[];

/** Actions a person starts (from the API, the admin app or the CLI), as opposed to the machine or the server. */
export const USER_ACTIONS = NODE_ACTIONS.filter((action) => {
  const actor: ActionActor = TRANSITIONS[action].actor;
  return actor !== 'machine' && actor !== 'system';
});

/** Policy settings that change where a transition leads. */
export interface LifecyclePolicy {
  /** METALYARD_COMMISSIONING=on: accepting or enlisting a machine starts commissioning. */
  commissioning: boolean;
}
export const DEFAULT_POLICY: LifecyclePolicy = { commissioning: false };

function edge(status: NodeStatus, action: NodeAction): NodeStatus | null | undefined {
  return (TRANSITIONS[action].edges as Partial<Record<NodeStatus, NodeStatus | null>>)[status];
}

export function canTransition(status: NodeStatus, action: NodeAction): boolean {
  return edge(status, action) !== undefined;
}

/** The actions allowed from a status, in table order. */
export function allowedActions(status: NodeStatus, among: readonly NodeAction[] = NODE_ACTIONS): NodeAction[] {
  return among.filter((action) => canTransition(status, action));
}

/**
 * The status `action` leads to from `status` (null: the node is deleted), or an
 * InvalidTransitionError naming the current state and the actions a person may take from it.
 */
export function nextStatus(
  status: NodeStatus,
  action: NodeAction,
  systemId?: string,
  policy: LifecyclePolicy = DEFAULT_POLICY,
): NodeStatus | null {
  const target = edge(status, action);
  if (target === undefined) throw new InvalidTransitionError(action, status, allowedActions(status, USER_ACTIONS), systemId);
  const rule: TransitionRule = TRANSITIONS[action];
  return rule.commissionsWhenEnabled && policy.commissioning && target === 'ready' ? 'commissioning' : target;
}

/** Where a user's enlistment lands: trusted, so ready — or commissioning when that policy is on. */
export function trustedEnlistStatus(policy: LifecyclePolicy = DEFAULT_POLICY): NodeStatus {
  return policy.commissioning ? 'commissioning' : 'ready';
}

/** Every edge of the table, for docs and tests: [action, from, to]. */
export function transitionEdges(): [NodeAction, NodeStatus, NodeStatus | null][] {
  return NODE_ACTIONS.flatMap((action) =>
    NODE_STATUSES.filter((status) => canTransition(status, action)).map(
      (status) => [action, status, edge(status, action) as NodeStatus | null] as [NodeAction, NodeStatus, NodeStatus | null],
    ),
  );
}

/**
 * What a move does to a machine with a power driver: the action's own effect, or — when the
 * commissioning policy sends an accept to `commissioning` — booting it from the network.
 */
export function powerEffectOf(action: NodeAction | 'enlist', to: NodeStatus): PowerEffect | undefined {
  const own = action === 'enlist' ? undefined : (TRANSITIONS[action] as TransitionRule).power;
  return own ?? (to === 'commissioning' ? 'boot-network' : undefined);
}
