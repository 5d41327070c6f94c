import { RateLimitedError, clientBlock } from '@metalyard/domain';
import type { Clock } from '../ports/index.js';

export interface LoginThrottleOptions {
  /** Failed logins allowed for one username from one client address within the window. */
  maxFailures: number;
  /** Failed logins allowed from one client address, whatever the usernames, within the window. */
  maxFailuresPerClient: number;
  windowMs: number;
}

/**
 * Slows password guessing. Failures count per (username, client) and per client — a client being
 * an IPv4 address or an IPv6 /64:
 * after `maxFailures` failed logins for a username from one client, that pair is refused (429) until
 * the window has passed; after `maxFailuresPerClient` from one client, any username from it is. A
 * username alone is never locked: one client's typos for `mallory` cannot lock `admin` out, from
 * another client nor from the same one. A success clears the pair's count. In memory: per process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private prunedAt = -Infinity;

  constructor(
    private readonly options: LoginThrottleOptions,
    private readonly clock: Clock,
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  private recent(key: string): number[] {
    const since = this.now() - this.options.windowMs;
    const times = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (times.length) this.failures.set(key, times);
    else this.failures.delete(key);
    return times;
  }

  /** A client is its address's block: an IPv6 client counts as its /64 (clientBlock). */
  private keys(username: string, address: string): [string, number][] {
    const client = clientBlock(address);
    return [
      [`pair:${client}\u0000${username}`, this.options.maxFailures],
      [`client:${client}`, this.options.maxFailuresPerClient],
    ];
  }

  /** Throws a rate-limit error when the pair or the client is over its budget. */
  check(username: string, address: string): void {
    for (const [key, max] of this.keys(username, address)) {
      const times = this.recent(key);
      if (times.length >= max) {
        const retryAfter = Math.max(1, Math.ceil((times[times.length - max]! + this.options.windowMs - this.now()) / 1000));
        throw new RateLimitedError(`too many failed logins; try again in ${retryAfter} s`, retryAfter);
      }
    }
  }

  fail(username: string, address: string): void {
    const now = this.now();
    for (const [key] of this.keys(username, address)) this.failures.set(key, [...this.recent(key), now]);
    // Many clients failing at once: forget the expired keys, at most once a second (each pass reads them all).
    if (this.failures.size > 100_000 && now - this.prunedAt >= 1000) this.prune(now);
  }

  succeed(username: string, address: string): void {
    this.failures.delete(`pair:${address}\u0000${username}`);
  }

  /** Drops the keys whose failures have all left the window. */
  private prune(now: number): void {
    this.prunedAt = now;
    for (const key of [...this.failures.keys()]) this.recent(key);
  }
}
