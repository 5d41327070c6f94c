import type { NodeStatus } from './status.js';

/**
 * What entering a status does besides changing it. The use cases apply these in the same
 * transaction as the status change, whichever action led there, so a rule such as "leaving the
 * owned statuses hands the node back" is written once, here.
 */
export interface StatusEffects {
  /** The machine's agent gets a fresh per-node token (returned once to whoever started the step); any earlier one is void. */
  readonly issuesMachineToken: boolean;
  /** The status ends on its own at a deadline the sweeper watches: commissioning times out, an erase completes. */
  readonly deadline: 'commissioning-timeout' | 'erase' | null;
  /** Whether the node keeps its owner and the owner's annotations; otherwise both are cleared. */
  readonly keepsOwner: boolean;
  /**
   * The step the machine agent does in this status (it boots the agent's environment and asks
   * `machine.lookup` for it). `erase` only for machines with a power driver: see agentStepOf.
   */
  readonly agentStep: AgentStep | null;
}

/** What the machine agent does for the server: the `step` of machine.lookup and machine.heartbeat. */
export const AGENT_STEPS = ['commission', 'deploy', 'erase'] as const;
export type AgentStep = (typeof AGENT_STEPS)[number];

const NONE: StatusEffects = { issuesMachineToken: false, deadline: null, keepsOwner: false, agentStep: null };
const OWNED: StatusEffects = { ...NONE, keepsOwner: true };

export const STATUS_EFFECTS: Readonly<Record<NodeStatus, StatusEffects>> = {
  declared: NONE,
  commissioning: { ...NONE, issuesMachineToken: true, deadline: 'commissioning-timeout', agentStep: 'commission' },
  failed_commissioning: NONE,
  ready: NONE,
  allocated: OWNED,
  deploying: { ...OWNED, issuesMachineToken: true, agentStep: 'deploy' },
  deployed: OWNED,
  failed_deployment: OWNED,
  releasing: { ...NONE, deadline: 'erase', agentStep: 'erase' },
  // A broken node stays with its owner, who may still see and release it once it is fixed.
  broken: OWNED,
  retired: NONE,
};

/** Statuses in which a node has an owner. */
export const OWNED_STATUSES: readonly NodeStatus[] = ['allocated', 'deploying', 'deployed', 'failed_deployment'];

/**
 * The agent's step for a node in `status`: commissioning and deploying always have one (a manual
 * machine may be network-booted by hand); releasing only when Metalyard drives the machine's power,
 * so that release can boot it into the eraser. A `manual` node's erase stays simulated (the
 * METALYARD_ERASE_DURATION deadline).
 */
export function agentStepOf(status: NodeStatus, drivenPower: boolean): AgentStep | null {
  const step = STATUS_EFFECTS[status].agentStep;
  return step === 'erase' && !drivenPower ? null : step;
}
