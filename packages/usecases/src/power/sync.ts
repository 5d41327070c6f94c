import { POWER_TYPES, type NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { nodeEvent } from '../shared/events.js';
import type { PowerControl } from './power-control.js';

export interface PowerSyncResult {
  asked: number;
  changed: number;
  failed: number;
}

/**
 * The periodic power-state sync: asks every BMC Metalyard drives (accepted nodes, not retired) for its
 * state, at most `syncConcurrency` at once, and records `power_state_changed` when a machine is not in
 * the state last seen — someone pressed its button or used the BMC behind Metalyard's back.
 */
export function syncPowerStates(deps: Deps, power: PowerControl) {
  return async (): Promise<PowerSyncResult> => {
    const driven = POWER_TYPES.filter((type) => power.drives({ powerType: type }));
    if (driven.length === 0) return { asked: 0, changed: 0, failed: 0 };
    const nodes = await deps.uow.read((repositories) => repositories.nodes.listPowerManaged(driven));
    const result: PowerSyncResult = { asked: 0, changed: 0, failed: 0 };
    const queue = [...nodes];
    const worker = async () => {
      for (let node = queue.shift(); node; node = queue.shift()) await ask(node);
    };
    const ask = async (node: NodeRecord) => {
      result.asked += 1;
      try {
        const state = await power.run(node, 'query', { kind: 'system', task: 'power-sync' });
        if (state && node.powerState !== 'unknown' && state !== node.powerState) {
          result.changed += 1;
          await deps.uow.transaction((tx) =>
            tx.events.append([
              nodeEvent(node, 'power_state_changed', { kind: 'system', task: 'power-sync' }, deps.clock.now(), {
                details: { from: node.powerState, to: state },
              }),
            ]),
          );
        }
      } catch {
        result.failed += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.settings.power.syncConcurrency, nodes.length) }, worker));
    return result;
  };
}
