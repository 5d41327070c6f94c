import type { LogLevel } from './config.js';

export type LogFields = Record<string, unknown>;
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
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

/** JSON lines on stdout (errors on stderr). */
export function createLogger(level: LogLevel = 'info', write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  const log = (at: LogLevel) => (msg: string, fields?: LogFields) => {
    if (RANK[at] < RANK[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }), at);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function defaultWrite(line: string, level: LogLevel): void {
  (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
}
