/**
 * Who may act on what — every rule that depends on the actor and the thing acted on. (Which role
 * may call a procedure at all is the API's ACCESS table; together they are the whole story.)
 */
import { ConflictError, ForbiddenError } from './errors.js';
import { OWNED_STATUSES } from './lifecycle/effects.js';
import { TRANSITIONS, type NodeAction } from './lifecycle/transitions.js';
import type { NodeRecord, User } from './model.js';
import type { Role } from './values/roles.js';

type Person = Pick<User, 'username' | 'role'>;

/**
 * Whether `user` may take `action` on a node owned by `owner` (a username or null), by the
 * table's actor rule: admins may do everything a person may; owners act on their own nodes;
 * any user may acquire. Machine and system actions are never a person's.
 */
export function mayTakeAction(action: NodeAction, user: Person, owner: string | null): boolean {
  const actor = TRANSITIONS[action].actor;
  if (actor === 'machine' || actor === 'system') return false;
  if (user.role === 'admin') return true;
  if (actor === 'user') return true;
  if (actor === 'owner') return owner !== null && owner === user.username;
  return false;
}

export function assertMayTakeAction(action: NodeAction, user: Person, owner: string | null, systemId: string): void {
  if (mayTakeAction(action, user, owner)) return;
  const actor = TRANSITIONS[action].actor;
  const who = actor === 'owner' ? `its owner${owner ? ` (${owner})` : ''} or an admin` : 'an admin';
  throw new ForbiddenError(`only ${who} may ${action} node ${systemId}`);
}

/** Node fields only an admin may change: how to reach the BMC, and where the node belongs. */
export const ADMIN_ONLY_NODE_FIELDS = ['powerType', 'powerParameters', 'zone', 'pool'] as const;
export type AdminOnlyNodeField = (typeof ADMIN_ONLY_NODE_FIELDS)[number];

/** The owner or an admin may update a node; only an admin may touch the admin-only fields. */
export function assertMayUpdateNode(user: Person, owner: string | null, systemId: string, fields: readonly string[]): void {
  const isAdmin = user.role === 'admin';
  if (!isAdmin && owner !== user.username) throw new ForbiddenError(`only the owner of node ${systemId} or an admin may update it`);
  const adminOnly = ADMIN_ONLY_NODE_FIELDS.filter((field) => fields.includes(field));
  if (!isAdmin && adminOnly.length) throw new ForbiddenError(`only an admin may change ${adminOnly.join(', ')}`);
}

/** Annotations are the owner's own notes: nobody else writes them, not even an admin. */
export function assertMayAnnotate(user: Person, owner: string | null, systemId: string): void {
  if (owner === user.username) return;
  throw new ForbiddenError(
    owner ? `only the owner of node ${systemId} (${owner}) may annotate it` : `node ${systemId} has no owner to annotate it`,
  );
}

/**
 * Power control: an admin, or the owner of a node they hold; never a retired node (out of service for
 * good), never a `manual` one (there is nothing to drive: the operator is told what to do).
 */
export function assertMayControlPower(user: Person, node: Pick<NodeRecord, 'systemId' | 'status' | 'owner' | 'powerType'>): void {
  if (node.status === 'retired')
    throw new ConflictError(`node ${node.systemId} is retired: its power is no longer controlled`, { status: node.status });
  if (user.role !== 'admin' && !(node.owner === user.username && OWNED_STATUSES.includes(node.status))) {
    throw new ForbiddenError(`only the owner of node ${node.systemId} (while it is acquired) or an admin may control its power`);
  }
  if (node.powerType === 'manual') {
    throw new ConflictError(
      `node ${node.systemId} has power type manual: there is no BMC to drive; power it on or off by hand, or set its power type`,
      {
        powerType: 'manual',
      },
    );
  }
}

/** An admin cannot demote themselves (someone must be left to administer); another admin can. */
export function assertMayChangeRole(actor: Person, username: string, role: Role | undefined): void {
  if (username === actor.username && role === 'user')
    throw new ConflictError('you cannot take away your own admin role; ask another admin');
}

/** Nobody deletes their own account. */
export function assertMayDeleteUser(actor: Person, username: string): void {
  if (username === actor.username) throw new ConflictError('you cannot delete yourself');
}
