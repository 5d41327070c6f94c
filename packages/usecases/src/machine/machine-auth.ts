import { UnauthenticatedError, type NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { Transaction } from '../ports/index.js';
import { nodeEvent } from '../shared/events.js';
import { hashToken } from '../shared/secrets.js';

/**
 * Runs a machine's report in one transaction on the node its per-node token belongs to. A wrong
 * or void token is a 401, and recorded as a failed attempt on the node (in a transaction of its own).
 */
export async function asMachine<T>(
  deps: Deps,
  systemId: string,
  token: string,
  report: string,
  work: (tx: Transaction, node: NodeRecord) => Promise<T>,
): Promise<T> {
  try {
    return await deps.uow.transaction(async (tx) => {
      const node = await tx.nodes.findByMachineToken(systemId, hashToken(token));
      if (!node) throw new UnauthenticatedError(`invalid or expired machine token for node ${systemId}`);
      return work(tx, node);
    });
  } catch (error) {
    if (error instanceof UnauthenticatedError) await recordFailedMachineAuth(deps, systemId, report);
    throw error;
  }
}

async function recordFailedMachineAuth(deps: Deps, systemId: string, report: string): Promise<void> {
  await deps.uow.transaction(async (tx) => {
    const node = await tx.nodes.get(systemId);
    if (node)
      await tx.events.append([nodeEvent(node, 'auth_failed', { kind: 'machine', systemId }, deps.clock.now(), { details: { report } })]);
  });
}
