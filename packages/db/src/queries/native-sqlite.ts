import type { Connection } from '@mikro-orm/core';

/**
 * The embedded database's one better-sqlite3 connection, used directly by the plain SQL of the
 * repositories: each statement is prepared once and kept, and its parameters are bound, not
 * written into the SQL text. Through the ORM's raw path every call formats its parameters into the
 * text, so every call is a new statement for SQLite to parse and plan (the profile of an enlistment
 * under load showed a quarter of the server's time in preparing and running such statements).
 */
export interface NativeSqlite {
  readonly db: BetterSqlite;
  execute(sql: string, params: readonly unknown[], method: 'all' | 'run'): unknown[] | { affectedRows: number };
}

/** What is used of a better-sqlite3 Database and Statement (the driver is @mikro-orm/sqlite's). */
interface BetterSqlite {
  readonly inTransaction: boolean;
  readonly open: boolean;
  prepare(sql: string): Statement;
}
interface Statement {
  readonly reader: boolean;
  all(params: unknown[]): unknown[];
  run(params: unknown[]): { changes: number };
}

/** Statements kept per connection: the repositories' SQL has few shapes; `in (…)` lists add some. */
const MAX_STATEMENTS = 512;
const natives = new WeakMap<object, NativeSqlite>();

/** The better-sqlite3 connection under a MikroORM SQLite connection, once it is open; else undefined. */
export function nativeSqliteOf(connection: Connection): NativeSqlite | undefined {
  const db = (connection as unknown as { database?: BetterSqlite }).database;
  if (!db || typeof db.prepare !== 'function' || !db.open) return undefined;
  const known = natives.get(connection);
  // The same Database as before keeps its statements; a reconnected one starts afresh.
  if (known?.db === db) return known;
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(sql, statement);
    }
    return statement;
  };
  const native: NativeSqlite = {
    db,
    execute(sql, params, method) {
      const statement = prepared(sql);
      const values = params.map(bindable);
      if (statement.reader) {
        const rows = statement.all(values);
        return method === 'all' ? rows : { affectedRows: rows.length };
      }
      const { changes } = statement.run(values);
      return method === 'all' ? [] : { affectedRows: changes };
    },
  };
  natives.set(connection, native);
  return native;
}

/** A parameter as the ORM would write it for SQLite: dates as epoch milliseconds, booleans as 1/0, JSON as text. */
function bindable(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}

/** A driver error as the ORM's own exception (a unique violation becomes UniqueConstraintViolationException). */
export function convertSqliteError(connection: Connection, error: unknown): unknown {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string' || !error.code.startsWith('SQLITE_')) return error;
  return connection
    .getPlatform()
    .getExceptionConverter()
    .convertException(error as never);
}

/**
 * The driver under the ORM prepares `begin`, `commit` and `rollback` anew for every transaction
 * (about 4 % of an enlistment's time at one connection): the connection hands out kept statements
 * for exactly those three texts, and prepares everything else as before.
 */
export function keepTransactionStatements(connection: Connection): void {
  const db = (connection as unknown as { database?: BetterSqlite & { prepare: (sql: string) => Statement } }).database;
  if (!db || !db.open || Object.prototype.hasOwnProperty.call(db, 'prepare')) return;
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Statement>();
  Object.defineProperty(db, 'prepare', {
    configurable: true,
    value: (sql: string) => {
      if (sql !== 'begin' && sql !== 'commit' && sql !== 'rollback') return prepare(sql);
      let statement = kept.get(sql);
      if (!statement) kept.set(sql, (statement = prepare(sql)));
      return statement;
    },
  });
}
