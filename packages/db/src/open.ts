import type { MikroORM } from '@mikro-orm/core';
import type { EventFeed, UnitOfWork } from '@metalyard/usecases';
import { EventBus } from './events/event-bus.js';
import { PgEventBus, type BackgroundErrorHandler } from './events/pg-event-bus.js';
import {
  clientConfig,
  describePostgresTarget,
  initPostgresOrm,
  isPostgresUrl,
  migrateUnderLock,
  DEFAULT_POSTGRES_SETTINGS,
  postgresTarget,
  type PostgresSettings,
} from './orm/postgres.js';
import {
  appliedSqliteMigrations,
  initSqliteOrm,
  migrateSqlite,
  migrationsPending,
  sqliteLocation,
  type SqliteSettings,
} from './orm/sqlite.js';
import { DatabaseInUseError, lockSqliteFile, type SqliteLock } from './orm/sqlite-lock.js';
import { FifoLock, MikroUnitOfWork, type ReadCaches } from './unit-of-work.js';
import { CountsCache } from './repositories/counts-cache.js';
import { keepTransactionStatements, nativeSqliteOf } from './queries/native-sqlite.js';
import { SessionCache } from './repositories/session-cache.js';
import { SecretBox, generateSecretKey, loadSecretKey, writeKeyFile, type SecretKeySource } from './secrets/secret-box.js';
import { resealSecrets } from './secrets/seal.js';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** From this migration on, secrets are sealed: a database that had not applied it may hold some in clear. */
const SEALING_MIGRATION = 'Migration20261201000000';

export interface DatabaseOptions {
  /**
   * A SQLite file path (optionally `sqlite:` or `file:` prefixed) or `:memory:`; or a PostgreSQL URL,
   * `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. Default: ./data/metalyard.sqlite
   */
  url?: string;
  /** Log every SQL statement (never in production: statements may carry power parameters). */
  debug?: boolean;
  /** PostgreSQL only: pool size, statement timeout, TLS (the server reads them from METALYARD_DB_*). Default: DEFAULT_POSTGRES_SETTINGS. */
  postgres?: PostgresSettings;
  /** SQLite only: durability (the server reads METALYARD_SQLITE_SYNCHRONOUS). Default: normal. */
  sqlite?: SqliteSettings;
  /**
   * SQLite only: hold `<file>.lock` while open, so that a second server on the file refuses to start
   * (DatabaseInUseError, naming the file and the holder's pid). The server asks for it; the short
   * management commands do not (they write as brief extra writers, waiting on SQLite's busy timeout),
   * except when the file needs migrating: then they take the lock for the migration, or, when a server
   * holds it, wait for that server to have migrated.
   */
  exclusive?: boolean;
  /** Told about failures of background work that has no caller to throw to (relaying events between replicas). */
  onBackgroundError?: BackgroundErrorHandler;
  /**
   * The key secret power parameters are sealed with (64 hex characters; the server reads
   * METALYARD_SECRET_KEY). Default: a key file created at first start beside the SQLite file (`metalyard.key`, mode 0600), or
   * `./data/metalyard.key` for PostgreSQL (replicas on several machines share METALYARD_SECRET_KEY instead).
   */
  secretKey?: string;
}

/** An open database: the adapters the use cases run on, and what the server reports about it. */
export interface Database {
  readonly kind: 'sqlite' | 'postgresql';
  /** Where the data lives, for logs: a file path, `:memory:`, or a PostgreSQL URL without its password. */
  readonly location: string;
  /** The name of the newest applied migration. */
  readonly migration: string | null;
  readonly uow: UnitOfWork;
  /** Committed events, live: this process's, and on PostgreSQL the other replicas' too. */
  readonly feed: EventFeed;
  /** For the adapters' own tests and tools (schema diffs, raw checks); the use cases never see it. */
  readonly orm: MikroORM;
  /**
   * Seals every secret anew under a fresh key and keeps that key (in the key file, or — when the key
   * came from METALYARD_SECRET_KEY — returns it for the operator to set). Returns how many nodes changed.
   */
  rotateSecretKey(): Promise<{ changed: number; keyFile: string | null; newKey: string | null }>;
  /** The connection pool now, for metrics. */
  pool(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections the pool keeps at most. */
  max: number;
  /** Connections lent to a transaction or query now. */
  used: number;
  /** Open connections waiting for work. */
  free: number;
  /** Queries and transactions waiting for a connection. */
  pending: number;
}

/** A pg.Pool's counters (the pool under MikroORM 7's PostgreSQL connection). */
interface PgPoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

/**
 * The PostgreSQL pool's use, read from the pg.Pool MikroORM 7 connects through (taken once the ORM
 * has connected). SQLite has no pool: one better-sqlite3 connection, busy while a transaction runs.
 */
async function poolStatsOf(orm: MikroORM, kind: 'sqlite' | 'postgresql'): Promise<() => PoolStats> {
  const native = await orm.em.getConnection().getNativeClient?.();
  if (kind === 'postgresql' && native) {
    const pool = native as PgPoolCounters;
    return () => ({ max: pool.options.max ?? 0, used: pool.totalCount - pool.idleCount, free: pool.idleCount, pending: pool.waitingCount });
  }
  const database = native as { inTransaction?: boolean } | undefined;
  return () => {
    const used = database?.inTransaction ? 1 : 0;
    return { max: 1, used, free: 1 - used, pending: 0 };
  };
}

function keySource(options: DatabaseOptions, keyFile: string | null): SecretKeySource {
  return { env: options.secretKey, keyFile };
}

/** The parts every dialect shares: sealing secrets, rotating the key, the unit of work. */
function secretsOf(orm: MikroORM, source: SecretKeySource) {
  let box = new SecretBox(loadSecretKey(source));
  const fromEnv = Boolean(source.env?.trim());
  return {
    box: () => box,
    /** Seals what a version before sealing stored in clear. */
    sealLegacy: () => orm.em.fork().transactional((em) => resealSecrets(em, box)),
    rotate: async () => {
      const key = generateSecretKey();
      const next = new SecretBox(Buffer.from(key, 'hex'));
      const changed = await orm.em.fork().transactional((em) => resealSecrets(em, next, box));
      if (!fromEnv && source.keyFile) writeKeyFile(source.keyFile, key);
      box = next;
      return { changed, keyFile: fromEnv ? null : source.keyFile, newKey: fromEnv ? key : null };
    },
  };
}

/**
 * Opens the database named by `options.url` — PostgreSQL for a postgres:// URL, SQLite otherwise —
 * and applies the committed migrations.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return isPostgresUrl(options.url) ? openPostgres(options.url!, options) : openSqlite(options);
}

/**
 * PostgreSQL, for several replicas on one database: a pool of connections, migrations applied by one
 * replica under an advisory lock, and events relayed between replicas with LISTEN/NOTIFY.
 */
async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const target = postgresTarget(url);
  const settings = options.postgres ?? DEFAULT_POSTGRES_SETTINGS;
  const config = clientConfig(target, settings);
  const postgres = await initPostgresOrm(target, settings, options.debug ?? false);
  // The adapters use only what both drivers share (the SQL driver and its connection).
  const orm = postgres as unknown as MikroORM;
  try {
    const secrets = secretsOf(orm, keySource(options, resolve('data', 'metalyard.key')));
    const applied = await migrateUnderLock(postgres, config);
    if (applied.includes(SEALING_MIGRATION)) await secrets.sealLegacy();
    const bus = new PgEventBus(config, orm, options.onBackgroundError ?? (() => undefined));
    await bus.start();
    const executed = await postgres.migrator.getExecuted();
    const uow = new MikroUnitOfWork(orm, bus, secrets.box);
    return {
      kind: 'postgresql',
      location: describePostgresTarget(target),
      migration: executed.at(-1)?.name ?? null,
      uow,
      feed: bus,
      orm,
      rotateSecretKey: secrets.rotate,
      pool: await poolStatsOf(orm, 'postgresql'),
      close: async () => {
        // Writes still running (their clients may have gone) commit and tell the other replicas first.
        await uow.idle();
        await bus.close();
        await orm.close(true);
      },
    };
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}

/**
 * What SQLite's one connection keeps between requests: sessions (session-cache.ts) and status counts
 * (counts-cache.ts), both told by the connection when someone else has committed (data_version).
 */
async function readCachesOf(orm: MikroORM): Promise<ReadCaches> {
  const connection = orm.em.getConnection();
  await connection.getNativeClient?.();
  keepTransactionStatements(connection);
  // Through the repositories' kept statements (a reconnected connection starts afresh there).
  const value = (sql: string) => () => {
    const [row] = (nativeSqliteOf(connection)?.execute(sql, [], 'all') ?? []) as { value?: unknown }[];
    return Number(row?.value);
  };
  const readDataVersion = value('select data_version as value from pragma_data_version');
  // Read once per turn of the event loop, for every request that turn handles: the statement opens a
  // read transaction (file locks, a profiled 9 % of an acquire under load), and what another
  // connection commits during a turn is seen from the next one. This connection's own commits never
  // change it (the caches clear themselves for those).
  let turnVersion: number | undefined;
  const forgetTurnVersion = () => (turnVersion = undefined);
  const dataVersion = () => {
    if (turnVersion === undefined) {
      turnVersion = readDataVersion();
      setImmediate(forgetTurnVersion);
    }
    return turnVersion;
  };
  const totalChanges = value('select total_changes() as value');
  return {
    sessions: new SessionCache(dataVersion),
    counts: new CountsCache(() => `${dataVersion()}:${totalChanges()}`),
  };
}

/** How long a management command waits for a starting server to finish migrating the file. */
const MIGRATION_WAIT_MS = 60_000;

/** SQLite, embedded: one connection in WAL mode; events stay in this process. */
async function openSqlite(options: DatabaseOptions): Promise<Database> {
  const location = sqliteLocation(options.url);
  const onDisk = location !== ':memory:';
  if (onDisk) mkdirSync(dirname(location), { recursive: true });
  const lock = onDisk && options.exclusive ? await lockSqliteFile(location) : null;
  let orm: MikroORM | undefined;
  try {
    orm = (await initSqliteOrm(location, options.debug ?? false, options.sqlite)) as unknown as MikroORM;
    const secrets = secretsOf(orm, keySource(options, onDisk ? join(dirname(location), 'metalyard.key') : null));
    const { newest, applied } = await migrateOnce(orm, location, lock);
    if (applied.includes(SEALING_MIGRATION)) await secrets.sealLegacy();
    const bus = new EventBus();
    const opened = orm;
    const uow = new MikroUnitOfWork(orm, bus, secrets.box, new FifoLock(), await readCachesOf(orm));
    return {
      kind: 'sqlite',
      location,
      migration: newest,
      uow,
      feed: bus,
      orm,
      rotateSecretKey: secrets.rotate,
      pool: await poolStatsOf(orm, 'sqlite'),
      close: async () => {
        try {
          await uow.idle();
          await opened.close(true);
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    await orm?.close(true);
    lock?.release();
    throw error;
  }
}

/**
 * Applies the pending migrations, one process at a time: under the server's lock, or under a lock
 * taken for the purpose; when a running server holds it, waits until that server has migrated.
 */
async function migrateOnce(
  orm: MikroORM,
  location: string,
  held: SqliteLock | null,
): Promise<{ newest: string | null; applied: string[] }> {
  if (held || location === ':memory:' || !migrationsPending(await appliedSqliteMigrations(orm as never)))
    return migrateSqlite(orm as never);
  let lock: SqliteLock;
  try {
    lock = await lockSqliteFile(location, 'migration');
  } catch (error) {
    if (!(error instanceof DatabaseInUseError)) throw error;
    const deadline = Date.now() + MIGRATION_WAIT_MS;
    while (migrationsPending(await appliedSqliteMigrations(orm as never))) {
      if (Date.now() > deadline) throw new Error(`${error.message}; it has not finished migrating the database`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return migrateSqlite(orm as never);
  }
  try {
    return await migrateSqlite(orm as never);
  } finally {
    lock.release();
  }
}
