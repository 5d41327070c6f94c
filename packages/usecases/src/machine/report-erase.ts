import type { Actor, EraseReport, NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { moveNode } from '../shared/move.js';
import { asMachine } from './machine-auth.js';

/** The agent reports the erase of a released machine: passed → ready (powered off), failed → broken with the reason. */
export function reportErase(deps: Deps) {
  return (token: string, report: EraseReport): Promise<NodeRecord> =>
    asMachine(deps, report.systemId, token, 'erase', async (tx, node) => {
      const actor: Actor = { kind: 'machine', systemId: node.systemId };
      if (report.result === 'passed') return (await moveNode(deps, tx, node, 'finishRelease', actor, { owner: null })).node;
      const reason = `erase failed: ${report.reason ?? 'the machine agent gave no reason'}`;
      return (await moveNode(deps, tx, node, 'failRelease', actor, { statusMessage: reason, details: { reason } })).node;
    });
}
