import { UnauthenticatedError, type IssuedToken, type User } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { LoginThrottle } from './login-throttle.js';
import { verifyPassword } from '../shared/passwords.js';
import { issueToken } from '../tokens/issue.js';

export interface LoginResult {
  session: IssuedToken & { expiresAt: Date };
  user: User;
}

/** Username and password → a session token that expires after the session lifetime. Failed logins are throttled. */
export function login(deps: Deps, throttle: LoginThrottle) {
  return async (username: string, password: string, clientAddress: string): Promise<LoginResult> => {
    throttle.check(username, clientAddress);
    const stored = await deps.uow.read((repositories) => repositories.auth.findUser(username));
    const ok = await verifyPassword(password, stored?.passwordHash ?? null);
    if (!ok || !stored) {
      throttle.fail(username, clientAddress);
      throw new UnauthenticatedError('wrong username or password');
    }
    throttle.succeed(username, clientAddress);
    const expiresAt = new Date(deps.clock.now().getTime() + deps.settings.auth.sessionLifetimeMs);
    const session = await issueToken(deps, stored.id, 'session', expiresAt);
    return { session: { ...session, expiresAt }, user: { id: stored.id, username: stored.username, role: stored.role } };
  };
}
