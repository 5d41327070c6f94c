import { useDeleteUser, useUpdateUser, type User } from '../../api/users.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';

/** What an admin is about to do to another user, asked first. */
export type UserChange = { kind: 'role'; user: User } | { kind: 'delete'; user: User };

export const otherRole = (user: User) => (user.role === 'admin' ? 'user' : 'admin');
export const roleWords = (role: User['role']) => (role === 'admin' ? 'an admin' : 'a user');

interface UserChangeDialogProps {
  change: UserChange | null;
  onCancel(): void;
  onDone(message: string): void;
}

/** Confirms a new role or a deletion; the server's refusal (a 409: they still own machines) is shown in it. */
export function UserChangeDialog({ change, onCancel, onDone }: UserChangeDialogProps) {
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const running = change?.kind === 'delete' ? remove : update;
  const user = change?.user;
  const role = user ? otherRole(user) : 'user';

  function confirm() {
    if (!change) return;
    const { username } = change.user;
    if (change.kind === 'delete') remove.mutate(username, { onSuccess: () => onDone(`Deleted user ${username}.`) });
    else update.mutate({ username, role }, { onSuccess: () => onDone(`${username} is now ${roleWords(role)}.`) });
  }

  function cancel() {
    update.reset();
    remove.reset();
    onCancel();
  }

  return (
    <ConfirmDialog
      open={change !== null}
      title={change?.kind === 'delete' ? `Delete user ${user?.username}?` : `Make ${user?.username} ${roleWords(role)}?`}
      confirmLabel={change?.kind === 'delete' ? 'Delete user' : role === 'admin' ? 'Make admin' : 'Make user'}
      busy={running.isPending}
      error={running.error}
      onConfirm={confirm}
      onCancel={cancel}
    >
      {change?.kind === 'delete' ? (
        <p>Their sessions and API tokens stop working at once. A user who still owns machines cannot be deleted: release those first.</p>
      ) : role === 'admin' ? (
        <p>{user?.username} may then do everything an admin does: accept, commission and delete machines, and manage users.</p>
      ) : (
        <p>{user?.username} loses admin rights at once, and keeps only what a user may do.</p>
      )}
    </ConfirmDialog>
  );
}
