import { useState } from 'react';
import type { Node } from '@metalyard/sdk';
import { useViewer } from '../../api/viewer.js';
import { MachineTokenDialog, type MachineToken } from '../../components/MachineTokenDialog.js';
import { humanize } from '../../format.js';
import { actionsFor, type ActionOutcome } from '../../lifecycle.js';
import { hrefs, navigate } from '../../route.js';
import { ActionButton } from '../ActionButton.js';

/** The actions the signed-in user may take on the node from its current status. */
export function NodeActions({ node, onEdit, mayEdit }: { node: Node; onEdit(): void; mayEdit: boolean }) {
  const viewer = useViewer();
  const [machineTokens, setMachineTokens] = useState<MachineToken[]>([]);
  const actions = actionsFor(node, viewer);

  function done(outcome: ActionOutcome) {
    if (outcome.deleted) navigate(hrefs.overview);
    else if (outcome.machineToken) setMachineTokens([{ machine: node.hostname, token: outcome.machineToken }]);
  }

  return (
    <section className="panel" aria-labelledby="actions-title">
      <div className="panel-title-row">
        <h2 id="actions-title">Actions</h2>
        {mayEdit && (
          <button type="button" className="button button-small" onClick={onEdit}>
            Edit
          </button>
        )}
      </div>
      {actions.length === 0 ? (
        <p className="muted">
          {node.owner && node.owner !== viewer.username && viewer.role !== 'admin'
            ? `This machine belongs to ${node.owner}: only they or an admin may act on it.`
            : `Nothing you may do changes a ${humanize(node.status).toLowerCase()} machine.`}
        </p>
      ) : (
        <div className="actions">
          {actions.map((action) => (
            <ActionButton key={`${action.action}-${node.status}`} node={node} action={action} onDone={done} />
          ))}
        </div>
      )}
      <MachineTokenDialog tokens={machineTokens} onClose={() => setMachineTokens([])} />
    </section>
  );
}
