import type { Session } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { hashToken } from '../shared/secrets.js';

/** The session a bearer token opens, or null when it is unknown, revoked or expired. */
export function authenticate(deps: Deps) {
  return async (token: string): Promise<Session | null> => {
    const session = await deps.uow.read((repositories) => repositories.auth.findSession(hashToken(token)));
    if (!session || (session.expiresAt !== null && session.expiresAt.getTime() <= deps.clock.now().getTime())) return null;
    return session;
  };
}
