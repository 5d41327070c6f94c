import pg from 'pg';
import { parse } from 'pg-connection-string';
import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { ENTITIES } from '../entities/index.js';

/** How replicas reach PostgreSQL (the server reads them from METALYARD_DB_*: apps/server/src/config.ts). */
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

/** Query parameters of a PostgreSQL URL that Metalyard honours; any other is refused, never silently dropped. */
const URL_PARAMETERS = ['host', 'port', 'user', 'password', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name'];
/** `sslmode` values, with libpq's meaning (`prefer` cannot fall back to plain TCP here: it means `require`). */
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** Where a PostgreSQL URL points, split into what a client needs. */
export interface PostgresTarget {
  /** A host name, an address, or a Unix socket folder (starting with `/`). */
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** The URL's `sslmode`, when it has one: it then decides TLS instead of METALYARD_DB_SSL. */
  sslmode: string | null;
  /** TLS options from `sslmode`, `sslrootcert`, `sslcert` and `sslkey` (libpq's meaning), when the URL has an sslmode. */
  tls: pg.ClientConfig['ssl'] | null;
  applicationName: string;
}

export class DatabaseUrlError extends Error {}

const FORM = 'postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=verify-full], or postgres:///DATABASE?host=/var/run/postgresql';

/**
 * Parses a PostgreSQL URL with `pg-connection-string` (as `pg` itself does, with libpq's sslmode
 * semantics). Messages never repeat the URL: it may carry a password.
 */
export function postgresTarget(url: string): PostgresTarget {
  let parsed: ReturnType<typeof parse>;
  let query: URLSearchParams;
  try {
    query = new URL(url.trim().replace(/^postgres(ql)?:\/\/[^/?#]*/i, 'postgres://h')).searchParams;
    const unknown = [...query.keys()].filter((key) => !URL_PARAMETERS.includes(key));
    if (unknown.length > 0) {
      throw new DatabaseUrlError(
        `DATABASE_URL has parameter(s) Metalyard does not support: ${unknown.join(', ')} (supported: ${URL_PARAMETERS.join(', ')})`,
      );
    }
    const sslmode = query.get('sslmode');
    if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
      throw new DatabaseUrlError(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')}, not '${sslmode}'`);
    }
    // `no-verify` is pg's own spelling; libpq's semantics know it as `require` without a root certificate.
    const compat = sslmode === 'no-verify' ? url.trim().replace(/sslmode=no-verify/, 'sslmode=require') : url.trim();
    parsed = parse(compat, { useLibpqCompat: true });
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw error;
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? `cannot read ${(error as NodeJS.ErrnoException).path}` : 'not a valid URL';
    throw new DatabaseUrlError(`DATABASE_URL is not a usable PostgreSQL URL (${reason}); expected ${FORM}`);
  }
  const host = parsed.host || '';
  const database = parsed.database ? decodeURIComponent(parsed.database) : '';
  if (!host || !database) throw new DatabaseUrlError(`DATABASE_URL must name a host (or a socket folder) and a database: ${FORM}`);
  const rawPort = parsed.port || '5432';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 1 || port > 65535) {
    throw new DatabaseUrlError('DATABASE_URL: the port must be a whole number from 1 to 65535');
  }
  const sslmode = query.get('sslmode');
  return {
    host,
    port,
    user: parsed.user || 'postgres',
    password: parsed.password || undefined,
    database,
    sslmode,
    tls: sslmode === null ? null : (parsed.ssl as pg.ClientConfig['ssl']),
    applicationName: parsed.application_name || 'metalyard',
  };
}

/** The URL without its password, for logs. */
export function describePostgresTarget(target: PostgresTarget): string {
  const query = new URLSearchParams();
  if (target.sslmode) query.set('sslmode', target.sslmode);
  let address: string;
  if (target.host.startsWith('/')) {
    address = '';
    query.set('host', target.host);
  } else {
    address = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  }
  const suffix = query.size > 0 ? `?${query.toString().replaceAll('%2F', '/')}` : '';
  return `postgresql://${encodeURIComponent(target.user)}@${address}/${encodeURIComponent(target.database)}${suffix}`;
}

function tlsOptions(ssl: PostgresSettings['ssl']): pg.ClientConfig['ssl'] {
  if (ssl === 'off') return false;
  // `verify` checks the certificate against Node's trusted CAs (add a private CA with NODE_EXTRA_CA_CERTS).
  return { rejectUnauthorized: ssl === 'verify' };
}

/** TLS for a target: the URL's sslmode when it has one, else METALYARD_DB_SSL. */
export function tlsFor(target: PostgresTarget, settings: PostgresSettings): pg.ClientConfig['ssl'] {
  return target.tls ?? tlsOptions(settings.ssl);
}

/** Connection settings for a `pg` client of its own (the migration lock, LISTEN). */
export function clientConfig(target: PostgresTarget, settings: PostgresSettings): pg.ClientConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password !== undefined ? { password: target.password } : {}),
    database: target.database,
    ssl: tlsFor(target, settings),
    application_name: target.applicationName,
  };
}

/** Connects MikroORM's PostgreSQL driver with a pool of `settings.poolSize` connections. */
export async function initPostgresOrm(target: PostgresTarget, settings: PostgresSettings, debug: boolean): Promise<MikroORM> {
  // Loaded here, not at the top: a SQLite server whose database is up to date never needs the migrator.
  const [{ Migrator }, { POSTGRES_MIGRATIONS }] = await Promise.all([
    import('@mikro-orm/migrations'),
    import('../migrations/postgresql/index.js'),
  ]);
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
    // The pg.Pool's own options.
    driverOptions: {
      ssl: tlsFor(target, settings),
      application_name: target.applicationName,
      ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
    },
  });
}

/**
 * Applies the pending migrations while holding a session-level advisory lock on a connection of
 * its own, so that of several replicas starting together one migrates and the others wait, then
 * find nothing left to do. The lock goes with the session if the process dies.
 */
/** Returns the names of the migrations this call applied (none when another replica had). */
export async function migrateUnderLock(orm: MikroORM, config: pg.ClientConfig): Promise<string[]> {
  const lock = new pg.Client(config);
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return (await orm.migrator.up()).map((migration) => migration.name);
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.end();
  }
}
