import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppRouter, ErrorData, RouterInputs, RouterOutputs } from '@metalyard/api';

export type { AppRouter, ErrorData, RouterInputs, RouterOutputs };
/** A node as the API returns it. */
export type Node = RouterOutputs['protected']['nodes']['get'];
/** Every status a node can be in. */
export type NodeStatus = Node['status'];
export type Architecture = Node['architecture'];
export type NodePage = RouterOutputs['protected']['nodes']['list'];
export type EnlistInput = RouterInputs['enlist'];

export interface MetalyardClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:5240 (the API is at `${url}/trpc`). */
  url: string;
  /** A bearer token, or a function that returns the current one (none: anonymous). */
  token?: string | null | (() => string | null | undefined);
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /** Calls made in the same tick travel in one HTTP request (default: up to 20). */
  maxBatchSize?: number;
}

/** A typed client for the whole Metalyard API, e.g. `client.protected.nodes.get.query({ systemId })`. */
export function createMetalyardClient(options: MetalyardClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  const tokenOf = typeof options.token === 'function' ? options.token : () => options.token;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${base}/trpc`,
        maxItems: options.maxBatchSize ?? 20,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        headers: () => {
          const token = tokenOf();
          return { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
        },
      }),
    ],
  });
}

export type MetalyardClient = ReturnType<typeof createMetalyardClient>;
export type MetalyardError = TRPCClientError<AppRouter>;
export { TRPCClientError };

/** Whether `error` came from the Metalyard API (or the transport to it). */
export function isMetalyardError(error: unknown): error is MetalyardError {
  return error instanceof TRPCClientError;
}

/** The HTTP status of an API error (400, 401, 403, 404, 409, …), or undefined for a transport failure. */
export function httpStatusOf(error: unknown): number | undefined {
  return isMetalyardError(error) ? error.data?.httpStatus : undefined;
}
