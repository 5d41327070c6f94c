import type { Actor, DeploymentReport, NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { moveNode } from '../shared/move.js';
import { asMachine } from './machine-auth.js';

/** The installer reports the deployment's outcome: deployed, or failed_deployment with the reason. */
export function reportDeployment(deps: Deps) {
  return (token: string, report: DeploymentReport): Promise<NodeRecord> =>
    asMachine(deps, report.systemId, token, 'deployment', async (tx, node) => {
      const actor: Actor = { kind: 'machine', systemId: node.systemId };
      if (report.result === 'passed') return (await moveNode(deps, tx, node, 'passDeployment', actor)).node;
      const reason = report.reason ?? 'deployment failed';
      return (await moveNode(deps, tx, node, 'failDeployment', actor, { statusMessage: reason, details: { reason } })).node;
    });
}
