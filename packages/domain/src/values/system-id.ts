/** RFC 4648 base32 alphabet in lowercase, without padding: URL-safe. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
export const SYSTEM_ID_LENGTH = 6;
export const SYSTEM_ID_PATTERN = /^[a-z2-7]{6}$/;

/** A fresh random system id, six base32 characters as in MAAS (about 10^9 values). */
export function generateSystemId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SYSTEM_ID_LENGTH));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}
