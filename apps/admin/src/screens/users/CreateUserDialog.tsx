import { useState } from 'react';
import { fieldErrorsOf } from '../../api/errors.js';
import { useCreateUser, type Role } from '../../api/users.js';
import { DialogForm } from '../../components/DialogForm.js';
import { messagesFor } from '../../components/FieldError.js';
import { Modal } from '../../components/Modal.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { PasswordFields, passwordProblem } from './PasswordFields.js';

const ROLES: readonly Role[] = ['user', 'admin'];

/** Adds a user who signs in with a password; admins also manage machines' lifecycle and users. */
export function CreateUserDialog({ open, onClose, onDone }: { open: boolean; onClose(): void; onDone(message: string): void }) {
  return (
    <Modal open={open} title="Add user" onClose={onClose}>
      <CreateUserForm onCancel={onClose} onDone={onDone} />
    </Modal>
  );
}

function CreateUserForm({ onCancel, onDone }: { onCancel(): void; onDone(message: string): void }) {
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);
  const fields = fieldErrorsOf(create.error);

  function submit() {
    setChecked(true);
    if (passwordProblem(password, repeat)) return;
    const name = username.trim();
    create.mutate({ username: name, role, password }, { onSuccess: () => onDone(`Added ${role === 'admin' ? 'admin' : 'user'} ${name}.`) });
  }

  return (
    <DialogForm
      submitLabel="Add user"
      busyLabel="Adding…"
      busy={create.isPending}
      incomplete={!username.trim()}
      error={create.error}
      fields={['username', 'password', 'role']}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <TextField
        label="Username"
        value={username}
        onChange={setUsername}
        autoFocus
        autoComplete="off"
        required
        errors={messagesFor(fields, 'username')}
      />
      <SelectField label="Role" value={role} choices={ROLES} onChange={setRole} />
      <p className="hint">
        {role === 'admin'
          ? 'An admin may do everything: accept, commission and delete machines, and manage tags, zones, pools and users.'
          : 'A user may acquire ready machines and act on the ones they own.'}
      </p>
      <PasswordFields
        password={password}
        repeat={repeat}
        onPassword={setPassword}
        onRepeat={setRepeat}
        errors={messagesFor(fields, 'password')}
        checked={checked}
      />
    </DialogForm>
  );
}
