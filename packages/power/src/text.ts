/** Quoting what a BMC said in a message: short, on one line, and never holding a secret. */

/** At most `max` characters of `text` on one line. */
export function excerpt(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** `text` with every occurrence of each secret (of 3 characters or more) masked. */
export function scrub(text: string, ...secrets: string[]): string {
  return secrets.reduce((out, secret) => (secret.length >= 3 ? out.split(secret).join('********') : out), text);
}
