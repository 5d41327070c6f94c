import { TRPCClientError, type MetalyardClient } from '@metalyard/sdk';

/** A procedure's stand-in: gets the call's input, returns (or throws) what the server would. */
export type Handler = (input: unknown) => unknown;

export interface FakeClient {
  client: MetalyardClient;
  /** Every query and mutation made, in order: [procedure path, input]. */
  calls: [string, unknown][];
  /** The inputs `path` was called with. */
  inputsOf(path: string): unknown[];
}

/**
 * A client whose procedures are `handlers`, keyed by path (`protected.users.list`). A call to a
 * procedure without a handler fails the test; subscriptions never deliver anything.
 */
export function fakeClient(handlers: Record<string, Handler>): FakeClient {
  const calls: [string, unknown][] = [];
  const at = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_target, key) => {
        if (typeof key !== 'string') return undefined;
        if (key === 'query' || key === 'mutate') {
          return async (input: unknown) => {
            const name = path.join('.');
            calls.push([name, input]);
            const handler = handlers[name];
            if (!handler) throw new Error(`the test gave no handler for ${name}`);
            return handler(input);
          };
        }
        if (key === 'subscribe') return () => ({ unsubscribe: () => {} });
        return at([...path, key]);
      },
    });
  return {
    client: at([]) as MetalyardClient,
    calls,
    inputsOf: (path) => calls.filter(([name]) => name === path).map(([, input]) => input),
  };
}

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'TOO_MANY_REQUESTS',
  502: 'BAD_GATEWAY',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** The error the SDK throws when the server answers `status` with `message`. */
export function apiError(status: number, message: string, fieldErrors?: Record<string, string[]>): TRPCClientError<never> {
  const data = { httpStatus: status, code: CODES[status] ?? 'INTERNAL_SERVER_ERROR', ...(fieldErrors ? { fieldErrors } : {}) };
  return new TRPCClientError(message, { result: { error: { message, code: -32000, data } } } as never);
}

/** The error the SDK throws when the request never reached the server. */
export function networkError(message = 'Failed to fetch'): TRPCClientError<never> {
  return new TRPCClientError(message);
}
