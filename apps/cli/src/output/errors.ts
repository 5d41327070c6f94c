import { httpStatusOf, isMetalyardError } from '@metalyard/sdk';
import { CliError, exitCodeOf, type ExitCode } from './exit-codes.js';

/** The innermost cause's message: for a refused connection, `connect ECONNREFUSED 127.0.0.1:5240`. */
function rootCauseMessage(error: Error): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/** A one-line message for the user: the server's own message, or what went wrong on the way to it. */
export function messageOf(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (isMetalyardError(error)) {
    if (httpStatusOf(error) === undefined) return `cannot reach the server: ${rootCauseMessage(error)}`;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Prints the error to stderr (as a JSON object with --json) and returns the exit code. */
export function reportError(error: unknown, json: boolean): ExitCode {
  const exitCode = exitCodeOf(error);
  const message = messageOf(error);
  if (json) {
    const status = httpStatusOf(error);
    process.stderr.write(`${JSON.stringify({ error: { message, exitCode, ...(status ? { httpStatus: status } : {}) } })}\n`);
  } else {
    process.stderr.write(`metalyard: ${message}\n`);
  }
  return exitCode;
}
