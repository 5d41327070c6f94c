import { useState } from 'react';
import { useUsers, type User } from '../../api/users.js';
import { useViewer } from '../../api/viewer.js';
import { DataTable } from '../../components/DataTable.js';
import { ListPanel } from '../../components/ListPanel.js';
import { CreateUserDialog } from './CreateUserDialog.js';
import { PasswordDialog } from './PasswordDialog.js';
import { UserChangeDialog, type UserChange } from './UserChangeDialog.js';
import { UserRow } from './UserRow.js';

/**
 * Users (admins): add one, change a role, reset a password, delete one. Your own role and your
 * own account are not offered: the server refuses both (409), so that an admin always remains.
 */
export function UsersScreen() {
  const viewer = useViewer();
  const users = useUsers();
  const [adding, setAdding] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [change, setChange] = useState<UserChange | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function finish(message: string) {
    setDone(message);
    setAdding(false);
    setResetting(null);
    setChange(null);
  }

  return (
    <ListPanel
      titleId="users-title"
      title="Users"
      lead="Who may sign in. Admins manage machines' lifecycle, tags, zones, pools and users; users acquire machines and act on their own."
      actions={
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          Add user
        </button>
      }
      done={done}
      error={users.error}
      pending={users.isPending}
      dialogs={
        <>
          <CreateUserDialog open={adding} onClose={() => setAdding(false)} onDone={finish} />
          <PasswordDialog user={resetting} onClose={() => setResetting(null)} onDone={finish} />
          <UserChangeDialog change={change} onCancel={() => setChange(null)} onDone={finish} />
        </>
      }
    >
      <DataTable labelledBy="users-title" columns={['Username', 'Role', 'Created']} actions>
        {(users.data ?? []).map((user) => (
          <UserRow
            key={user.username}
            user={user}
            self={user.username === viewer.username}
            onChange={setChange}
            onResetPassword={setResetting}
          />
        ))}
      </DataTable>
    </ListPanel>
  );
}
