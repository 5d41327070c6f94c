import { DEFAULT_DATABASE_URL } from '@metalyard/db';

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string;
  /** When set, an admin user `admin` exists at start and this token authenticates as it. */
  adminToken: string | null;
  maxBodyBytes: number;
  logLevel: LogLevel;
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

/** Reads the settings from the environment; every problem is a ConfigError with a message for the operator. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const adminToken = env.METALYARD_ADMIN_TOKEN?.trim() || null;
  if (adminToken !== null && !/^[A-Za-z0-9._~+/=-]{32,512}$/.test(adminToken)) {
    throw new ConfigError(
      'METALYARD_ADMIN_TOKEN must be at least 32 characters of letters, digits and ._~+/=- (try: openssl rand -hex 32)',
    );
  }
  const logLevel = (env.METALYARD_LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`METALYARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 5240, 0, 65535),
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    adminToken,
    maxBodyBytes: integer(env, 'METALYARD_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    logLevel,
  };
}
