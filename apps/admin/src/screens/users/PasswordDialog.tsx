import { useState } from 'react';
import { fieldErrorsOf } from '../../api/errors.js';
import { useUpdateUser, type User } from '../../api/users.js';
import { DialogForm } from '../../components/DialogForm.js';
import { messagesFor } from '../../components/FieldError.js';
import { Modal } from '../../components/Modal.js';
import { PasswordFields, passwordProblem } from './PasswordFields.js';

interface PasswordDialogProps {
  user: User | null;
  onClose(): void;
  onDone(message: string): void;
}

/** Sets a new password for a user (their sessions and tokens keep working). */
export function PasswordDialog({ user, onClose, onDone }: PasswordDialogProps) {
  return (
    <Modal open={user !== null} title={`Reset the password of ${user?.username ?? ''}`} onClose={onClose}>
      {user && <PasswordForm user={user} onCancel={onClose} onDone={onDone} />}
    </Modal>
  );
}

function PasswordForm({ user, onCancel, onDone }: { user: User; onCancel(): void; onDone(message: string): void }) {
  const update = useUpdateUser();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [checked, setChecked] = useState(false);

  function submit() {
    setChecked(true);
    if (passwordProblem(password, repeat)) return;
    update.mutate({ username: user.username, password }, { onSuccess: () => onDone(`Set a new password for ${user.username}.`) });
  }

  return (
    <DialogForm
      submitLabel="Set password"
      busyLabel="Saving…"
      busy={update.isPending}
      error={update.error}
      fields={['password']}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <p className="hint">
        They sign in with it from now on. Their API tokens and open sessions keep working: they revoke those themselves.
      </p>
      <PasswordFields
        password={password}
        repeat={repeat}
        onPassword={setPassword}
        onRepeat={setRepeat}
        errors={messagesFor(fieldErrorsOf(update.error), 'password')}
        checked={checked}
        autoFocus
      />
    </DialogForm>
  );
}
