import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MikroORM, SqliteDriver } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import type { AuthStore, NodeStore } from '@metalyard/domain';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { SqlAuthStore } from './auth-store.js';
import { SqlNodeStore } from './node-store.js';

export const DEFAULT_DATABASE_URL = './data/metalyard.sqlite';

export interface DatabaseOptions {
  /** A SQLite file path (optionally `sqlite:` or `file:` prefixed), or `:memory:`. Default: ./data/metalyard.sqlite */
  url?: string;
  /** Log every SQL statement (never in production: statements may carry power parameters). */
  debug?: boolean;
}

export interface Database {
  readonly kind: 'sqlite';
  /** Where the data lives, for logs: a file path or `:memory:`. */
  readonly location: string;
  readonly orm: MikroORM;
  readonly nodes: NodeStore;
  readonly auth: AuthStore;
  /** The name of the newest applied migration. */
  readonly migration: string | null;
  close(): Promise<void>;
}

type SqliteConnection = { exec(sql: string, callback: (error: Error | null) => void): void };

/** Resolves a DATABASE_URL to a SQLite location, or explains why it cannot. */
export function sqliteLocation(url: string | undefined): string {
  const value = url?.trim() || DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//i.test(value)) {
    throw new Error('DATABASE_URL names PostgreSQL, which this build does not support yet; use a SQLite file path');
  }
  if (value === ':memory:') return value;
  const path = value.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
  if (!path) throw new Error(`DATABASE_URL '${value}' names no file`);
  return resolve(path);
}

/**
 * Opens (creating when needed) the database, applies the committed migrations and returns the stores.
 * SQLite runs in WAL mode with a busy timeout; each store method is one transaction.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const location = sqliteLocation(options.url);
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  const orm = await MikroORM.init({
    driver: SqliteDriver,
    dbName: location,
    entities: ENTITIES,
    extensions: [Migrator],
    debug: options.debug ?? false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false, silent: true },
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
  const migrator = orm.getMigrator();
  await migrator.up();
  const executed = await migrator.getExecutedMigrations();
  return {
    kind: 'sqlite',
    location,
    orm,
    nodes: new SqlNodeStore(orm),
    auth: new SqlAuthStore(orm),
    migration: executed.at(-1)?.name ?? null,
    close: () => orm.close(true),
  };
}
