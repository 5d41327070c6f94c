import { httpStatusOf, isMetalyardError, type ErrorData } from '@metalyard/sdk';

export { httpStatusOf };

/** The server's message as a sentence: capitalised, with a full stop. */
function sentence(message: string): string {
  const text = message.trim();
  if (!text) return '';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * A message for people. 400 and 409 are the server's own words (they name the field, or the
 * state and what is allowed from it); other refusals say what they mean and what to do; a
 * request that never reached the server says to check that it runs.
 */
export function errorMessage(error: unknown): string {
  if (!isMetalyardError(error)) return error instanceof Error ? error.message : String(error);
  const status = error.data?.httpStatus;
  const message = error.message;
  if (status === undefined) {
    return `Cannot reach the Metalyard server (${message}). Check that it is running and that this computer can reach it, then try again.`;
  }
  if (status === 400 || status === 409) return message;
  if (status === 502) return `The BMC did not do it: ${message}`;
  if (status === 401) return `Not signed in: ${message}. Sign in again.`;
  if (status === 403) return `Not allowed: ${message}. Ask an admin if you need to do this.`;
  if (status === 404) return `Not found: ${message}. It may have been deleted or renamed meanwhile; reload to see what exists now.`;
  if (status === 413) return `Too large for the server (413): ${message}.`;
  if (status === 429) return `Too many requests: ${message}. Wait a moment, then try again.`;
  if (status === 503) return `The server is unavailable (503): ${sentence(message)} Try again shortly.`;
  if (status >= 500) {
    return `The server failed (${status}): ${sentence(message)} Try again; if it keeps failing, the server's log says why.`;
  }
  return `The server refused the request (${status}): ${sentence(message)}`;
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
