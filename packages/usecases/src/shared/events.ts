import { actorName, type Actor, type NodeRecord, type NodeStatus } from '@metalyard/domain';
import type { NewEvent } from '../ports/index.js';

/** An event on `node` by `actor` at `at`. */
export function nodeEvent(
  node: Pick<NodeRecord, 'id' | 'systemId'>,
  type: string,
  actor: Actor,
  at: Date,
  change: { from?: NodeStatus | null; to?: NodeStatus | null; details?: Record<string, unknown> | null } = {},
): NewEvent {
  return {
    nodeId: node.id,
    systemId: node.systemId,
    type,
    fromStatus: change.from ?? null,
    toStatus: change.to ?? null,
    actor: actorName(actor),
    details: change.details ?? null,
    createdAt: at,
  };
}
