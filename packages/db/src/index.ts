export * from './entities/index.js';
export { MIGRATION_NAMES, loadMigrations } from './migrations/index.js';
export { openDatabase, type Database, type DatabaseOptions, type PoolStats } from './open.js';
export { DEFAULT_DATABASE_URL, DEFAULT_SQLITE_SETTINGS, backupSqlite, sqliteLocation, type SqliteSettings } from './orm/sqlite.js';
export { DatabaseInUseError, lockSqliteFile, type LockHolder, type SqliteLock } from './orm/sqlite-lock.js';
export {
  DEFAULT_POSTGRES_SETTINGS,
  DatabaseUrlError,
  describePostgresTarget,
  isPostgresUrl,
  postgresTarget,
  type PostgresSettings,
  type PostgresTarget,
} from './orm/postgres.js';
export { EventBus } from './events/event-bus.js';
export { encodeCursor, decodeCursor } from './queries/cursor.js';
