import type { AuthStore, User } from '@metalyard/domain';

export const BOOTSTRAP_ADMIN = 'admin';

/**
 * Makes sure user `admin` exists, that `token` authenticates as it and, when given, that `password`
 * signs it in. Idempotent across restarts.
 */
export async function ensureBootstrapAdmin(auth: AuthStore, token: string, password: string | null = null): Promise<User> {
  const user = (await auth.findUser(BOOTSTRAP_ADMIN)) ?? (await auth.createUser(BOOTSTRAP_ADMIN, 'admin'));
  if (user.role !== 'admin') throw new Error(`user '${BOOTSTRAP_ADMIN}' exists but is not an admin`);
  await auth.ensureToken(user.id, token, 'METALYARD_ADMIN_TOKEN');
  if (password !== null && !(await auth.verifyPassword(BOOTSTRAP_ADMIN, password))) {
    await auth.updateUser(BOOTSTRAP_ADMIN, { password });
  }
  return user;
}
