import { useState } from 'react';
import type { Node } from '@metalyard/sdk';
import { isAdmin, useViewer } from '../../api/viewer.js';
import { bulkChoices, type BulkResult } from '../../bulk.js';
import { machines } from '../../format.js';
import type { BulkAction } from '../../lifecycle.js';
import { BulkActionDialog } from './BulkActionDialog.js';
import { BulkAssignDialog } from './BulkAssignDialog.js';

interface BulkBarProps {
  /** The selected machines, as they are now. */
  chosen: readonly Node[];
  onClear(): void;
  onDone(label: string, result: BulkResult): void;
}

/**
 * What may be done to the selected machines: each action of the transition table that applies to
 * at least one of them, with how many; and giving them a zone, a pool or tags.
 */
export function BulkBar({ chosen, onClear, onDone }: BulkBarProps) {
  const viewer = useViewer();
  const admin = isAdmin(viewer);
  const [action, setAction] = useState<BulkAction | null>(null);
  const [assigning, setAssigning] = useState(false);
  const choices = bulkChoices(chosen, viewer);
  const editable = chosen.filter((node) => admin || node.owner === viewer.username);

  function done(label: string, result: BulkResult) {
    setAction(null);
    setAssigning(false);
    onDone(label, result);
  }

  // The dialogs stay mounted when the selection empties (deleted machines leave it), so they close cleanly.
  return (
    <>
      {chosen.length > 0 && (
        <div className="bulk-bar" role="region" aria-label="Selected machines">
          <span className="bulk-count">{machines(chosen.length)} selected</span>
          <div className="bulk-actions">
            {choices.map((plan) => (
              <button
                key={plan.action}
                type="button"
                className={`button button-small${plan.eligible[0]?.view.danger ? ' button-danger-outline' : ''}`}
                onClick={() => setAction(plan.action)}
              >
                {plan.label} ({plan.eligible.length})
              </button>
            ))}
            {editable.length > 0 && (
              <button type="button" className="button button-small" onClick={() => setAssigning(true)}>
                {admin ? 'Zone, pool, tags…' : 'Tags…'} ({editable.length})
              </button>
            )}
            {choices.length === 0 && editable.length === 0 && (
              <span className="hint inline-hint">Nothing you may do applies to these machines.</span>
            )}
          </div>
          <button type="button" className="button button-quiet button-small" onClick={onClear}>
            Clear selection
          </button>
        </div>
      )}
      <BulkActionDialog action={action} nodes={chosen} onClose={() => setAction(null)} onDone={done} />
      <BulkAssignDialog nodes={editable} open={assigning} onClose={() => setAssigning(false)} onDone={done} />
    </>
  );
}
