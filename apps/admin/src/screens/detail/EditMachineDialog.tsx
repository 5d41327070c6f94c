import { useState, type FormEvent } from 'react';
import { POWER_TYPES, type PowerType } from '@metalyard/sdk';
import type { Node } from '@metalyard/sdk';
import { fieldErrorsOf } from '../../api/errors.js';
import { useLabels } from '../../api/labels.js';
import { useUpdateNode, type NodeUpdate } from '../../api/nodes.js';
import { isAdmin, useViewer } from '../../api/viewer.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { FieldError, messagesFor } from '../../components/FieldError.js';
import { Modal } from '../../components/Modal.js';
import { SelectField } from '../../components/SelectField.js';
import { hrefs } from '../../route.js';
import { parsePowerParameters } from '../AddMachineDialog.js';

/** Edits what may change on a node: hostname and tags (owner or admin); zone, pool and power (admin). */
export function EditMachineDialog({ node, open, onClose }: { node: Node; open: boolean; onClose(): void }) {
  return (
    <Modal open={open} title={`Edit ${node.hostname}`} onClose={onClose}>
      <EditMachineForm node={node} onDone={onClose} />
    </Modal>
  );
}

/** The fields of `update` that differ from the node, so an unchanged field is not sent. */
export function changesOf(node: Node, draft: Omit<NodeUpdate, 'systemId'>): NodeUpdate {
  const update: NodeUpdate = { systemId: node.systemId };
  if (draft.hostname !== undefined && draft.hostname !== node.hostname) update.hostname = draft.hostname;
  if (draft.tags !== undefined && [...draft.tags].sort().join() !== [...node.tags].sort().join()) update.tags = draft.tags;
  if (draft.zone !== undefined && draft.zone !== node.zone) update.zone = draft.zone;
  if (draft.pool !== undefined && draft.pool !== node.pool) update.pool = draft.pool;
  if (draft.powerType !== undefined && draft.powerType !== node.powerType) update.powerType = draft.powerType;
  if (draft.powerParameters !== undefined) update.powerParameters = draft.powerParameters;
  return update;
}

const namesOf = (labels: readonly { name: string }[] | undefined): string[] => (labels ?? []).map((label) => label.name);

function EditMachineForm({ node, onDone }: { node: Node; onDone(): void }) {
  const admin = isAdmin(useViewer());
  const update = useUpdateNode();
  const tags = useLabels('tags');
  const zones = useLabels('zones', admin);
  const pools = useLabels('pools', admin);
  const [hostname, setHostname] = useState(node.hostname);
  const [chosenTags, setChosenTags] = useState<ReadonlySet<string>>(new Set(node.tags));
  const [zone, setZone] = useState(node.zone ?? '');
  const [pool, setPool] = useState(node.pool ?? '');
  const [powerType, setPowerType] = useState<PowerType>(node.powerType);
  const [power, setPower] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const fields = fieldErrorsOf(update.error);

  function toggleTag(name: string) {
    const next = new Set(chosenTags);
    if (!next.delete(name)) next.add(name);
    setChosenTags(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parsePowerParameters(power);
    if ('problem' in parsed) return setProblem(`Power parameters: ${parsed.problem}`);
    setProblem(null);
    const changes = changesOf(node, {
      hostname: hostname.trim(),
      tags: [...chosenTags],
      ...(admin ? { zone: zone || null, pool: pool || null, powerType } : {}),
      ...(admin && power.trim() ? { powerParameters: parsed.parameters } : {}),
    });
    if (Object.keys(changes).length === 1) return onDone();
    update.mutate(changes, { onSuccess: onDone });
  }

  const hostnameErrors = messagesFor(fields, 'hostname');
  const allTags = tags.data ?? [];
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Hostname</span>
        <input
          value={hostname}
          onChange={(event) => setHostname(event.target.value)}
          aria-invalid={hostnameErrors.length > 0}
          aria-describedby="edit-hostname-error"
          autoFocus
        />
        <FieldError id="edit-hostname-error" messages={hostnameErrors} />
      </label>
      <fieldset className="field fieldset">
        <legend className="field-label">Tags</legend>
        {allTags.length === 0 ? (
          <p className="hint">
            No tags exist yet. An admin creates them under <a href={hrefs.labels('tags')}>Tags</a>, then they can be given here.
          </p>
        ) : (
          <div className="tag-choices">
            {allTags.map((tag) => (
              <label key={tag.name} className="check" title={tag.description || undefined}>
                <input type="checkbox" checked={chosenTags.has(tag.name)} onChange={() => toggleTag(tag.name)} />
                <span>{tag.name}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      {admin && (
        <>
          <div className="field-row">
            <SelectField label="Zone" value={zone} choices={namesOf(zones.data)} onChange={setZone} none="No zone" />
            <SelectField label="Pool" value={pool} choices={namesOf(pools.data)} onChange={setPool} none="No pool" />
          </div>
          <SelectField label="Power type" value={powerType} choices={POWER_TYPES} onChange={setPowerType} />
          <label className="field">
            <span className="field-label">New power parameters (key=value, one per line)</span>
            <textarea
              rows={3}
              className="mono"
              value={power}
              onChange={(event) => setPower(event.target.value)}
              placeholder={'Leave empty to keep the current ones\naddress=10.0.0.10\npassword=…'}
            />
            <FieldError id="edit-power-error" messages={messagesFor(fields, 'powerParameters')} />
          </label>
        </>
      )}
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      {hostnameErrors.length === 0 && <ErrorNote error={update.error} />}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
