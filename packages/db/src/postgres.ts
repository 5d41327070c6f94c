import pg from 'pg';
import { MikroORM, PostgreSqlDriver, PostgreSqlPlatform } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/core';
import { ENTITIES } from './entities/index.js';

/** How replicas reach PostgreSQL: read from METALYARD_DB_* by `postgresSettingsFromEnv`. */
export interface PostgresSettings {
  /** Connections each server process keeps at most. */
  poolSize: number;
  /** A statement running longer is cancelled (0: no limit). */
  statementTimeoutMs: number;
  /** off: plain TCP; require: TLS without checking the certificate; verify: TLS with a trusted certificate for the host. */
  ssl: 'off' | 'require' | 'verify';
}

export const DEFAULT_POSTGRES_SETTINGS: PostgresSettings = { poolSize: 10, statementTimeoutMs: 30_000, ssl: 'off' };

/** A fixed key for `pg_advisory_lock`: held by the one replica that applies the migrations. */
const MIGRATION_LOCK_KEY = 7_264_117_052_021;

export function isPostgresUrl(url: string | undefined): boolean {
  return /^postgres(ql)?:\/\//i.test(url?.trim() ?? '');
}

/** The settings from METALYARD_DB_POOL_SIZE, METALYARD_DB_STATEMENT_TIMEOUT and METALYARD_DB_SSL. */
export function postgresSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PostgresSettings {
  const settings = { ...DEFAULT_POSTGRES_SETTINGS };
  const pool = env.METALYARD_DB_POOL_SIZE?.trim();
  if (pool) {
    const size = Number(pool);
    if (!Number.isInteger(size) || size < 1 || size > 1000) {
      throw new Error(`METALYARD_DB_POOL_SIZE must be a whole number from 1 to 1000, not '${pool}'`);
    }
    settings.poolSize = size;
  }
  const timeout = env.METALYARD_DB_STATEMENT_TIMEOUT?.trim();
  if (timeout) {
    const match = /^(\d+)\s*(ms|s|m)?$/i.exec(timeout);
    if (!match) throw new Error(`METALYARD_DB_STATEMENT_TIMEOUT must be a duration such as 30s, 500ms or 0 (no limit), not '${timeout}'`);
    settings.statementTimeoutMs = Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm'];
  }
  const ssl = env.METALYARD_DB_SSL?.trim().toLowerCase();
  if (ssl) {
    if (ssl !== 'off' && ssl !== 'require' && ssl !== 'verify') throw new Error(`METALYARD_DB_SSL must be off, require or verify, not '${ssl}'`);
    settings.ssl = ssl;
  }
  return settings;
}

/** Where a PostgreSQL URL points, split into what a client needs. */
export interface PostgresTarget {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
}

export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new Error('DATABASE_URL is not a valid PostgreSQL URL; expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!parsed.hostname || !database) {
    throw new Error('DATABASE_URL must name a host and a database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
  }
  return {
    host: decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || 'postgres',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
  };
}

/** The URL without its password, for logs. */
export function describePostgresTarget(target: PostgresTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `postgresql://${encodeURIComponent(target.user)}@${host}:${target.port}/${encodeURIComponent(target.database)}`;
}

function tlsOptions(ssl: PostgresSettings['ssl']): pg.ClientConfig['ssl'] {
  if (ssl === 'off') return false;
  // `verify` checks the certificate against Node's trusted CAs (add a private CA with NODE_EXTRA_CA_CERTS).
  return { rejectUnauthorized: ssl === 'verify' };
}

/** Connection settings for a `pg` client of its own (the migration lock, LISTEN). */
export function clientConfig(target: PostgresTarget, settings: PostgresSettings): pg.ClientConfig {
  return { ...target, ssl: tlsOptions(settings.ssl), application_name: 'metalyard' };
}

/** Connects MikroORM's PostgreSQL driver with a pool of `settings.poolSize` connections. */
export async function initPostgresOrm(target: PostgresTarget, settings: PostgresSettings, debug: boolean): Promise<MikroORM> {
  // Loaded here, not at the top: a SQLite server whose database is up to date never needs the migrator.
  const [{ Migrator }, { POSTGRES_MIGRATIONS }] = await Promise.all([import('@mikro-orm/migrations'), import('./migrations/postgresql/index.js')]);
  return MikroORM.init({
    driver: PostgreSqlDriver,
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password !== undefined ? { password: target.password } : {}),
    dbName: target.database,
    entities: ENTITIES,
    extensions: [Migrator],
    debug,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    migrations: { migrationsList: POSTGRES_MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: settings.poolSize },
    driverOptions: {
      connection: {
        ssl: tlsOptions(settings.ssl),
        application_name: 'metalyard',
        ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
      },
    },
  });
}

/**
 * Applies the pending migrations while holding a session-level advisory lock on a connection of
 * its own, so that of several replicas starting together one migrates and the others wait, then
 * find nothing left to do. The lock goes with the session if the process dies.
 */
export async function migrateUnderLock(orm: MikroORM, config: pg.ClientConfig): Promise<void> {
  const lock = new pg.Client(config);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await orm.getMigrator().up();
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.end();
  }
}

/**
 * Appended to a `select … from node n` that picks a row to claim: on PostgreSQL it locks the row
 * it returns and passes over rows other transactions hold (FOR UPDATE SKIP LOCKED), so concurrent
 * acquirers pick different nodes instead of queueing for the first one. SQLite has one writer and
 * needs nothing.
 */
export function claimRowClause(em: EntityManager): string {
  return em.getPlatform() instanceof PostgreSqlPlatform ? ' for update of n skip locked' : '';
}
