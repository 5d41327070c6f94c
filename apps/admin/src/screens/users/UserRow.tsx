import type { User } from '../../api/users.js';
import { TimeAgo } from '../../components/TimeAgo.js';
import { otherRole, roleWords, type UserChange } from './UserChangeDialog.js';

interface UserRowProps {
  user: User;
  /** The signed-in user: their own role and account are not offered (the server refuses both). */
  self: boolean;
  onChange(change: UserChange): void;
  onResetPassword(user: User): void;
}

export function UserRow({ user, self, onChange, onResetPassword }: UserRowProps) {
  const role = otherRole(user);
  return (
    <tr>
      <th scope="row" data-label="Username">
        <span>
          <span className="strong">{user.username}</span> {self && <span className="badge badge-neutral">you</span>}
        </span>
      </th>
      <td data-label="Role">
        <span className={`badge ${user.role === 'admin' ? 'badge-owned' : 'badge-neutral'}`}>{user.role}</span>
      </td>
      <td data-label="Created">
        <TimeAgo iso={user.createdAt} />
      </td>
      <td className="row-actions">
        {self ? (
          <span className="hint inline-hint">Another admin changes your role or deletes you.</span>
        ) : (
          <button
            type="button"
            className="button button-small"
            onClick={() => onChange({ kind: 'role', user })}
            aria-label={`Make ${user.username} ${roleWords(role)}`}
          >
            {role === 'admin' ? 'Make admin' : 'Make user'}
          </button>
        )}
        <button
          type="button"
          className="button button-small"
          onClick={() => onResetPassword(user)}
          aria-label={`Reset the password of ${user.username}`}
        >
          Reset password
        </button>
        {!self && (
          <button
            type="button"
            className="button button-small button-danger-outline"
            onClick={() => onChange({ kind: 'delete', user })}
            aria-label={`Delete user ${user.username}`}
          >
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}
