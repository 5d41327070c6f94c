import { ipv6Groups } from './ip-address.js';

/**
 * The block of addresses a client's limits apply to. An IPv4 address is one client. An IPv6
 * address is not: a single host or site is normally given a whole /64 (SLAAC, privacy addresses) and
 * can pick a fresh address in it for every request, so per-address limits count its /64 —
 * `2001:db8:0:1::/64`. Anything that is not an IPv6 address is its own block, as it is.
 */
export function clientBlock(address: string): string {
  if (!address.includes(':')) return address;
  const prefix = ipv6Groups(address)?.slice(0, 4);
  return prefix ? `${prefix.map((group) => group.toString(16)).join(':')}::/64` : address;
}
