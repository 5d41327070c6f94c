import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { z } from 'zod';
import { isDomainError, retryAfterOf, type DomainError, type DomainErrorKind } from '@metalyard/domain';
import type { Access } from './access.js';

/**
 * The one map of errors to the wire: each domain error kind → its tRPC code → its HTTP status and
 * what it means to a client. The procedures, the tRPC and REST handlers (status, Retry-After) and
 * the OpenAPI document all read it.
 */
export interface ErrorSpec {
  code: TRPC_ERROR_CODE_KEY;
  status: number;
  /** What a client reads in the API reference. */
  description: string;
  /** Response headers an answer with this error carries (errorHeaders() sets them). */
  headers?: readonly string[];
}

export const DOMAIN_ERRORS: Record<DomainErrorKind, ErrorSpec> = {
  invalid_input: {
    code: 'BAD_REQUEST',
    status: 400,
    description: 'Invalid input: the message names each field, and data.fieldErrors lists the messages per field.',
  },
  unauthenticated: { code: 'UNAUTHORIZED', status: 401, description: 'No valid token: send Authorization: Bearer <token>.' },
  forbidden: { code: 'FORBIDDEN', status: 403, description: 'The caller may not do this (the message says who may).' },
  not_found: { code: 'NOT_FOUND', status: 404, description: 'The node (or tag, zone, pool, user) does not exist.' },
  conflict: {
    code: 'CONFLICT',
    status: 409,
    description:
      'A conflict: a taken MAC or hostname, or a transition the node’s state forbids (the message names the state and what is allowed).',
  },
  rate_limited: {
    code: 'TOO_MANY_REQUESTS',
    status: 429,
    description: 'Too many requests: the Retry-After header says how many seconds to wait.',
    headers: ['retry-after'],
  },
  upstream: {
    code: 'BAD_GATEWAY',
    status: 502,
    description: 'Something Metalyard drives (a BMC) refused or did not answer: the message says what.',
  },
  unavailable: {
    code: 'SERVICE_UNAVAILABLE',
    status: 503,
    description: 'Not now (the approval queue is full): the Retry-After header says when to try again.',
    headers: ['retry-after'],
  },
};

/** Answers the transport gives before (or instead of) a procedure. */
export const TRANSPORT_ERRORS = {
  malformed: { code: 'PARSE_ERROR', status: 400, description: 'Malformed JSON.' },
  tooLarge: { code: 'PAYLOAD_TOO_LARGE', status: 413, description: 'The request body is over the limit; it was not read.' },
  unsupportedMediaType: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    description: 'A REST request body must be sent as Content-Type: application/json.',
  },
  internal: {
    code: 'INTERNAL_SERVER_ERROR',
    status: 500,
    description: 'An unexpected failure; the cause is in the server log, never in the answer.',
  },
} as const satisfies Record<string, ErrorSpec>;

/** What decides which errors a procedure can answer: who may call it, whether it takes a body, its area. */
export interface ProcedureFacts {
  access: Access;
  type: 'query' | 'mutation';
  /** Whether its input comes as a JSON body (REST: POST, PATCH, PUT), not in the URL. */
  takesBody: boolean;
  /** The procedure's area, as its REST route is tagged (`nodes`, `power`, `auth`…). */
  area?: string;
}

/**
 * When each domain error can reach a caller. The OpenAPI document declares, for every operation,
 * the answers these rules allow, so nothing the server sends is undeclared.
 */
const DOMAIN_ERRORS_WHEN: Record<DomainErrorKind, (procedure: ProcedureFacts) => boolean> = {
  invalid_input: () => true,
  // A token is needed and checked; signing in checks a password instead.
  unauthenticated: (p) => p.access !== 'public' || p.area === 'auth',
  // The role, the node's owner, or a procedure not open to this kind of caller.
  forbidden: (p) => p.access !== 'public',
  // A named node, tag, zone, pool, user or token.
  not_found: (p) => p.access !== 'public',
  // A taken MAC or name, a transition the state forbids, a node that cannot be powered.
  conflict: (p) => p.type === 'mutation',
  // The anonymous door (public and machine procedures) and the failed-login throttle.
  rate_limited: (p) => p.access === 'public' || p.access === 'machine',
  // The approval queue of anonymous enlistment.
  unavailable: (p) => p.access === 'public' && p.type === 'mutation',
  // A BMC driven on the caller's behalf.
  upstream: (p) => p.area === 'power',
};

const TRANSPORT_ERRORS_WHEN: Record<keyof typeof TRANSPORT_ERRORS, (procedure: ProcedureFacts) => boolean> = {
  malformed: (p) => p.takesBody,
  tooLarge: (p) => p.takesBody,
  unsupportedMediaType: (p) => p.takesBody,
  internal: () => true,
};

/** Every error a procedure can answer, from the one map and the rules above, by status. */
export function errorsOf(procedure: ProcedureFacts): ErrorSpec[] {
  const domain = (Object.keys(DOMAIN_ERRORS) as DomainErrorKind[]).filter((kind) => DOMAIN_ERRORS_WHEN[kind](procedure));
  const transport = (Object.keys(TRANSPORT_ERRORS) as (keyof typeof TRANSPORT_ERRORS)[]).filter((name) =>
    TRANSPORT_ERRORS_WHEN[name](procedure),
  );
  return [...domain.map((kind) => DOMAIN_ERRORS[kind]), ...transport.map((name) => TRANSPORT_ERRORS[name])].sort(
    (a, b) => a.status - b.status,
  );
}

export function toTRPCError(error: DomainError): TRPCError {
  // Like the domain error it carries, an expected outcome: no stack trace to capture.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new TRPCError({ code: DOMAIN_ERRORS[error.kind].code, message: error.message, cause: error });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The headers an answer carrying these errors needs: `Retry-After` when one of them says when to come back. */
export function errorHeaders(errors: readonly { cause?: unknown }[]): Record<string, string> {
  const retryAfter = errors.map((error) => retryAfterOf(error.cause)).find((value) => value !== undefined);
  return retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
}

let ambientRequestId: () => string | null | undefined = () => undefined;

/**
 * Where the errorFormatter finds the request id when tRPC refuses a request before it has made a
 * context (a batch too large, an unknown REST route): the server sets this to read the id of the
 * request being handled (e.g. from an AsyncLocalStorage).
 */
export function setAmbientRequestId(source: () => string | null | undefined): void {
  ambientRequestId = source;
}

/** The id of the request being handled, as the server's source says (none set: undefined). */
export function currentRequestId(): string | null | undefined {
  return ambientRequestId();
}

/** Per-field messages keyed by the field's dotted path (`''` for the input as a whole). */
export type FieldErrors = Record<string, string[]>;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) (fields[fieldPath(issue.path)] ??= []).push(issue.message);
  return fields;
}

/** A readable one-line message that names each failing field. */
export function describeZodError(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = fieldPath(issue.path);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `invalid input: ${parts.join('; ')}${more}`;
}

export interface ErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path?: string;
  /** With BAD_REQUEST from validation: messages per field. */
  fieldErrors?: FieldErrors;
  /** Facts about a domain error (the node, its status, the actions allowed). */
  details?: Record<string, unknown>;
  /** The request's id, as in its X-Request-Id header and the server log: quote it when reporting the error. */
  requestId?: string;
}

/**
 * Shapes every error sent to a client: readable messages with per-field errors for bad input,
 * the facts of a domain error, and for anything unexpected a generic message. Never a stack.
 */
export function formatError(
  shape: { message: string; code: number; data: ErrorData & Record<string, unknown> },
  error: TRPCError,
  requestId?: string | null,
) {
  const { stack: _stack, ...data } = shape.data;
  const result = { ...shape, data: data as ErrorData };
  if (requestId) result.data.requestId = requestId;
  if (error.cause instanceof z.ZodError) {
    result.message = describeZodError(error.cause);
    result.data.fieldErrors = fieldErrorsOf(error.cause);
  } else if (isDomainError(error.cause) && error.cause.details) {
    result.data.details = error.cause.details;
  } else if (error.cause instanceof SyntaxError) {
    result.message = `malformed JSON: ${error.cause.message}`;
  } else if (error.code === 'INTERNAL_SERVER_ERROR') {
    result.message = 'internal server error';
  }
  return result;
}

/** Each domain error kind's tRPC code (the projection of DOMAIN_ERRORS the router applies). */
export const TRPC_CODE_BY_KIND = Object.fromEntries(Object.entries(DOMAIN_ERRORS).map(([kind, spec]) => [kind, spec.code])) as Record<
  DomainErrorKind,
  TRPC_ERROR_CODE_KEY
>;
