import type { IssuedToken, TokenInfo, User } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { issueToken } from './issue.js';

const DAY_MS = 24 * 60 * 60_000;

/** The caller's own API tokens, never their secrets. */
export function listTokens(deps: Deps) {
  return (user: User): Promise<TokenInfo[]> => deps.uow.read((repositories) => repositories.auth.listTokens(user.id, deps.clock.now()));
}

/** A new API token for the caller, valid for `expiresInDays` (or until revoked): the secret is shown once. */
export function createToken(deps: Deps) {
  return (user: User, name: string, expiresInDays?: number): Promise<IssuedToken> => {
    const expiresAt = expiresInDays ? new Date(deps.clock.now().getTime() + expiresInDays * DAY_MS) : null;
    return issueToken(deps, user.id, name, expiresAt);
  };
}

/** Revokes one of the caller's tokens at once; false when it is not theirs (or already revoked). */
export function revokeToken(deps: Deps) {
  return (user: User, tokenId: number): Promise<boolean> =>
    deps.uow.transaction((tx) => tx.auth.revokeToken(user.id, tokenId, deps.clock.now()));
}
