import { httpStatusOf, isMetalyardError } from '@metalyard/sdk';

/** The process exit codes, one per class of failure, so scripts can tell them apart. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
  unavailable: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as `--help` shows them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  any other failure (e.g. an import with refused rows)
  2  usage: bad arguments, an unreadable file, or input the server refused as invalid (400)
  3  authentication: no token, or the server refused it (401) or the action (403)
  4  not found (404)
  5  conflict (409): the node's state forbids the action, or a MAC/hostname is taken
  6  the server is unreachable or failed (5xx)`;

/** An error the CLI itself raises, with the exit code it ends the process with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Maps an HTTP status from the API to an exit code. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 400) return EXIT.usage;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status >= 500) return EXIT.unavailable;
  return EXIT.failure;
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  const status = httpStatusOf(error);
  if (status !== undefined) return exitCodeOfStatus(status);
  // An API error without an HTTP status never got an answer from the server.
  return isMetalyardError(error) ? EXIT.unavailable : EXIT.failure;
}
