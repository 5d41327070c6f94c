import { ForbiddenError } from './errors.js';
import type { User } from './ports.js';
import { TRANSITIONS, type NodeAction } from './transitions.js';

/**
 * Whether `user` may take `action` on a node owned by `owner` (a username or null), by the
 * table's actor rule: admins may do everything a person may; owners act on their own nodes;
 * any user may acquire. Machine and system actions are never a person's.
 */
export function mayTakeAction(action: NodeAction, user: Pick<User, 'username' | 'role'>, owner: string | null): boolean {
  const actor = TRANSITIONS[action].actor;
  if (actor === 'machine' || actor === 'system') return false;
  if (user.role === 'admin') return true;
  if (actor === 'user') return true;
  if (actor === 'owner') return owner !== null && owner === user.username;
  return false;
}

export function assertMayTakeAction(action: NodeAction, user: Pick<User, 'username' | 'role'>, owner: string | null, systemId: string): void {
  if (mayTakeAction(action, user, owner)) return;
  const actor = TRANSITIONS[action].actor;
  const who = actor === 'owner' ? `its owner${owner ? ` (${owner})` : ''} or an admin` : 'an admin';
  throw new ForbiddenError(`only ${who} may ${action} node ${systemId}`);
}
