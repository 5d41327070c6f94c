import { assertMayTakeAction, type UserActor } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { moveNode, requireNode } from '../shared/move.js';

export interface Accepted {
  accepted: string[];
  /** With commissioning on: each accepted node's per-node token, shown once. */
  machineTokens: Record<string, string>;
}

/**
 * declared → ready (or commissioning), all or nothing. Ready nodes are left alone and not listed
 * as accepted; `'all'` accepts every declared node.
 */
export function acceptNodes(deps: Deps) {
  return (systemIds: string[] | 'all', actor: UserActor): Promise<Accepted> =>
    deps.uow.transaction(async (tx) => {
      const ids =
        systemIds === 'all'
          ? await tx.nodes.systemIdsInStatus('declared')
          : // Rows are locked in one order (PostgreSQL), so two accepts naming the same nodes cannot deadlock.
            [...new Set(systemIds)].sort();
      const accepted: string[] = [];
      const machineTokens: Record<string, string> = {};
      for (const systemId of ids) {
        const node = await requireNode(tx, systemId);
        if (node.status === 'ready') continue;
        assertMayTakeAction('accept', actor.user, null, systemId);
        const change = await moveNode(deps, tx, node, 'accept', actor);
        accepted.push(systemId);
        if (change.machineToken) machineTokens[systemId] = change.machineToken;
      }
      const order = systemIds === 'all' ? ids : systemIds;
      accepted.sort((a, b) => order.indexOf(a) - order.indexOf(b));
      return { accepted, machineTokens };
    });
}
