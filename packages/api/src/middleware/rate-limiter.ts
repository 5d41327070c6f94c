import { RateLimitedError, clientBlock } from '@metalyard/domain';

export interface RateLimiterOptions {
  /** Tokens added per second to each caller's bucket; 0 turns the limit off. */
  ratePerSecond: number;
  /** The bucket's size: how many calls a caller may make at once. */
  burst: number;
  clock: () => number;
  /** Buckets kept at most; full (idle) ones are dropped first when there are more. */
  maxBuckets: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller for the anonymous door: public procedures such as `enlist` and
 * `auth.login`. A caller is its address's block (an IPv4 address, an IPv6 /64: clientBlock). Over
 * its budget a caller gets 429 with the seconds to wait.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  readonly options: RateLimiterOptions;

  constructor(options: Partial<RateLimiterOptions> = {}) {
    this.options = { ratePerSecond: 20, burst: 40, clock: Date.now, maxBuckets: 100_000, ...options };
  }

  get enabled(): boolean {
    return this.options.ratePerSecond > 0;
  }

  /** Spends one token of the bucket of `address`'s block, or throws a rate-limit error saying when to retry. */
  take(address: string): void {
    if (!this.enabled) return;
    const key = clientBlock(address);
    const { ratePerSecond, burst, clock } = this.options;
    const now = clock();
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerSecond));
      throw new RateLimitedError(`too many requests from ${key}; retry in ${retryAfter} s`, retryAfter);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.options.maxBuckets) this.prune(now);
  }

  private prune(now: number): void {
    const { ratePerSecond, burst } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond >= burst) this.buckets.delete(key);
    }
  }
}
