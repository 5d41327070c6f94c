import type { IssuedToken } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { generateToken, hashToken } from '../shared/secrets.js';

/** A new token for the user: the secret is returned once; only its hash is stored. */
export async function issueToken(deps: Deps, userId: number, name: string, expiresAt: Date | null): Promise<IssuedToken> {
  const token = generateToken();
  const createdAt = deps.clock.now();
  const id = await deps.uow.transaction((tx) => tx.auth.insertToken({ userId, name, tokenHash: hashToken(token), createdAt, expiresAt }));
  return { token, id, name, createdAt, expiresAt };
}
