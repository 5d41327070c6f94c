import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MikroORM, SqliteDriver } from '@mikro-orm/sqlite';
import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { ENTITIES } from '../entities/index.js';
import { MIGRATION_NAMES, loadMigrations } from '../migrations/index.js';
import { isPostgresUrl } from './postgres.js';

export const DEFAULT_DATABASE_URL = './data/metalyard.sqlite';

/** Resolves a DATABASE_URL to a SQLite location, or explains why it cannot. */
export function sqliteLocation(url: string | undefined): string {
  const value = url?.trim() || DEFAULT_DATABASE_URL;
  if (isPostgresUrl(value)) throw new Error(`DATABASE_URL names PostgreSQL, not a SQLite file`);
  if (value === ':memory:') return value;
  const path = value.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
  if (!path) throw new Error(`DATABASE_URL '${value}' names no file`);
  return resolve(path);
}

export interface SqliteSettings {
  /** `normal` keeps every commit through a crash of the process; `full` also through power loss. */
  synchronous: 'normal' | 'full';
}

export const DEFAULT_SQLITE_SETTINGS: SqliteSettings = { synchronous: 'normal' };

/** SQLite, embedded: one connection in WAL mode with a busy timeout. */
export async function initSqliteOrm(
  location: string,
  debug: boolean,
  settings: SqliteSettings = DEFAULT_SQLITE_SETTINGS,
): Promise<MikroORM> {
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  return MikroORM.init({
    driver: SqliteDriver,
    dbName: location,
    entities: ENTITIES,
    debug,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    migrations: { transactional: true, allOrNothing: true, snapshot: false, silent: true },
    // One connection (better-sqlite3 is synchronous and in-process): WAL, so readers never block the
    // writer and a commit is one append; NORMAL sync keeps every committed transaction through a crash
    // of the process (kill -9), FULL adds power-loss safety.
    pool: { min: 1, max: 1 },
    onCreateConnection: async (connection: unknown) => {
      const sync = settings.synchronous === 'full' ? 'full' : 'normal';
      const db = connection as DatabaseConnection;
      for (const pragma of ['journal_mode = wal', `synchronous = ${sync}`, 'foreign_keys = on', 'busy_timeout = 5000']) {
        await db.executeQuery(CompiledQuery.raw(`pragma ${pragma}`));
      }
    },
  });
}

/** The names of the migrations applied to a SQLite database, oldest first (none on a new file). */
export async function appliedSqliteMigrations(orm: MikroORM): Promise<string[]> {
  const connection = orm.em.getConnection();
  const [table] = await connection.execute<{ name: string }[]>(
    `select name from sqlite_master where type = 'table' and name = 'mikro_orm_migrations'`,
  );
  if (!table) return [];
  const rows = await connection.execute<{ name: string }[]>('select name from mikro_orm_migrations order by id');
  return rows.map((row) => row.name);
}

/**
 * Applies the pending migrations and returns the newest applied one. The migrator (and the many
 * modules it loads) is loaded only when a migration is pending: an up-to-date database starts faster.
 */
export function migrationsPending(applied: string[]): boolean {
  return !MIGRATION_NAMES.every((name) => applied.includes(name));
}

export async function migrateSqlite(orm: MikroORM): Promise<{ newest: string | null; applied: string[] }> {
  const before = await appliedSqliteMigrations(orm);
  if (!migrationsPending(before)) return { newest: before.at(-1) ?? null, applied: [] };
  const [{ Migrator }, migrationsList] = await Promise.all([import('@mikro-orm/migrations'), loadMigrations()]);
  orm.config.set('migrations', { ...orm.config.get('migrations'), migrationsList });
  Migrator.register(orm);
  await orm.migrator.up();
  const after = await appliedSqliteMigrations(orm);
  return { newest: after.at(-1) ?? null, applied: after.filter((name) => !before.includes(name)) };
}

/**
 * A consistent copy of a live SQLite database into `target` (which must not exist): `VACUUM INTO`
 * reads one snapshot — every transaction committed before it began, none after — while the server
 * keeps writing (WAL). The copy is written beside the target and renamed into place when complete.
 * The key file (`metalyard.key` beside the database), when there is one, is copied to `<target>.key`.
 */
export async function backupSqlite(location: string, target: string): Promise<{ file: string; bytes: number; keyFile: string | null }> {
  if (location === ':memory:') throw new Error('DATABASE_URL is :memory:: there is nothing on disk to back up');
  if (!existsSync(location)) throw new Error(`there is no SQLite database at ${location}`);
  const file = resolve(target);
  if (file === location) throw new Error('the backup must go to another file than the database');
  if (existsSync(file)) throw new Error(`${file} exists already; choose a new file name`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const orm = await initSqliteOrm(location, false);
  try {
    await orm.em.getConnection().execute('vacuum into ?', [partial]);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await orm.close(true);
  }
  chmodSync(partial, 0o600);
  renameSync(partial, file);
  const key = join(dirname(location), 'metalyard.key');
  let keyFile: string | null = null;
  if (existsSync(key)) {
    keyFile = `${file}.key`;
    copyFileSync(key, keyFile);
    chmodSync(keyFile, 0o600);
  }
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(file));
  return { file, bytes: size, keyFile };
}
