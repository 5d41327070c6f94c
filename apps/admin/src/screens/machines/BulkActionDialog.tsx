import { useState } from 'react';
import type { Node } from '@metalyard/sdk';
import { useClient } from '../../api/client.js';
import { useNodeMutation } from '../../api/nodes.js';
import { useViewer } from '../../api/viewer.js';
import { planBulk, runBulk, type BulkPlan, type BulkResult } from '../../bulk.js';
import { DialogForm } from '../../components/DialogForm.js';
import { Modal } from '../../components/Modal.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { TextField } from '../../components/TextField.js';
import { humanize, machines } from '../../format.js';
import { BULK_ACTIONS, destination, type ActionInput, type BulkAction } from '../../lifecycle.js';
import { BulkFailures } from './BulkOutcome.js';

interface BulkActionDialogProps {
  /** The action asked about, or null when the dialog is closed. */
  action: BulkAction | null;
  /** The selected machines (as they are now: the plan follows live changes until confirmed). */
  nodes: readonly Node[];
  onClose(): void;
  onDone(label: string, result: BulkResult): void;
}

/** One confirmation for an action on several machines: what happens to their disks, and to which machines. */
export function BulkActionDialog({ action, nodes, onClose, onDone }: BulkActionDialogProps) {
  const viewer = useViewer();
  const plan = action ? planBulk(nodes, viewer, action) : null;
  const title = plan ? `${plan.label} ${machines(plan.eligible.length)}?` : '';
  return (
    <Modal open={plan !== null} title={title} onClose={onClose}>
      {plan && <BulkActionForm plan={plan} onCancel={onClose} onDone={onDone} />}
    </Modal>
  );
}

function BulkActionForm({ plan, onCancel, onDone }: { plan: BulkPlan; onCancel(): void; onDone(label: string, result: BulkResult): void }) {
  const client = useClient();
  const [comment, setComment] = useState('');
  const [refused, setRefused] = useState<BulkResult | null>(null);
  const run = useNodeMutation((input: ActionInput) => runBulk(client, plan, input));
  const effect = BULK_ACTIONS[plan.action];
  const needsComment = plan.eligible[0]?.view.comment === 'required';

  function submit() {
    setRefused(null);
    run.mutate(needsComment ? { comment: comment.trim() } : {}, {
      // When every machine refused, the dialog stays, saying why; otherwise the table reports it.
      onSuccess: (result) => (result.done.length === 0 ? setRefused(result) : onDone(plan.label, result)),
    });
  }

  return (
    <DialogForm
      submitLabel={`${plan.label} ${machines(plan.eligible.length)}`}
      busy={run.isPending}
      incomplete={plan.eligible.length === 0 || (needsComment && !comment.trim())}
      error={run.error}
      danger={effect.disks !== 'kept' || plan.eligible[0]?.view.danger}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <p className={effect.disks === 'kept' ? 'disk-note' : 'warning'}>
        <strong>Disks: {effect.disks}.</strong> {effect.explanation}
      </p>
      <ul className="confirm-list" aria-label="Machines it applies to">
        {plan.eligible.map(({ node, view }) => (
          <li key={node.systemId}>
            {node.hostname} <span className="mono muted">{node.systemId}</span> <StatusBadge status={node.status} /> → {destination(view)}
          </li>
        ))}
      </ul>
      {plan.skipped.length > 0 && (
        <p className="hint">
          Left as they are ({plan.skipped.length}):{' '}
          {plan.skipped.map(({ node, reason }) => `${node.hostname} (${humanize(reason)})`).join(', ')}.
        </p>
      )}
      {needsComment && <TextField label="Why? (required)" value={comment} onChange={setComment} multiline autoFocus maxLength={1000} />}
      {refused && <BulkFailures result={refused} />}
    </DialogForm>
  );
}
