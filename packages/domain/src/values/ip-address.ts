/** IP addresses as text: recognised and taken apart. Pure. */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

/**
 * The eight 16-bit groups of an IPv6 address — `::` expanded, an embedded IPv4 tail as its two
 * groups, a zone (`fe80::1%eth0`) allowed and dropped — or null when `value` is no IPv6 address.
 */
export function ipv6Groups(value: string): number[] | null {
  let address = value;
  const percent = value.indexOf('%');
  if (percent >= 0) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value.slice(percent + 1))) return null;
    address = value.slice(0, percent);
  }
  const lastColon = address.lastIndexOf(':');
  if (lastColon < 0) return null;
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return null;
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    address = `${address.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const [head, rest] = halves.map((half) => (half === '' ? [] : half.split(':')));
  const groups = [...head!, ...(rest ?? [])];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return null;
  if (halves.length === 2 ? groups.length > 7 : groups.length !== 8) return null;
  const zeros = Array<string>(8 - groups.length).fill('0');
  return [...head!, ...zeros, ...(rest ?? [])].map((group) => parseInt(group, 16));
}

/** An IPv6 address, optionally with an embedded IPv4 tail and a zone (`fe80::1%eth0`). */
export function isIPv6(value: string): boolean {
  return ipv6Groups(value) !== null;
}
