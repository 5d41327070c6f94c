import { useState } from 'react';
import { STATUS_DESCRIPTIONS } from '@metalyard/sdk';
import type { Node } from '@metalyard/sdk';
import { httpStatusOf } from '../api/errors.js';
import { useNode } from '../api/nodes.js';
import { isAdmin, useViewer } from '../api/viewer.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { hrefs } from '../route.js';
import { statusTone } from '../status.js';
import { EditMachineDialog } from './detail/EditMachineDialog.js';
import { EventTimeline } from './detail/EventTimeline.js';
import { NodeActions } from './detail/NodeActions.js';
import { PowerPanel } from './detail/PowerPanel.js';
import { Annotations, HardwareFacts, NodeFacts, PowerParameters } from './detail/NodeFacts.js';

export function MachineDetail({ systemId }: { systemId: string }) {
  const query = useNode(systemId);
  return (
    <article className="detail">
      <a className="back-link" href={hrefs.overview}>
        ← All machines
      </a>
      {query.isPending ? (
        <p className="muted">Loading…</p>
      ) : query.data ? (
        <NodeDetail node={query.data} />
      ) : httpStatusOf(query.error) === 404 ? (
        <div className="empty">
          <p className="empty-title">No machine has the system id “{systemId}”</p>
          <p>It may have been deleted. Go back to all machines to find it.</p>
          <a className="button" href={hrefs.overview}>
            All machines
          </a>
        </div>
      ) : (
        <ErrorNote error={query.error} />
      )}
    </article>
  );
}

function NodeDetail({ node }: { node: Node }) {
  const viewer = useViewer();
  const [editing, setEditing] = useState(false);
  const mayEdit = isAdmin(viewer) || (node.owner !== null && node.owner === viewer.username);
  return (
    <>
      <header className="detail-head">
        <h1>{node.hostname}</h1>
        <StatusBadge status={node.status} />
        <span className="mono muted">{node.systemId}</span>
      </header>
      <p className="panel-lead">{STATUS_DESCRIPTIONS[node.status]}</p>
      {node.statusMessage && (
        <p className={`status-message status-message-${statusTone(node.status)}`} role="note" aria-label="Status message">
          {node.statusMessage}
        </p>
      )}
      <div className="detail-grid">
        <div className="detail-column">
          <NodeActions node={node} mayEdit={mayEdit} onEdit={() => setEditing(true)} />
          {/* Keyed: what one machine's BMC said never shows on another's page. */}
          <PowerPanel key={node.systemId} node={node} />
          <NodeFacts node={node} />
          <HardwareFacts hardware={node.hardware} />
          <Annotations annotations={node.annotations} />
          {node.powerParameters && <PowerParameters parameters={node.powerParameters} />}
        </div>
        <div className="detail-column">
          <EventTimeline systemId={node.systemId} />
        </div>
      </div>
      {mayEdit && <EditMachineDialog node={node} open={editing} onClose={() => setEditing(false)} />}
    </>
  );
}
