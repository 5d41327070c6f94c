import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError } from '@metalyard/domain';

/** Turns a unique-constraint violation (a race another request won) into a domain conflict. */
export function asConflict(error: unknown, message: string): unknown {
  return error instanceof UniqueConstraintViolationException ? new ConflictError(message) : error;
}
