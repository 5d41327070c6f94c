import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DuplicateKeyError } from '@metalyard/usecases';

/**
 * The one place an ORM exception becomes something the use cases understand: a unique value taken
 * by a concurrent writer is a DuplicateKeyError (each use case says what that means). Deadlocks stay
 * as they are for the unit of work to retry; anything else is unexpected.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof UniqueConstraintViolationException) return new DuplicateKeyError();
  return error;
}
