import { useState } from 'react';
import type { Node } from '@metalyard/sdk';
import { useAccept, useAcceptAll, useNodePages } from '../api/nodes.js';

import { isAdmin, useViewer } from '../api/viewer.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { DoneNote } from '../components/DoneNote.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { LoadMore } from '../components/LoadMore.js';
import { MachineTokenDialog, machineTokensOf, type MachineToken } from '../components/MachineTokenDialog.js';
import { TimeAgo } from '../components/TimeAgo.js';
import { machines } from '../format.js';
import { WIPE_WARNING } from '../lifecycle.js';
import { hrefs } from '../route.js';

/** What the confirmation is about: some loaded machines, or every declared machine on the server. */
type Candidates = { kind: 'some'; nodes: Node[] } | { kind: 'all'; count: number };

/** Machines that enlisted themselves and wait for an admin to accept them. */
export function PendingApproval() {
  const admin = isAdmin(useViewer());
  const pending = useNodePages({ status: 'declared', search: '' });
  const accept = useAccept();
  const acceptAll = useAcceptAll();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<Candidates | null>(null);
  const [accepted, setAccepted] = useState<string | null>(null);
  const [machineTokens, setMachineTokens] = useState<MachineToken[]>([]);

  const nodes = pending.nodes;
  const total = pending.counts?.declared ?? nodes.length;
  const chosen = nodes.filter((node) => selected.has(node.systemId));
  const allChosen = nodes.length > 0 && chosen.length === nodes.length;
  const running = confirming?.kind === 'all' ? acceptAll : accept;

  function toggle(systemId: string) {
    const next = new Set(selected);
    if (!next.delete(systemId)) next.add(systemId);
    setSelected(next);
  }

  function ask(candidates: Candidates) {
    accept.reset();
    acceptAll.reset();
    setAccepted(null);
    setConfirming(candidates);
  }

  function onAccepted(result: { accepted: string[]; machineTokens?: Record<string, string> }) {
    setAccepted(`Accepted ${machines(result.accepted.length)}.`);
    setSelected(new Set());
    setConfirming(null);
    setMachineTokens(machineTokensOf(result.machineTokens));
  }

  function confirm() {
    if (confirming?.kind === 'all') acceptAll.mutate(undefined, { onSuccess: onAccepted });
    else if (confirming)
      accept.mutate(
        confirming.nodes.map((node) => node.systemId),
        { onSuccess: onAccepted },
      );
  }

  const count = confirming?.kind === 'all' ? confirming.count : (confirming?.nodes.length ?? 0);
  const single = confirming?.kind === 'some' && confirming.nodes.length === 1 ? confirming.nodes[0]! : null;
  return (
    <section className="panel panel-pending" aria-labelledby="pending-title">
      <div className="panel-head">
        <div>
          <h1 id="pending-title">Pending approval {total > 0 && <span className="count">{total}</span>}</h1>
          <p className="panel-lead">Machines that PXE-booted and enlisted themselves. Nothing touches them until an admin accepts them.</p>
        </div>
        {admin && nodes.length > 0 && (
          <div className="panel-actions">
            <button type="button" className="button" disabled={chosen.length === 0} onClick={() => ask({ kind: 'some', nodes: chosen })}>
              Accept selected{chosen.length > 0 ? ` (${chosen.length})` : ''}
            </button>
            <button type="button" className="button button-primary" onClick={() => ask({ kind: 'all', count: total })}>
              Accept all ({total})
            </button>
          </div>
        )}
      </div>
      <DoneNote message={accepted} />
      <ErrorNote error={pending.error} />
      {!admin && nodes.length > 0 && <p className="hint">Only an admin may accept them.</p>}
      {pending.isPending ? (
        <p className="muted">Loading…</p>
      ) : nodes.length === 0 ? (
        <p className="empty-inline">No machines are waiting for approval. A machine that PXE-boots and enlists itself appears here.</p>
      ) : (
        <ul className="pending-list" aria-label="Machines waiting for approval">
          {admin && (
            <li className="pending-row pending-row-head">
              <label className="check">
                <input
                  type="checkbox"
                  checked={allChosen}
                  onChange={() => setSelected(allChosen ? new Set() : new Set(nodes.map((node) => node.systemId)))}
                />
                <span>Select all shown</span>
              </label>
            </li>
          )}
          {nodes.map((node) => (
            <li key={node.systemId} className={`pending-row${admin ? '' : ' pending-row-readonly'}`}>
              {admin && (
                <label className="check">
                  <input type="checkbox" checked={selected.has(node.systemId)} onChange={() => toggle(node.systemId)} />
                  <span className="sr-only">Select {node.hostname}</span>
                </label>
              )}
              <div className="pending-main">
                <a href={hrefs.machine(node.systemId)} className="strong-link">
                  {node.hostname}
                </a>
                <span className="mono muted">{node.macAddresses.join(', ')}</span>
              </div>
              <span className="muted">{node.architecture}</span>
              <span className="muted">
                <TimeAgo iso={node.createdAt} />
              </span>
              {admin && (
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Accept ${node.hostname}`}
                  onClick={() => ask({ kind: 'some', nodes: [node] })}
                >
                  Accept
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <LoadMore {...pending} label="Load more pending machines" className="button button-quiet" />
      <ConfirmDialog
        open={confirming !== null}
        title={
          single
            ? `Accept ${single.hostname}?`
            : confirming?.kind === 'all'
              ? `Accept all ${machines(count)}?`
              : `Accept ${machines(count)}?`
        }
        confirmLabel={single ? 'Accept machine' : `Accept ${machines(count)}`}
        busy={running.isPending}
        error={running.error}
        onConfirm={confirm}
        onCancel={() => setConfirming(null)}
      >
        <p className="warning">{WIPE_WARNING}</p>
        {confirming?.kind === 'all' && (
          <p>Every machine waiting for approval is accepted, including any that enlisted after this page loaded.</p>
        )}
        {confirming?.kind === 'some' && confirming.nodes.length > 1 && (
          <ul className="confirm-list">
            {confirming.nodes.map((node) => (
              <li key={node.systemId}>
                {node.hostname} <span className="mono muted">{node.systemId}</span>
              </li>
            ))}
          </ul>
        )}
      </ConfirmDialog>
      <MachineTokenDialog tokens={machineTokens} onClose={() => setMachineTokens([])} />
    </section>
  );
}
