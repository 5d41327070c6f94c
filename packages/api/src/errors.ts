import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { z } from 'zod';
import { isDomainError, type DomainError, type DomainErrorKind } from '@metalyard/domain';

/** The one map from domain errors to tRPC codes (and so to HTTP statuses). */
export const TRPC_CODE_BY_KIND: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid_input: 'BAD_REQUEST',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  rate_limited: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
};

export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_BY_KIND[error.kind], message: error.message, cause: error });
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
}

/**
 * Shapes every error sent to a client: readable messages with per-field errors for bad input,
 * the facts of a domain error, and for anything unexpected a generic message. Never a stack.
 */
export function formatError(shape: { message: string; code: number; data: ErrorData & Record<string, unknown> }, error: TRPCError) {
  const { stack: _stack, ...data } = shape.data;
  const result = { ...shape, data: data as ErrorData };
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
