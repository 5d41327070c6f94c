import type { Actor, CommissioningReport, NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { moveNode } from '../shared/move.js';
import { asMachine } from './machine-auth.js';

/** The commissioning environment reports the hardware and its tests: passing → ready, failing → failed_commissioning. */
export function reportCommissioning(deps: Deps) {
  return (token: string, report: CommissioningReport): Promise<NodeRecord> =>
    asMachine(deps, report.systemId, token, 'commissioning', async (tx, node) => {
      const actor: Actor = { kind: 'machine', systemId: node.systemId };
      const failing = report.tests.filter((test) => !test.passed).map((test) => test.name);
      const tests = report.tests.map((test) => ({ name: test.name, passed: test.passed }));
      if (report.result === 'passed') {
        return (await moveNode(deps, tx, node, 'passCommissioning', actor, { hardware: report.hardware ?? null, details: { tests } })).node;
      }
      const reason = report.reason ?? (failing.length ? `failing tests: ${failing.join(', ')}` : 'commissioning failed');
      const hardware = report.hardware ? { hardware: report.hardware } : {};
      return (
        await moveNode(deps, tx, node, 'failCommissioning', actor, { statusMessage: reason, ...hardware, details: { tests, reason } })
      ).node;
    });
}
