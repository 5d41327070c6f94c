import { httpStatusOf, isMetalyardError, type ErrorData } from '@metalyard/sdk';

export { httpStatusOf };

/** A message for people: the server's own message, or what to check when it could not be reached. */
export function errorMessage(error: unknown): string {
  if (isMetalyardError(error)) {
    if (error.data?.httpStatus === undefined) {
      return `Cannot reach the Metalyard server (${error.message}). Check that it is running, then try again.`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Per-field messages of a 400 (keyed by field name, '' for the input as a whole). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  // The server's error formatter adds `fieldErrors`; the client's inferred type does not know it.
  const data = isMetalyardError(error) ? (error.data as ErrorData | undefined) : undefined;
  return data?.fieldErrors ?? {};
}

export function isUnauthorized(error: unknown): boolean {
  return httpStatusOf(error) === 401;
}
