import type { Application } from '@metalyard/usecases';
import type { RateLimiter } from './middleware/rate-limiter.js';

/** What a request carries into the procedures: the use cases, and who and where the caller is. */
export interface Context {
  app: Application;
  /** Limits the public and machine procedures per client address; none: unlimited. */
  anonymousLimiter: RateLimiter | null;
  /** The raw Authorization header (or the token an SSE client sent as a connection parameter). */
  authorization: string | null;
  /** The caller's address, recorded on anonymous events and used by rate limits. */
  clientAddress: string;
  /** The server's URL as machines reach it (METALYARD_BOOT_URL, or the request's Host): image URLs start with it. */
  baseUrl: string;
  /** The id the server gave this request (its log line, the X-Request-Id header); every error body carries it. */
  requestId: string | null;
  /** Filled in while the request runs, for the server's request log and metrics. */
  request: RequestFacts;
}

/** What the procedures learn about a request that its log line reports: who called, what was called. */
export interface RequestFacts {
  /** The signed-in user's name; null: anonymous (or a machine). */
  user: string | null;
  /** Each procedure the request reached (a batch reaches several). */
  procedures: string[];
}

export function requestFacts(): RequestFacts {
  return { user: null, procedures: [] };
}

export interface CreateContextOptions {
  app: Application;
  anonymousLimiter?: RateLimiter | null | undefined;
  authorization?: string | null | undefined;
  clientAddress?: string | undefined;
  baseUrl?: string | undefined;
  requestId?: string | null | undefined;
  request?: RequestFacts | undefined;
  /** tRPC's connection parameters: EventSource cannot send headers, so SSE clients send `{ token }`. */
  connectionParams?: Record<string, string | undefined> | null | undefined;
}

export function createContext(options: CreateContextOptions): Context {
  const token = options.connectionParams?.token;
  return {
    app: options.app,
    anonymousLimiter: options.anonymousLimiter ?? null,
    authorization: options.authorization ?? (token ? `Bearer ${token}` : null),
    clientAddress: options.clientAddress ?? 'unknown',
    baseUrl: options.baseUrl ?? 'http://127.0.0.1:5240',
    requestId: options.requestId ?? null,
    request: options.request ?? requestFacts(),
  };
}
