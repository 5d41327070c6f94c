import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { LogLevel } from './config.js';
import { fdDestination } from './log-destination.js';

export type LogFields = Record<string, unknown>;
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether a line at `level` would be written (to skip gathering detail nobody reads). */
  enabled(level: LogLevel): boolean;
  /**
   * A line whose fields hold no secret by construction (the request line: ids, a method, a route, a
   * status, a user name, an address, numbers): the same JSON line, without the redaction and
   * scrubbing passes, which were most of its cost. Anything a client or a BMC wrote goes through
   * the other methods.
   */
  plain(level: Exclude<LogLevel, 'debug'>, msg: string, fields: Record<string, string | number | boolean>): void;
}

const SECRET_JSON_VALUE = /("[a-z_]*(?:pass|secret|token|key)[a-z_]*"\s*:\s*")((?:[^"\\]|\\.)*)"/gi;
const BEARER_VALUE = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;

/** Masks what looks like a secret (a BMC password in SQL parameters, a bearer token) in a log string. */
export function scrubSecrets(text: string): string {
  return text.replace(SECRET_JSON_VALUE, '$1********"').replace(BEARER_VALUE, '$1********');
}

/** An error as a log field: its name and scrubbed message and stack. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: scrubSecrets(String(error)) };
  return { error: error.name, message: scrubSecrets(error.message), stack: error.stack ? scrubSecrets(error.stack) : undefined };
}

/**
 * Fields never written as they are, wherever a caller puts them: credentials in headers, and
 * passwords, tokens and BMC secrets in any object one level down.
 */
const SECRET_FIELDS = ['authorization', 'cookie', 'set-cookie', 'password', 'token', 'secret', 'x-metalyard-metrics-token'];
export const REDACTED_PATHS = [
  ...SECRET_FIELDS.map((field) => `["${field}"]`),
  ...SECRET_FIELDS.map((field) => `*["${field}"]`),
  'powerParameters',
  '*.powerParameters',
];

/** process.stdout and process.stderr too: an EPIPE on them is an 'error' event that would otherwise be fatal. */
export function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

/** Where lines go: errors to stderr, the rest to stdout, each line to one of them only. */
function defaultDestinations(): { all: DestinationStream; of: (level: LogLevel) => DestinationStream } {
  const stdout = fdDestination(1);
  const stderr = fdDestination(2);
  // What waits for a slow reader is written out as the process ends.
  process.once('exit', () => {
    stdout.flushSync();
    stderr.flushSync();
  });
  const all = pino.multistream(
    [
      { level: 'debug', stream: stdout },
      { level: 'error', stream: stderr },
    ],
    { dedupe: true },
  );
  return { all, of: (level) => (level === 'error' ? stderr : stdout) };
}

/** JSON lines (pino), errors on stderr; `write` receives each line instead, for tests. */
export function createLogger(level: LogLevel = 'info', write?: (line: string) => void): Logger {
  const sink = write ? { write } : null;
  const destinations = sink ? { all: sink, of: () => sink } : defaultDestinations();
  const destination: DestinationStream = destinations.all;
  const base: Pino = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: scrubStrings,
      },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
  const at = (name: LogLevel) => (msg: string, fields?: LogFields) => {
    if (fields) base[name](fields, msg);
    else base[name](msg);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (name) => base.isLevelEnabled(name),
    plain(name, msg, fields) {
      if (!base.isLevelEnabled(name)) return;
      // pino's shape: level, time, the fields, msg.
      const head = `{"level":"${name}","time":"${new Date().toISOString()}",`;
      const body = JSON.stringify(fields);
      const tail = `${body.length > 2 ? ',' : ''}"msg":${JSON.stringify(msg)}}\n`;
      destinations.of(name).write(`${head}${body.slice(1, -1)}${tail}`);
    },
  };
}

/** Scrubs the strings among a line's fields (an error's message, a statement). */
function scrubStrings(fields: Record<string, unknown>): Record<string, unknown> {
  const scrubbed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) scrubbed[key] = typeof value === 'string' ? scrubSecrets(value) : value;
  return scrubbed;
}
