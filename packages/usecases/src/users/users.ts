import {
  ConflictError,
  NotFoundError,
  assertMayChangeRole,
  assertMayDeleteUser,
  type IssuedToken,
  type Role,
  type User,
  type UserChanges,
  type UserInfo,
} from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { DuplicateKeyError } from '../ports/index.js';
import { hashPassword } from '../shared/passwords.js';
import { issueToken } from '../tokens/issue.js';

export function listUsers(deps: Deps) {
  return (): Promise<UserInfo[]> => deps.uow.read((repositories) => repositories.auth.listUsers());
}

export function findUser(deps: Deps) {
  return async (username: string): Promise<User | null> => {
    const stored = await deps.uow.read((repositories) => repositories.auth.findUser(username));
    return stored && { id: stored.id, username: stored.username, role: stored.role };
  };
}

/** A new user, with a password to sign in with when given (stored as a scrypt hash). */
export function createUser(deps: Deps) {
  return async (username: string, role: Role, password?: string): Promise<UserInfo> => {
    const passwordHash = password ? await hashPassword(password) : null;
    try {
      return await deps.uow.transaction((tx) => tx.auth.insertUser({ username, role, passwordHash, createdAt: deps.clock.now() }));
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new ConflictError(`user '${username}' already exists`);
      throw error;
    }
  };
}

/** A new role or password for a user; an admin cannot demote themselves. */
export function updateUser(deps: Deps) {
  return async (actor: User, changes: UserChanges): Promise<UserInfo> => {
    assertMayChangeRole(actor, changes.username, changes.role);
    const passwordHash = changes.password ? await hashPassword(changes.password) : undefined;
    return deps.uow.transaction(async (tx) => {
      const stored = await tx.auth.findUser(changes.username);
      if (!stored) throw new NotFoundError('user', changes.username);
      const set = { ...(changes.role ? { role: changes.role } : {}), ...(passwordHash ? { passwordHash } : {}) };
      if (Object.keys(set).length) await tx.auth.updateUser(stored.id, set);
      return { id: stored.id, username: stored.username, role: changes.role ?? stored.role, createdAt: stored.createdAt };
    });
  };
}

/** Deletes a user who owns no node; nobody deletes themselves. Their tokens go with them. */
export function deleteUser(deps: Deps) {
  return (actor: User, username: string): Promise<void> => {
    assertMayDeleteUser(actor, username);
    return deps.uow.transaction(async (tx) => {
      const stored = await tx.auth.findUser(username);
      if (!stored) throw new NotFoundError('user', username);
      const held = await tx.auth.countOwnedNodes(stored.id);
      if (held > 0) throw new ConflictError(`user '${username}' still owns ${held} node(s); release them first`);
      await tx.auth.deleteUser(stored.id);
    });
  };
}

/**
 * For the server's management command (`createadmin`, `createuser`): the user, created when
 * missing (with the password, when given) or given the new password, and a fresh API token.
 */
export function provisionUser(deps: Deps) {
  const create = createUser(deps);
  const update = updateUser(deps);
  return async (username: string, role: Role, password?: string): Promise<{ user: User; created: boolean; token: IssuedToken }> => {
    let user = await findUser(deps)(username);
    if (user && user.role !== role) throw new ConflictError(`user '${username}' exists with role ${user.role}`);
    const created = !user;
    user ??= await create(username, role, password);
    if (!created && password !== undefined) await update(user, { username, password });
    return { user, created, token: await issueToken(deps, user.id, role === 'admin' ? 'createadmin' : 'createuser', null) };
  };
}
