import { InvalidTransitionError } from './errors.js';
import type { NodeStatus } from './status.js';

/**
 * The single source of truth for the node lifecycle: which action moves a node
 * from which statuses to which status. Enlistment is not here: it creates the
 * node (declared when anonymous, ready when a user enlists it).
 */
export const TRANSITIONS = {
  accept: { from: ['declared'], to: 'ready', description: 'A user approves a self-enlisted node.' },
  acquire: { from: ['ready'], to: 'allocated', description: 'A user takes a ready node and becomes its owner.' },
  release: { from: ['allocated'], to: 'ready', description: 'The owner (or an admin) gives the node back.' },
} as const satisfies Record<string, { from: readonly NodeStatus[]; to: NodeStatus; description: string }>;

export type NodeAction = keyof typeof TRANSITIONS;
export const NODE_ACTIONS = Object.keys(TRANSITIONS) as NodeAction[];

/** The actions allowed from a status, in table order. */
export function allowedActions(status: NodeStatus): NodeAction[] {
  return NODE_ACTIONS.filter((action) => (TRANSITIONS[action].from as readonly NodeStatus[]).includes(status));
}

export function canTransition(status: NodeStatus, action: NodeAction): boolean {
  return (TRANSITIONS[action].from as readonly NodeStatus[]).includes(status);
}

/** The status `action` leads to from `status`, or an InvalidTransitionError naming what is allowed. */
export function nextStatus(status: NodeStatus, action: NodeAction, systemId?: string): NodeStatus {
  if (!canTransition(status, action)) throw new InvalidTransitionError(action, status, allowedActions(status), systemId);
  return TRANSITIONS[action].to;
}
