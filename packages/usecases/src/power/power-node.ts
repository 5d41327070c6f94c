import { assertMayControlPower, ConflictError, type NodeRecord, type UserActor } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { requireNode } from '../shared/move.js';
import type { PowerControl, PowerOperation } from './power-control.js';

/** The operations a person may ask of a node's BMC. */
export type PersonPowerOperation = Extract<PowerOperation, 'on' | 'off' | 'softOff' | 'cycle' | 'query'>;

/**
 * Power on, off, soft off, cycle or query a node's BMC for a person: an admin, or the owner of a node
 * they hold; never a retired or manual node, nor a declared one (its BMC parameters came from an
 * anonymous request and are not trusted until an admin accepts it). Returns the node with the power
 * state the BMC reported.
 */
export function controlPower(deps: Deps, power: PowerControl) {
  return async (systemId: string, operation: PersonPowerOperation, actor: UserActor): Promise<NodeRecord> => {
    const node = await deps.uow.read((repositories) => requireNode(repositories, systemId));
    assertMayControlPower(actor.user, node);
    if (node.status === 'declared')
      throw new ConflictError(`node ${systemId} is declared: accept it before Metalyard drives its BMC`, { status: node.status });
    await power.run(node, operation, actor);
    return deps.uow.read((repositories) => requireNode(repositories, systemId));
  };
}
