import {
  assertMayTakeAction,
  isDomainError,
  nextStatus,
  type NodeAction,
  type NodeChange,
  type NodeRecord,
  type UserActor,
} from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { Transaction } from '../ports/index.js';
import { writeNodes } from '../shared/node-writes.js';
import { agentErases, moveNode, requireNode } from '../shared/move.js';
import { chooseImage } from '../machine/images.js';

/** The actions a person starts on one node with at most a comment (acquire, accept and delete have their own use cases). */
export const PERSON_NODE_ACTIONS = [
  'commission',
  'abort',
  'deploy',
  'release',
  'markBroken',
  'markFixed',
  'retire',
] as const satisfies readonly NodeAction[];
export type PersonNodeAction = (typeof PERSON_NODE_ACTIONS)[number];

/**
 * A person's action on one node, by the transition table: checked against the node's state (409
 * naming it) and the table's actor rule (403), then moved. A release with nothing to erase for
 * (a simulated erase taking no time) completes in the same transaction.
 * Written through the node write queue (shared/node-writes.ts): in arrival order, one commit per
 * batch; a refusal (unknown node, wrong state, not allowed) is its caller's answer alone.
 */
export function performNodeAction(deps: Deps) {
  return async (
    systemId: string,
    action: PersonNodeAction,
    actor: UserActor,
    comment?: string,
    options: { image?: string | undefined } = {},
  ): Promise<NodeChange> => {
    // The image is read (and hashed, the first time) before the transaction: no lock waits on the disk.
    const image = action === 'deploy' ? await chooseImage(deps, options.image) : undefined;
    return writeNodes(deps, (tx) => actIn(deps, tx, { systemId, action, actor, comment, image }));
  };
}

interface ActionRequest {
  systemId: string;
  action: PersonNodeAction;
  actor: UserActor;
  comment: string | undefined;
  image: Awaited<ReturnType<typeof chooseImage>> | undefined;
}

async function actIn(deps: Deps, tx: Transaction, { systemId, action, actor, comment, image }: ActionRequest): Promise<NodeChange | Error> {
  let node: NodeRecord;
  try {
    node = await requireNode(tx, systemId);
    // Releasing a node that is already ready (or on its way there) changes nothing.
    if (action === 'release' && (node.status === 'ready' || node.status === 'releasing')) return { node };
    nextStatus(node.status, action, systemId, deps.settings.lifecycle.policy);
    assertMayTakeAction(action, actor.user, node.owner, systemId);
  } catch (error) {
    // Refused before anything was written: this caller's answer.
    if (isDomainError(error)) return error;
    throw error;
  }
  const message = action === 'markBroken' || action === 'abort' ? (comment ?? `${action} by ${actor.user.username}`) : (comment ?? null);
  const details = { ...(comment ? { comment } : {}), ...(image ? { image: image.name } : {}) };
  const change = await moveNode(deps, tx, node, action, actor, {
    statusMessage: message,
    details: Object.keys(details).length ? details : null,
    ...(image !== undefined ? { image: image?.name ?? null } : {}),
  });
  // A simulated erase that takes no time completes at once; a machine Metalyard powers is erased by its agent.
  if (action === 'release' && deps.settings.lifecycle.eraseDelayMs === 0 && !agentErases(deps, node, 'releasing')) {
    return moveNode(deps, tx, change.node, 'finishRelease', { kind: 'system', task: 'erase' }, { owner: null });
  }
  return change;
}
