import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StatusCounts } from '@metalyard/domain';
import type { PoolStats } from '@metalyard/db';
import type { UseCaseObserver } from '@metalyard/usecases';

export interface MetricsSources {
  /** Nodes per status, counted on each scrape. */
  nodeCounts(): Promise<StatusCounts>;
  /** Live-event subscribers now. */
  subscribers(): number;
  pool(): PoolStats;
}

/**
 * The server's Prometheus metrics (prom-client, a registry of its own). Requests and refusals are
 * counted as they happen; nodes, subscribers and the pool are read on each scrape.
 */
export class Metrics {
  readonly registry = new Registry();
  private sources: MetricsSources | null = null;

  readonly requests = new Counter({
    name: 'metalyard_http_requests_total',
    help: 'HTTP requests answered, by procedure (or route) and status code.',
    labelNames: ['procedure', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'metalyard_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its answer, by procedure (or route).',
    labelNames: ['procedure'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'metalyard_rate_limited_total',
    help: 'Calls refused with 429, by limit: the anonymous door (anonymous) or the failed-login throttle (login).',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });
  readonly failedLogins = new Counter({
    name: 'metalyard_failed_logins_total',
    help: 'auth.login calls refused for a wrong username or password.',
    registers: [this.registry],
  });
  readonly refusedTokens = new Counter({
    name: 'metalyard_refused_tokens_total',
    help: 'Calls refused with 401 for a missing, malformed, invalid, expired or revoked token.',
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'metalyard_group_commit_batch_size',
    help: 'Requests written together in one transaction by a group commit, by writer.',
    labelNames: ['writer'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Refusals read 0 before the first one, rather than being absent.
    for (const limit of ['anonymous', 'login']) this.rateLimited.inc({ limit }, 0);
    const sources = () => this.sources;
    new Gauge({
      name: 'metalyard_nodes',
      help: 'Nodes in each status, counted when scraped.',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const from = sources();
        if (!from) return;
        const counts = await from.nodeCounts();
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      },
    });
    new Gauge({
      name: 'metalyard_event_subscribers',
      help: 'Live-event subscribers (SSE clients) of this process.',
      registers: [this.registry],
      collect() {
        const from = sources();
        if (from) this.set(from.subscribers());
      },
    });
    new Gauge({
      name: 'metalyard_db_pool_connections',
      help: 'Database connections of this process by state: used, free, and max (the pool size).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const from = sources();
        if (!from) return;
        const pool = from.pool();
        this.set({ state: 'used' }, pool.used);
        this.set({ state: 'free' }, pool.free);
        this.set({ state: 'max' }, pool.max);
      },
    });
    new Gauge({
      name: 'metalyard_db_pool_pending',
      help: 'Queries and transactions waiting for a database connection.',
      registers: [this.registry],
      collect() {
        const from = sources();
        if (from) this.set(from.pool().pending);
      },
    });
  }

  /** What the scrape-time gauges read (set once the database is open). */
  attach(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** The use cases' observer: group-commit batch sizes. */
  readonly observer: UseCaseObserver = {
    batchWritten: (writer, size) => this.batchSize.observe({ writer }, size),
  };

  /** One answered request. */
  answered(procedure: string, status: number, seconds: number): void {
    this.requests.inc({ procedure, status: String(status) });
    this.duration.observe({ procedure }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
