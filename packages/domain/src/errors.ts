/**
 * Domain errors: a class per kind. The API maps each kind to a transport code, an HTTP status and
 * its headers in one place (packages/api/src/errors.ts). Messages are meant for the client: they
 * never hold secrets or stack traces.
 */
export const DOMAIN_ERROR_KINDS = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'unavailable',
  'upstream',
] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    /** Facts a client may act on (the node, its status, the actions allowed); never a secret. */
    readonly details?: Record<string, unknown>,
  ) {
    // An outcome the caller is told about, not a fault: no stack trace is captured (none ever
    // reaches a client, and capturing one is a good share of what a refused request costs).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
  }
}

/** Input the schemas could not catch (a cursor from elsewhere, a value that cannot be stored). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid_input';

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, field ? { field } : undefined);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';

  constructor(message = 'authentication required: send Authorization: Bearer <token>') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';

  constructor(what: string, id: string) {
    super(`${what} '${id}' does not exist`, { id });
  }
}

export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** A transition the node's state forbids: names the state and what is allowed from it. */
export class InvalidTransitionError extends ConflictError {
  constructor(
    readonly action: string,
    readonly status: string,
    readonly allowed: readonly string[],
    readonly systemId?: string,
  ) {
    const subject = systemId ? `node ${systemId}` : 'the node';
    const options = allowed.length ? `allowed from '${status}': ${allowed.join(', ')}` : `nothing is allowed from '${status}'`;
    super(`cannot ${action} ${subject}: it is ${status} (${options})`, { action, status, allowed, systemId });
  }
}

/** Too many calls: the caller may try again after `retryAfterSeconds`. */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate_limited';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retryAfter: retryAfterSeconds });
  }
}

/** The service cannot take this now (a full approval queue); `retryAfterSeconds` when it knows. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';

  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, retryAfterSeconds === undefined ? undefined : { retryAfter: retryAfterSeconds });
  }
}

/** Something Metalyard drives failed (a BMC refused or did not answer): the message says what, never a secret. */
export class UpstreamError extends DomainError {
  readonly kind = 'upstream';
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** The seconds a refused caller should wait before trying again, when the error says. */
export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof RateLimitedError || error instanceof UnavailableError ? error.retryAfterSeconds : undefined;
}
