import { useState } from 'react';
import type { Node } from '@metalyard/sdk';
import { useClient } from '../../api/client.js';
import { useLabels } from '../../api/labels.js';
import { useNodeMutation } from '../../api/nodes.js';
import { isAdmin, useViewer } from '../../api/viewer.js';
import { assignmentUpdate, eachNode, type Assignment, type BulkResult } from '../../bulk.js';
import { machines } from '../../format.js';
import { DialogForm } from '../../components/DialogForm.js';
import { Modal } from '../../components/Modal.js';
import { SelectField } from '../../components/SelectField.js';
import { BulkFailures } from './BulkOutcome.js';

/** Zone and pool choices besides the names: leave each machine's as it is, or take it away. */
const KEEP = '(keep)';
const NONE = '(none)';

const choiceOf = (value: string): string | null | undefined => (value === KEEP ? undefined : value === NONE ? null : value);

interface BulkAssignDialogProps {
  /** The selected machines the viewer may edit. */
  nodes: readonly Node[];
  open: boolean;
  onClose(): void;
  onDone(label: string, result: BulkResult): void;
}

/** Gives several machines a zone and a pool (admins) and adds or removes tags, in one go. */
export function BulkAssignDialog({ nodes, open, onClose, onDone }: BulkAssignDialogProps) {
  const admin = isAdmin(useViewer());
  const title = `${admin ? 'Zone, pool and tags' : 'Tags'} of ${machines(nodes.length)}`;
  return (
    <Modal open={open} title={title} onClose={onClose}>
      <BulkAssignForm nodes={nodes} admin={admin} onCancel={onClose} onDone={onDone} />
    </Modal>
  );
}

function TagChecks({
  legend,
  tags,
  chosen,
  onToggle,
}: {
  legend: string;
  tags: readonly string[];
  chosen: ReadonlySet<string>;
  onToggle(tag: string): void;
}) {
  return (
    <fieldset className="field fieldset">
      <legend className="field-label">{legend}</legend>
      {tags.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        <div className="tag-choices">
          {tags.map((tag) => (
            <label key={tag} className="check">
              <input type="checkbox" checked={chosen.has(tag)} onChange={() => onToggle(tag)} />
              <span>{tag}</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}

const toggled = (set: ReadonlySet<string>, tag: string) => {
  const next = new Set(set);
  if (!next.delete(tag)) next.add(tag);
  return next;
};

function BulkAssignForm({
  nodes,
  admin,
  onCancel,
  onDone,
}: {
  nodes: readonly Node[];
  admin: boolean;
  onCancel(): void;
  onDone(label: string, result: BulkResult): void;
}) {
  const client = useClient();
  const tags = useLabels('tags');
  const zones = useLabels('zones', admin);
  const pools = useLabels('pools', admin);
  const [zone, setZone] = useState(KEEP);
  const [pool, setPool] = useState(KEEP);
  const [adding, setAdding] = useState<ReadonlySet<string>>(new Set());
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  const [refused, setRefused] = useState<BulkResult | null>(null);
  const assignment: Assignment = {
    ...(choiceOf(zone) !== undefined ? { zone: choiceOf(zone) } : {}),
    ...(choiceOf(pool) !== undefined ? { pool: choiceOf(pool) } : {}),
    addTags: [...adding],
    removeTags: [...removing],
  };
  const changes = nodes
    .map((node) => ({ node, update: assignmentUpdate(node, assignment) }))
    .filter(({ update }) => Object.keys(update).length > 1);
  const run = useNodeMutation(() => eachNode(changes, ({ update }) => client.protected.nodes.update.mutate(update)));
  const names = (labels: typeof zones) => [KEEP, NONE, ...(labels.data ?? []).map((label) => label.name)];
  const caption = (none: string) => (value: string) => (value === KEEP ? 'Leave as they are' : value === NONE ? none : value);
  const present = [...new Set(nodes.flatMap((node) => node.tags))].sort();

  function submit() {
    setRefused(null);
    run.mutate(undefined, { onSuccess: (result) => (result.done.length === 0 ? setRefused(result) : onDone('Update', result)) });
  }

  return (
    <DialogForm
      submitLabel={changes.length ? `Update ${machines(changes.length)}` : 'Nothing to change'}
      busyLabel="Saving…"
      busy={run.isPending}
      incomplete={changes.length === 0}
      error={run.error}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <p className="hint">Nothing happens to their disks or their status. Machines that already have what you choose are left alone.</p>
      {admin && (
        <div className="field-row">
          <SelectField label="Zone" value={zone} choices={names(zones)} caption={caption('No zone')} onChange={setZone} />
          <SelectField label="Pool" value={pool} choices={names(pools)} caption={caption('No pool')} onChange={setPool} />
        </div>
      )}
      <TagChecks
        legend="Add tags"
        tags={(tags.data ?? []).map((tag) => tag.name)}
        chosen={adding}
        onToggle={(tag) => setAdding(toggled(adding, tag))}
      />
      <TagChecks legend="Remove tags" tags={present} chosen={removing} onToggle={(tag) => setRemoving(toggled(removing, tag))} />
      {refused && <BulkFailures result={refused} />}
    </DialogForm>
  );
}
