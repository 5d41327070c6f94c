/** RFC 4648 base32 alphabet in lowercase, without padding: URL-safe. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export const SYSTEM_ID_LENGTH = 6;
export const SYSTEM_ID_PATTERN = /^[a-z2-7]{6}$/;

/**
 * Random bytes drawn from the platform's CSPRNG a few hundred at a time: one getRandomValues call
 * costs about as much as a small one, and an enlistment needs six bytes.
 */
const pool = new Uint8Array(SYSTEM_ID_LENGTH * 64);
let used = pool.length;

/** A fresh random system id, six base32 characters as in MAAS (about 10^9 values). */
export function generateSystemId(): string {
  if (used + SYSTEM_ID_LENGTH > pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  let id = '';
  for (let i = used; i < used + SYSTEM_ID_LENGTH; i++) id += ALPHABET[pool[i]! & 31];
  used += SYSTEM_ID_LENGTH;
  return id;
}
