import { hash, randomBytes } from 'node:crypto';

/** API and session tokens. */
export const TOKEN_PREFIX = 'mly_';
/** Per-node tokens a machine's agent reports with. */
export const MACHINE_TOKEN_PREFIX = 'mlm_';

/** A random 32-byte secret, base64url, after its prefix. */
export function generateToken(prefix = TOKEN_PREFIX): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Tokens are random, so a fast hash is enough: only SHA-256 digests are stored. */
export function hashToken(token: string): string {
  // The one-shot digest: no Hash object per request.
  return hash('sha256', token, 'hex');
}
