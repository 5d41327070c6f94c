import type { AuthStore, EventStore, LabelStore, NodeStore } from '@metalyard/domain';
import type { LoginThrottle } from './login-throttle.js';
import type { RateLimiter } from './rate-limiter.js';

/** What the procedures need from the outside world: the stores, nothing of the ORM. */
export interface Services {
  nodes: NodeStore;
  events: EventStore;
  labels: LabelStore;
  auth: AuthStore;
  loginThrottle: LoginThrottle;
  /** Limits the public procedures per remote address; none: unlimited. */
  anonymousLimiter?: RateLimiter;
}

export interface Context {
  services: Services;
  /** The raw Authorization header (or the token an SSE client sent as a connection parameter). */
  authorization: string | null;
  /** The caller's address, recorded on anonymous events and used by rate limits. */
  remoteAddress: string;
}

export interface CreateContextOptions {
  services: Services;
  authorization?: string | null | undefined;
  remoteAddress?: string | undefined;
  /** tRPC's connection parameters: EventSource cannot send headers, so SSE clients send `{ token }`. */
  connectionParams?: Record<string, string | undefined> | null | undefined;
}

export function createContext(options: CreateContextOptions): Context {
  const token = options.connectionParams?.token;
  return {
    services: options.services,
    authorization: options.authorization ?? (token ? `Bearer ${token}` : null),
    remoteAddress: options.remoteAddress ?? 'unknown',
  };
}
