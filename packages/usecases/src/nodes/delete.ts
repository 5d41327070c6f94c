import { ConflictError, assertMayTakeAction, nextStatus, type UserActor } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { nodeEvent } from '../shared/events.js';
import { requireNode } from '../shared/move.js';

/** Forgets a node (admin; never one that is allocated or deployed). Its events stay. */
export function deleteNode(deps: Deps) {
  return (systemId: string, actor: UserActor): Promise<void> =>
    deps.uow.transaction(async (tx) => {
      const node = await requireNode(tx, systemId);
      nextStatus(node.status, 'delete', systemId, deps.settings.lifecycle.policy);
      assertMayTakeAction('delete', actor.user, null, systemId);
      if (!(await tx.nodes.delete(node.id, node.status)))
        throw new ConflictError(`node ${systemId} changed while it was being deleted; try again`);
      if (node.status === 'declared') deps.declared.changed();
      await tx.events.append([
        nodeEvent(node, 'delete', actor, deps.clock.now(), { from: node.status, details: { hostname: node.hostname } }),
      ]);
    });
}
