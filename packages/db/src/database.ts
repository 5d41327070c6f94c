import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MikroORM, SqliteDriver } from '@mikro-orm/sqlite';
import type { AuthStore, EventStore, LabelStore, NodeStore } from '@metalyard/domain';
import { ENTITIES } from './entities/index.js';
import { MIGRATION_NAMES, loadMigrations } from './migrations/index.js';
import { SqlAuthStore } from './auth-store.js';
import { EventBus } from './event-bus.js';
import { SqlEventStore } from './event-store.js';
import { SqlLabelStore } from './label-store.js';
import { SqlNodeStore, type LifecycleSettings } from './node-store.js';
import { PgEventBus, type BackgroundErrorHandler } from './pg-event-bus.js';
import {
  clientConfig,
  describePostgresTarget,
  initPostgresOrm,
  isPostgresUrl,
  migrateUnderLock,
  postgresSettingsFromEnv,
  postgresTarget,
  type PostgresSettings,
} from './postgres.js';

export const DEFAULT_DATABASE_URL = './data/metalyard.sqlite';

export interface DatabaseOptions {
  /**
   * A SQLite file path (optionally `sqlite:` or `file:` prefixed) or `:memory:`; or a PostgreSQL URL,
   * `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. Default: ./data/metalyard.sqlite
   */
  url?: string;
  /** Log every SQL statement (never in production: statements may carry power parameters). */
  debug?: boolean;
  /** Commissioning policy, timeouts and the clock. */
  lifecycle?: Partial<LifecycleSettings>;
  /** PostgreSQL only: pool size, statement timeout, TLS. Default: from METALYARD_DB_* (`postgresSettingsFromEnv`). */
  postgres?: PostgresSettings;
  /** Told about failures of background work that has no caller to throw to (relaying events between replicas). */
  onBackgroundError?: BackgroundErrorHandler;
}

export interface Database {
  readonly kind: 'sqlite' | 'postgresql';
  /** Where the data lives, for logs: a file path, `:memory:`, or a PostgreSQL URL without its password. */
  readonly location: string;
  readonly orm: MikroORM;
  readonly nodes: NodeStore;
  readonly events: EventStore;
  readonly labels: LabelStore;
  readonly auth: AuthStore;
  /** The name of the newest applied migration. */
  readonly migration: string | null;
  close(): Promise<void>;
}

type SqliteConnection = { exec(sql: string, callback: (error: Error | null) => void): void };

/** Resolves a DATABASE_URL to a SQLite location, or explains why it cannot. */
export function sqliteLocation(url: string | undefined): string {
  const value = url?.trim() || DEFAULT_DATABASE_URL;
  if (isPostgresUrl(value)) throw new Error(`DATABASE_URL names PostgreSQL, not a SQLite file`);
  if (value === ':memory:') return value;
  const path = value.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
  if (!path) throw new Error(`DATABASE_URL '${value}' names no file`);
  return resolve(path);
}

/**
 * Opens the database named by `options.url` — PostgreSQL for a postgres:// URL, SQLite otherwise —
 * applies the committed migrations and returns the stores. Each store method is one transaction.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return isPostgresUrl(options.url) ? openPostgres(options.url!, options) : openSqlite(options);
}

interface Opened {
  kind: Database['kind'];
  location: string;
  orm: MikroORM;
  bus: EventBus;
  close(): Promise<void>;
}

function withStores({ kind, location, orm, bus, close }: Opened, migration: string | null, options: DatabaseOptions): Database {
  return {
    kind,
    location,
    orm,
    nodes: new SqlNodeStore(orm, bus, options.lifecycle),
    events: new SqlEventStore(orm, bus),
    labels: new SqlLabelStore(orm),
    auth: new SqlAuthStore(orm),
    migration,
    close,
  };
}

/**
 * PostgreSQL, for several replicas on one database: a pool of connections, migrations applied by one
 * replica under an advisory lock, and events relayed between replicas with LISTEN/NOTIFY.
 */
async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const target = postgresTarget(url);
  const settings = options.postgres ?? postgresSettingsFromEnv();
  const config = clientConfig(target, settings);
  const postgres = await initPostgresOrm(target, settings, options.debug ?? false);
  // The stores are typed against @mikro-orm/sqlite's MikroORM, but use only the SQL layer (knex,
  // AbstractSqlDriver) that both drivers share.
  const orm = postgres as unknown as MikroORM;
  try {
    await migrateUnderLock(postgres, config);
    const bus = new PgEventBus(config, orm, options.onBackgroundError ?? (() => undefined));
    await bus.start();
    const close = async () => {
      await bus.close();
      await orm.close(true);
    };
    const executed = await orm.getMigrator().getExecutedMigrations();
    return withStores({ kind: 'postgresql', location: describePostgresTarget(target), orm, bus, close }, executed.at(-1)?.name ?? null, options);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
}

/** SQLite, embedded: one connection in WAL mode with a busy timeout; events stay in this process. */
async function openSqlite(options: DatabaseOptions): Promise<Database> {
  const location = sqliteLocation(options.url);
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  const orm = await MikroORM.init({
    driver: SqliteDriver,
    dbName: location,
    entities: ENTITIES,
    debug: options.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    migrations: { transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: 2 ** 31 - 1,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) {
        // WAL: readers never block the writer, and a commit is one append. NORMAL sync keeps every
        // committed transaction through a crash of the process (kill -9); FULL adds power-loss safety.
        const sync = process.env.METALYARD_SQLITE_SYNCHRONOUS === 'full' ? 'full' : 'normal';
        connection.exec(
          `pragma journal_mode = wal; pragma synchronous = ${sync}; pragma foreign_keys = on; pragma busy_timeout = 5000;`,
          (error) => done(error, connection),
        );
      },
    },
  });
  const migration = await migrateSqlite(orm);
  return withStores({ kind: 'sqlite', location, orm, bus: new EventBus(), close: () => orm.close(true) }, migration, options);
}

/** The names of the migrations applied to a SQLite database, oldest first (none on a new file). */
async function appliedSqliteMigrations(orm: MikroORM): Promise<string[]> {
  const connection = orm.em.getConnection();
  const [table] = await connection.execute<{ name: string }[]>(`select name from sqlite_master where type = 'table' and name = 'mikro_orm_migrations'`);
  if (!table) return [];
  const rows = await connection.execute<{ name: string }[]>('select name from mikro_orm_migrations order by id');
  return rows.map((row) => row.name);
}

/**
 * Applies the pending migrations and returns the newest applied one. The migrator (and the many
 * modules it loads) is loaded only when a migration is pending: an up-to-date database starts faster.
 */
async function migrateSqlite(orm: MikroORM): Promise<string | null> {
  const applied = await appliedSqliteMigrations(orm);
  if (MIGRATION_NAMES.every((name) => applied.includes(name))) return applied.at(-1) ?? null;
  const [{ Migrator }, migrationsList] = await Promise.all([import('@mikro-orm/migrations'), loadMigrations()]);
  orm.config.set('migrations', { ...orm.config.get('migrations'), migrationsList });
  Migrator.register(orm);
  await orm.getMigrator().up();
  return (await appliedSqliteMigrations(orm)).at(-1) ?? null;
}
