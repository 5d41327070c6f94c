import { useState } from 'react';
import { fieldErrorsOf } from '../../api/errors.js';
import { useCreateToken, type CreatedToken } from '../../api/tokens.js';
import { CopySecret } from '../../components/CopySecret.js';
import { DialogForm } from '../../components/DialogForm.js';
import { messagesFor } from '../../components/FieldError.js';
import { Modal } from '../../components/Modal.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';

const LIFETIMES = ['Never', '30 days', '90 days', '1 year'] as const;
type Lifetime = (typeof LIFETIMES)[number];
const DAYS: Record<Lifetime, number | undefined> = { Never: undefined, '30 days': 30, '90 days': 90, '1 year': 365 };

/** Creates an API token, then shows its secret this once, with a copy button. */
export function CreateTokenDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal open={open} title={created ? `Token ${created.name} created` : 'Create API token'} onClose={close}>
      {created ? <CreatedTokenView token={created} onDone={close} /> : <CreateTokenForm onCancel={close} onCreated={setCreated} />}
    </Modal>
  );
}

function CreateTokenForm({ onCancel, onCreated }: { onCancel(): void; onCreated(token: CreatedToken): void }) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState<Lifetime>('90 days');
  const fields = fieldErrorsOf(create.error);

  function submit() {
    const days = DAYS[lifetime];
    create.mutate({ name: name.trim(), ...(days ? { expiresInDays: days } : {}) }, { onSuccess: onCreated });
  }

  return (
    <DialogForm
      submitLabel="Create token"
      busyLabel="Creating…"
      busy={create.isPending}
      incomplete={!name.trim()}
      error={create.error}
      fields={['name', 'expiresInDays']}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <TextField
        label="Name"
        value={name}
        onChange={setName}
        autoFocus
        required
        maxLength={128}
        placeholder="ci-runner, laptop"
        hint="Where you will use it, so you know which to revoke later."
        errors={messagesFor(fields, 'name')}
      />
      <SelectField label="Expires after" value={lifetime} choices={LIFETIMES} onChange={setLifetime} />
      <p className="hint">It acts as you, with your role, until it expires or you revoke it.</p>
    </DialogForm>
  );
}

function CreatedTokenView({ token, onDone }: { token: CreatedToken; onDone(): void }) {
  return (
    <>
      <p className="warning">Copy it now: it is shown only this once. Metalyard keeps only a hash.</p>
      <CopySecret value={token.token} label={`API token ${token.name}`} copyLabel="Copy the token" />
      <p className="hint">
        Send it as <code>Authorization: Bearer …</code>, or paste it under “Use an API token instead” when signing in.
      </p>
      <div className="modal-actions">
        <button type="button" className="button button-primary" onClick={onDone} autoFocus>
          Done
        </button>
      </div>
    </>
  );
}
