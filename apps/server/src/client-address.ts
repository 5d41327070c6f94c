import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * Which peers may say who the client is. A request whose socket peer is one of these proxies is
 * read for `X-Forwarded-For` or `Forwarded` (RFC 7239): walking the hops from the right, the first
 * address that is not itself a trusted proxy is the client. Anyone else's headers are ignored. A proxy
 * writes one of the two and passes the other on as the client sent it, so when both are present and
 * name different clients neither is believed: the client is then the proxy itself.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  /** @param entries addresses and CIDRs, IPv4 or IPv6 (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`, `::1`). */
  constructor(readonly entries: readonly string[]) {
    for (const entry of entries) {
      const [address = '', bits, extra] = entry.split('/');
      const family = isIP(address);
      if (!family || extra !== undefined) throw new Error(`'${entry}' is not an IP address or CIDR`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) {
        this.list.addAddress(address, type);
        continue;
      }
      const prefix = Number(bits);
      if (!/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`'${entry}' has an invalid prefix length`);
      this.list.addSubnet(address, prefix, type);
    }
    this.empty = entries.length === 0;
  }

  /** Parses METALYARD_TRUSTED_PROXIES: a comma-separated list (blank: none). */
  static parse(text: string | undefined): TrustedProxies {
    return new TrustedProxies(
      (text ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    );
  }

  trusts(address: string): boolean {
    const family = isIP(address);
    if (!family) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  /** The client's address for a request from `peer` carrying `headers`. */
  clientAddress(peer: string | undefined, headers: IncomingMessage['headers']): string {
    const socketPeer = normalize(peer ?? '') ?? 'unknown';
    if (this.empty || !this.trusts(socketPeer)) return socketPeer;
    const xff = headers['x-forwarded-for'];
    const fromXff = xff ? this.walk(socketPeer, xForwardedForHops(xff)) : null;
    const fromForwarded = headers.forwarded ? this.walk(socketPeer, forwardedHops(headers.forwarded)) : null;
    if (fromXff && fromForwarded && fromXff !== fromForwarded) return socketPeer;
    return fromXff ?? fromForwarded ?? socketPeer;
  }

  /** The rightmost hop that is not a trusted proxy (hops left to right, as a header lists them). */
  private walk(socketPeer: string, hops: string[]): string {
    let client = socketPeer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalize(hops[i]!);
      // An obfuscated or garbled hop: the last trusted proxy is the best the request can tell.
      if (!hop) return client;
      client = hop;
      if (!this.trusts(hop)) return hop;
    }
    return client;
  }
}

/** The `for=` hops of `Forwarded`, left (client) to right. */
function forwardedHops(forwarded: string): string[] {
  const hops: string[] = [];
  for (const element of forwarded.split(',')) {
    const pair = element
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.toLowerCase().startsWith('for='));
    // An element without `for=` still is a hop whose sender did not say: it cannot be trusted.
    hops.push(pair ? pair.slice(4) : '');
  }
  return hops;
}

/** The addresses of `X-Forwarded-For` (every such header, in order), left (client) to right. */
function xForwardedForHops(header: string | string[]): string[] {
  const values = Array.isArray(header) ? header.join(',') : header;
  return values
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
}

/** An address as written in a header or by the socket (quotes, [IPv6]:port, IPv4:port, ::ffff:IPv4) → plain, or null. */
export function normalize(raw: string): string | null {
  let value = raw.trim().replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(value);
  if (mapped) value = mapped[1]!;
  return isIP(value) ? value.toLowerCase() : null;
}
