import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL } from '@metalyard/db';

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string;
  /** When set, an admin user `admin` exists at start and this token authenticates as it. */
  adminToken: string | null;
  /** With the admin token: the bootstrap admin's password, for signing in to the admin app. */
  adminPassword: string | null;
  maxBodyBytes: number;
  logLevel: LogLevel;
  /** The admin app's build, served at / */
  adminDir: string;
  /** METALYARD_COMMISSIONING=on: accepted and user-enlisted machines are commissioned before they are ready. */
  commissioning: boolean;
  commissioningTimeoutMs: number;
  /** How long the simulated disk erase of a release takes (0: the release completes at once). */
  eraseDelayMs: number;
  /** The anonymous door: refill per second and burst of each address's bucket (rate 0: no limit). */
  anonRate: number;
  anonBurst: number;
  /** Beyond this many nodes waiting in declared, anonymous enlistment is refused. */
  maxDeclared: number;
  /** At most this many calls in one batched request. */
  maxBatch: number;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${raw}'`);
  }
  return value;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max}, not '${raw}'`);
  }
  return value;
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, not '${env[name]}'`);
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** A duration such as `30m`, `90s`, `1h` or `500ms` (a bare number is seconds). */
function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/i.exec(raw);
  if (!match) throw new ConfigError(`${name} must be a duration such as 30m, 90s, 1h or 500ms, not '${raw}'`);
  return Math.round(Number(match[1]) * UNITS_MS[(match[2] ?? 's').toLowerCase()]!);
}

/** Reads the settings from the environment; every problem is a ConfigError with a message for the operator. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const adminToken = env.METALYARD_ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && !/^[A-Za-z0-9._~+/=-]{32,512}$/.test(adminToken)) {
    throw new ConfigError(
      'METALYARD_ADMIN_TOKEN must be at least 32 characters of letters, digits and ._~+/=- (try: openssl rand -hex 32)',
    );
  }
  const adminPassword = env.METALYARD_ADMIN_PASSWORD || null;
  if (adminPassword !== null && (adminPassword.length < 12 || !adminToken)) {
    throw new ConfigError('METALYARD_ADMIN_PASSWORD must be at least 12 characters, and goes with METALYARD_ADMIN_TOKEN');
  }
  const logLevel = (env.METALYARD_LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`METALYARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 5240, 0, 65535),
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    adminToken,
    adminPassword,
    maxBodyBytes: integer(env, 'METALYARD_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel,
    adminDir: env.METALYARD_ADMIN_DIR?.trim() || fileURLToPath(new URL('../../admin/dist/', import.meta.url)),
    commissioning: onOff(env, 'METALYARD_COMMISSIONING', false),
    commissioningTimeoutMs: duration(env, 'METALYARD_COMMISSIONING_TIMEOUT', 30 * 60_000),
    eraseDelayMs: duration(env, 'METALYARD_ERASE_DURATION', 0),
    anonRate: number(env, 'METALYARD_ANON_RATE', 20, 0, 1_000_000),
    anonBurst: integer(env, 'METALYARD_ANON_BURST', 40, 1, 1_000_000),
    maxDeclared: integer(env, 'METALYARD_MAX_DECLARED', 10_000, 1, 100_000_000),
    maxBatch: integer(env, 'METALYARD_MAX_BATCH', 50, 1, 10_000),
  };
}
