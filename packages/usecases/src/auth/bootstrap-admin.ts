import { ConflictError, type User } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { DuplicateKeyError } from '../ports/errors.js';
import { hashPassword, verifyPassword } from '../shared/passwords.js';
import { hashToken } from '../shared/secrets.js';

export const BOOTSTRAP_ADMIN = 'admin';

/**
 * Makes sure user `admin` exists, that `token` authenticates as it and, when given, that
 * `password` signs it in (METALYARD_ADMIN_TOKEN / METALYARD_ADMIN_PASSWORD). Idempotent across restarts,
 * and across replicas starting together: the one whose insert loses to another's reads what that one
 * wrote, in a second transaction.
 */
export function bootstrapAdmin(deps: Deps) {
  const once = ensureAdmin(deps);
  return async (token: string, password: string | null = null): Promise<User> => {
    try {
      return await once(token, password);
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      return once(token, password);
    }
  };
}

function ensureAdmin(deps: Deps) {
  return (token: string, password: string | null): Promise<User> =>
    deps.uow.transaction(async (tx) => {
      const now = deps.clock.now();
      const stored = await tx.auth.findUser(BOOTSTRAP_ADMIN);
      const user = stored ?? (await tx.auth.insertUser({ username: BOOTSTRAP_ADMIN, role: 'admin', passwordHash: null, createdAt: now }));
      if (user.role !== 'admin') throw new Error(`user '${BOOTSTRAP_ADMIN}' exists but is not an admin`);
      const tokenHash = hashToken(token);
      const existing = await tx.auth.findToken(tokenHash);
      if (!existing)
        await tx.auth.insertToken({ userId: user.id, name: 'METALYARD_ADMIN_TOKEN', tokenHash, createdAt: now, expiresAt: null });
      else if (existing.userId !== user.id) throw new ConflictError('that token already belongs to another user');
      else if (existing.revoked) await tx.auth.restoreToken(existing.id);
      if (password !== null && !(await verifyPassword(password, stored?.passwordHash ?? null))) {
        await tx.auth.updateUser(user.id, { passwordHash: await hashPassword(password) });
      }
      return { id: user.id, username: user.username, role: user.role };
    });
}
