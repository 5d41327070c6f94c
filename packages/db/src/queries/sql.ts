import type { EntityManager } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { translateDatabaseError } from '../errors.js';
import { convertSqliteError, nativeSqliteOf } from './native-sqlite.js';

/**
 * Plain SQL with `?` parameters on one entity manager's connection (inside its transaction, when it
 * has one). Repositories use it where a measurement showed the ORM's unit of work and hydration
 * costing more than the work itself: node reads, node writes, events, token lookups.
 */
export interface Sql {
  readonly dialect: 'sqlite' | 'postgresql';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

export function sqlOf(em: EntityManager): Sql {
  const connection = em.getConnection();
  const context = em.getTransactionContext();
  const dialect = em.getPlatform() instanceof PostgreSqlPlatform ? 'postgresql' : 'sqlite';
  const native = dialect === 'sqlite' ? nativeSqliteOf(connection) : undefined;
  const execute = async <T>(sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<T> => {
    try {
      // SQLite: straight to better-sqlite3 with a prepared statement, when this call may use the one
      // connection now: inside this entity manager's transaction (which holds it), or outside any
      // transaction (a synchronous statement then runs alone). Otherwise, wait for it as the ORM does.
      if (native && (context !== undefined || !native.db.inTransaction)) {
        try {
          return native.execute(sql, params, method) as T;
        } catch (error) {
          throw convertSqliteError(connection, error);
        }
      }
      return (await connection.execute(sql, params as unknown[], method, context)) as T;
    } catch (error) {
      throw translateDatabaseError(error);
    }
  };
  return {
    dialect,
    all: <T>(sql: string, params: readonly unknown[] = []) => execute<T[]>(sql, params, 'all'),
    run: async (sql, params = []) => (await execute<{ affectedRows?: number }>(sql, params, 'run')).affectedRows ?? 0,
  };
}

/** Question marks for `values`, for an `in (…)` list. */
export function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** Rows whose column is among `values`: `sql` ends with `in`; at most 5000 parameters per statement. */
export async function selectIn<T>(sql: Sql, statement: string, values: readonly unknown[], extra: readonly unknown[] = []): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < values.length; start += 5000) {
    const chunk = values.slice(start, start + 5000);
    rows.push(...(await sql.all<T>(`${statement} (${marks(chunk)})`, [...chunk, ...extra])));
  }
  return rows;
}

/**
 * A multi-row INSERT … RETURNING id, as plain SQL (in chunks of at most 4,000 parameters), the new
 * ids in row order. Values are given as the columns hold them (JSON as text, which both dialects take).
 */
export async function insertReturningIds(
  sql: Sql,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<number[]> {
  const ids: number[] = [];
  const perChunk = Math.max(1, Math.floor(4000 / columns.length));
  const row = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const returned = await sql.all<{ id: number | string }>(
      `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => row).join(', ')} returning id`,
      chunk.flat(),
    );
    ids.push(...returned.map((value) => Number(value.id)));
  }
  if (ids.length !== rows.length || ids.some((id) => !Number.isSafeInteger(id))) {
    throw new Error(`insert into ${table} returned ${ids.length} ids for ${rows.length} rows`);
  }
  return ids;
}

/** A JSON column's value as text (null stays null). */
export function jsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
