import { ConflictError, type NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { agentErases, moveNode } from '../shared/move.js';

const minutes = (ms: number) => `${Math.round(ms / 60_000)} minute(s)`;

/** Why a node's step ran out of time: its agent stopped heartbeating, or never came. */
function timeoutReason(deps: Deps, node: NodeRecord, step: string, neverHeard: string): string {
  if (node.agentTokenIssuedAt === null) return neverHeard;
  const last = node.agent?.at ?? node.agentTokenIssuedAt;
  return `${step} timed out: the machine agent stopped heartbeating (last heard ${last.toISOString()}, timeout ${minutes(deps.settings.agent.timeoutMs)})`;
}

/**
 * The server's periodic work: nodes whose commissioning timed out fail it; a machine agent that
 * stopped heartbeating fails its step (commissioning → failed_commissioning, deploying →
 * failed_deployment, an agent's erase → broken); simulated erases that are done complete. Each node
 * moves in its own transaction with a conditional update, so a sweep racing a person (or another
 * replica's sweep, or a late heartbeat, which pushes the deadline) moves a node at most once.
 * Returns how many moved.
 */
export function sweepNodes(deps: Deps) {
  return async (now: Date = deps.clock.now()): Promise<number> => {
    const due = await deps.uow.read((repositories) => repositories.nodes.dueAt(now));
    let moved = 0;
    for (const systemId of due) {
      try {
        const did = await deps.uow.transaction(async (tx) => {
          if (!(await tx.nodes.isDue(systemId, now))) return false;
          const node = await tx.nodes.get(systemId);
          if (node?.status === 'commissioning') {
            const neverHeard = `commissioning timed out: no report within ${minutes(deps.settings.lifecycle.commissioningTimeoutMs)}`;
            const reason = timeoutReason(deps, node, 'commissioning', neverHeard);
            const actor = { kind: 'system', task: 'commissioning-timeout' } as const;
            await moveNode(deps, tx, node, 'failCommissioning', actor, { statusMessage: reason, details: { reason } });
            return true;
          }
          if (node?.status === 'deploying') {
            const reason = timeoutReason(deps, node, 'deployment', 'deployment timed out');
            await moveNode(
              deps,
              tx,
              node,
              'failDeployment',
              { kind: 'system', task: 'agent-timeout' },
              { statusMessage: reason, details: { reason } },
            );
            return true;
          }
          if (node?.status === 'releasing' && agentErases(deps, node, 'releasing')) {
            const neverHeard = `erase timed out: the machine agent did not ask for its erase within ${minutes(deps.settings.lifecycle.commissioningTimeoutMs)}`;
            const reason = timeoutReason(deps, node, 'erase', neverHeard);
            await moveNode(
              deps,
              tx,
              node,
              'failRelease',
              { kind: 'system', task: 'agent-timeout' },
              { statusMessage: reason, details: { reason } },
            );
            return true;
          }
          if (node?.status === 'releasing') {
            await moveNode(deps, tx, node, 'finishRelease', { kind: 'system', task: 'erase' }, { owner: null });
            return true;
          }
          return false;
        });
        if (did) moved += 1;
      } catch (error) {
        // Another worker (or a person) moved the node first: that is the point of the conditional update.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return moved;
  };
}
