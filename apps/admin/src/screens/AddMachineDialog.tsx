import { useState, type FormEvent } from 'react';
import { ARCHITECTURES, POWER_TYPES, type Architecture, type PowerType } from '@metalyard/sdk';
import { fieldErrorsOf } from '../api/errors.js';
import { useEnlist } from '../api/nodes.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { FieldError, messagesFor } from '../components/FieldError.js';
import { Modal } from '../components/Modal.js';
import { SelectField } from '../components/SelectField.js';
import { navigate, hrefs } from '../route.js';

/** `key=value` lines into power parameters; a line without `=` is reported by its number. */
export function parsePowerParameters(text: string): { parameters: Record<string, string> } | { problem: string } {
  const parameters: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line.trim()) continue;
    const split = line.indexOf('=');
    if (split <= 0) return { problem: `Line ${index + 1} is not key=value.` };
    parameters[line.slice(0, split).trim()] = line.slice(split + 1).trim();
  }
  return { parameters };
}

/** Adds a machine as a signed-in user: it is trusted and lands ready at once. */
export function AddMachineDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal open={open} title="Add machine" onClose={onClose}>
      <AddMachineForm onDone={onClose} />
    </Modal>
  );
}

function AddMachineForm({ onDone }: { onDone(): void }) {
  const enlist = useEnlist();
  const [hostname, setHostname] = useState('');
  const [architecture, setArchitecture] = useState<Architecture>('amd64/generic');
  const [macs, setMacs] = useState('');
  const [powerType, setPowerType] = useState<PowerType>('manual');
  const [power, setPower] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const fields = fieldErrorsOf(enlist.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parsePowerParameters(powerType === 'manual' ? '' : power);
    if ('problem' in parsed) return setProblem(`Power parameters: ${parsed.problem}`);
    setProblem(null);
    const input = {
      architecture,
      macAddresses: macs.split(/[\s,]+/).filter(Boolean),
      powerType,
      powerParameters: parsed.parameters,
      ...(hostname.trim() ? { hostname: hostname.trim() } : {}),
    };
    enlist.mutate(input, {
      onSuccess: (node) => {
        onDone();
        navigate(hrefs.machine(node.systemId));
      },
    });
  }

  const hostnameErrors = messagesFor(fields, 'hostname');
  const macErrors = messagesFor(fields, 'macAddresses');
  const powerErrors = messagesFor(fields, 'powerParameters');
  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="hint">A machine you add is trusted: it is ready at once, without approval.</p>
      <label className="field">
        <span className="field-label">Hostname (optional)</span>
        <input
          value={hostname}
          onChange={(event) => setHostname(event.target.value)}
          placeholder="rack1-n2 — generated when empty"
          aria-invalid={hostnameErrors.length > 0}
          aria-describedby="hostname-error"
        />
        <FieldError id="hostname-error" messages={hostnameErrors} />
      </label>
      <div className="field-row">
        <SelectField label="Architecture" value={architecture} choices={ARCHITECTURES} onChange={setArchitecture} />
        <SelectField label="Power type" value={powerType} choices={POWER_TYPES} onChange={setPowerType} />
      </div>
      <label className="field">
        <span className="field-label">MAC addresses</span>
        <textarea
          rows={2}
          required
          value={macs}
          onChange={(event) => setMacs(event.target.value)}
          placeholder="52:54:00:12:34:56, one or more, separated by spaces or new lines"
          aria-invalid={macErrors.length > 0}
          aria-describedby="macs-error"
          className="mono"
        />
        <FieldError id="macs-error" messages={macErrors} />
      </label>
      {powerType !== 'manual' && (
        <label className="field">
          <span className="field-label">Power parameters (key=value, one per line)</span>
          <textarea
            rows={3}
            value={power}
            onChange={(event) => setPower(event.target.value)}
            placeholder={'address=10.0.0.10\nusername=admin\npassword=…'}
            aria-invalid={powerErrors.length > 0}
            aria-describedby="power-error"
            className="mono"
          />
          <FieldError id="power-error" messages={powerErrors} />
        </label>
      )}
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      {/* The server's message names every field; when they are shown by their fields, it is not repeated. */}
      {hostnameErrors.length + macErrors.length + powerErrors.length === 0 && <ErrorNote error={enlist.error} />}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={enlist.isPending}>
          {enlist.isPending ? 'Adding…' : 'Add machine'}
        </button>
      </div>
    </form>
  );
}
