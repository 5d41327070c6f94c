import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { AppRouter, ErrorData, RouterInputs, RouterOutputs } from '@metalyard/api';

export type { AppRouter, ErrorData, RouterInputs, RouterOutputs };
/** A node as the API returns it. */
export type Node = RouterOutputs['protected']['nodes']['get'];
/** Every status a node can be in. */
export type NodeStatus = Node['status'];
export type Architecture = Node['architecture'];
export type NodePage = RouterOutputs['protected']['nodes']['list'];
export type NodeEvent = RouterOutputs['protected']['events']['list']['items'][number];
export type EnlistInput = RouterInputs['enlist'];
export type AcquireConstraints = RouterInputs['protected']['nodes']['acquire'];

/** The EventSource constructor used for live events (Node 22 and 24 have none without --experimental-eventsource: pass the `eventsource` package's). */
export type EventSourceConstructor = new (url: string, init?: EventSourceInit) => EventSource;

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
  /** For subscriptions (`protected.events.onChange`) where there is no global EventSource. */
  EventSource?: EventSourceConstructor;
}

/**
 * A typed client for the whole Metalyard API, e.g. `client.protected.nodes.get.query({ systemId })`.
 * Queries and mutations go over HTTP (batched); subscriptions over server-sent events, with the
 * token as a connection parameter because EventSource cannot send headers.
 */
export function createMetalyardClient(options: MetalyardClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  const token = options.token;
  const tokenOf = typeof token === 'function' ? token : () => token;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (operation) => operation.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${base}/trpc`,
          ...(options.EventSource ? { EventSource: options.EventSource } : {}),
          connectionParams: () => {
            const current = tokenOf();
            return current ? { token: current } : {};
          },
        }),
        false: httpBatchLink({
          url: `${base}/trpc`,
          maxItems: options.maxBatchSize ?? 20,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          headers: () => {
            const current = tokenOf();
            return { ...options.headers, ...(current ? { authorization: `Bearer ${current}` } : {}) };
          },
        }),
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

/**
 * The lifecycle's rules, as the server applies them: every status, the transition table and who
 * may take each action, the architectures and power types, MAC normalisation. For clients that
 * show what is possible (the admin app's buttons, the CLI's help) without asking the server.
 */
export {
  ARCHITECTURES,
  NODE_ACTIONS,
  NODE_STATUSES,
  POWER_TYPES,
  REDACTED,
  ROLES,
  STATUS_DESCRIPTIONS,
  TRANSITIONS,
  USER_ACTIONS,
  allowedActions,
  canTransition,
  isSecretParameter,
  mayTakeAction,
  nextStatus,
  normalizeMac,
  type ActionActor,
  type NodeAction,
  type PowerType,
  type Role,
  type TransitionRule,
} from '@metalyard/domain';
