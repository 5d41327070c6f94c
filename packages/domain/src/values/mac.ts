const SEPARATED = /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i;
const DOTTED = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i;
const BARE = /^[0-9a-f]{12}$/i;

/**
 * Normalises a MAC address given as `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`,
 * `aabb.ccdd.eeff` or `aabbccddeeff` to lowercase colon form; null when it is none of them.
 */
export function normalizeMac(input: string): string | null {
  const text = input.trim();
  let hex: string | undefined;
  const separated = SEPARATED.exec(text);
  if (separated) hex = [1, 3, 4, 5, 6, 7].map((i) => separated[i]).join('');
  else {
    const dotted = DOTTED.exec(text);
    if (dotted) hex = dotted.slice(1).join('');
    else if (BARE.test(text)) hex = text;
  }
  if (!hex) return null;
  return hex.toLowerCase().match(/../g)!.join(':');
}
