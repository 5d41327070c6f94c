/**
 * Domain errors. Each carries a `kind`; the API maps kinds to transport codes in one place.
 * Messages are meant for the client: they never hold secrets or stack traces.
 */
export type DomainErrorKind =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('invalid_input', message, field ? { field } : undefined);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not_found', `${what} '${id}' does not exist`, { id });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, details);
  }
}

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

export class UnauthenticatedError extends DomainError {
  constructor(message = 'authentication required: send Authorization: Bearer <token>') {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
