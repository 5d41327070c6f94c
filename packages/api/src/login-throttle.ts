import { DomainError } from '@metalyard/domain';

export interface LoginThrottleOptions {
  /** Failed logins allowed per user, and per address, within the window. */
  maxFailures: number;
  windowMs: number;
  clock: () => number;
}

/**
 * Slows password guessing: after `maxFailures` failed logins for a username, or from an address,
 * within the window, further attempts are refused (429) until the window has passed. A success
 * clears the user's count. In memory: per server process.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly options: LoginThrottleOptions;

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.options = { maxFailures: 5, windowMs: 15 * 60_000, clock: Date.now, ...options };
  }

  private recent(key: string): number[] {
    const since = this.options.clock() - this.options.windowMs;
    const times = (this.failures.get(key) ?? []).filter((time) => time > since);
    if (times.length) this.failures.set(key, times);
    else this.failures.delete(key);
    return times;
  }

  /** Throws a rate-limit error when either key is over its budget. */
  check(username: string, address: string): void {
    for (const key of [`user:${username}`, `address:${address}`]) {
      const times = this.recent(key);
      if (times.length >= this.options.maxFailures) {
        const retryAfter = Math.max(1, Math.ceil((times[0]! + this.options.windowMs - this.options.clock()) / 1000));
        throw new DomainError('rate_limited', `too many failed logins; try again in ${retryAfter} s`, { retryAfter });
      }
    }
  }

  fail(username: string, address: string): void {
    const now = this.options.clock();
    for (const key of [`user:${username}`, `address:${address}`]) this.failures.set(key, [...this.recent(key), now]);
  }

  succeed(username: string): void {
    this.failures.delete(`user:${username}`);
  }
}
