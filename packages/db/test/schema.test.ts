import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATION_NAMES, loadMigrations, openDatabase, sqliteLocation, type Database } from '../src/index.js';
import { byNode } from '../src/queries/node-filters.js';
import { TABLES } from '../src/queries/tables.js';
import { openYard } from './yard.js';

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe('migrations', () => {
  it('are listed by name, in order, exactly as they are loaded', async () => {
    expect((await loadMigrations()).map((migration) => migration.name)).toEqual(MIGRATION_NAMES);
  });

  it('build exactly the schema the entities describe', async () => {
    db = await openDatabase({ url: ':memory:' });
    // Anything the committed migrations got wrong would show up as a pending schema change.
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(db.migration).toBe(MIGRATION_NAMES.at(-1));
  });

  it('run once: a second start on the same file applies nothing and keeps the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metalyard-db-'));
    try {
      const url = join(dir, 'nested', 'metalyard.sqlite');
      let yard = await openYard({ url });
      db = yard.db;
      await yard.app.users.create('keeper', 'admin');
      await db.close();
      yard = await openYard({ url });
      db = yard.db;
      expect(await yard.app.users.find('keeper')).toMatchObject({ username: 'keeper', role: 'admin' });
      const [mode] = await db.orm.em.fork().getConnection().execute<{ journal_mode: string }[]>('pragma journal_mode');
      expect(mode?.journal_mode).toBe('wal');
    } finally {
      await db?.close();
      db = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sqliteLocation', () => {
  it('reads file paths, sqlite: and file: URLs and :memory:', () => {
    expect(sqliteLocation(':memory:')).toBe(':memory:');
    expect(sqliteLocation('sqlite:/tmp/x.db')).toBe('/tmp/x.db');
    expect(sqliteLocation('file:/tmp/y.db')).toBe('/tmp/y.db');
    expect(sqliteLocation(undefined)).toMatch(/data\/metalyard\.sqlite$/);
  });

  it('explains that PostgreSQL URLs are not for this store', () => {
    expect(() => sqliteLocation('postgres://localhost/test')).toThrow(/PostgreSQL/);
  });
});

describe('partial indexes on the mostly-null node columns', () => {
  /** The plan SQLite picks for `select n.id from node n where <condition>`. */
  async function plan(database: Database, where: { sql: string; params: unknown[] }): Promise<string> {
    const rows = await database.orm.em
      .fork()
      .getConnection()
      .execute<{ detail: string }[]>(`explain query plan select n.id from ${TABLES.node} n where ${where.sql}`, where.params);
    return rows.map((row) => row.detail).join('; ');
  }

  it('are still the ones the queries on those columns use', async () => {
    db = await openDatabase({ url: ':memory:' });
    expect(await plan(db, byNode.owner('ops'))).toMatch(/USING (COVERING )?INDEX node_owner_id_index\b/);
    expect(await plan(db, byNode.zone('rack-1'))).toMatch(/USING (COVERING )?INDEX node_zone_id_index\b/);
    expect(await plan(db, byNode.pool('gpu'))).toMatch(/USING (COVERING )?INDEX node_pool_id_index\b/);
    expect(await plan(db, { sql: 'n.machine_token_hash = ?', params: ['f'.repeat(64)] })).toMatch(
      /USING (COVERING )?INDEX node_machine_token_hash_unique\b/,
    );
    expect(await plan(db, { sql: 'n.status_deadline <= ?', params: [Date.now()] })).toMatch(
      /USING (COVERING )?INDEX node_status_deadline_index\b/,
    );
  });

  it('are partial: a null is not in them, so it costs an enlistment no index page', async () => {
    db = await openDatabase({ url: ':memory:' });
    const rows = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ name: string; sql: string }[]>(`select name, sql from sqlite_master where type = 'index' and tbl_name = ?`, [TABLES.node]);
    const definitions = new Map(rows.map((row) => [row.name, row.sql]));
    for (const [index, column] of [
      ['node_owner_id_index', 'owner_id'],
      ['node_zone_id_index', 'zone_id'],
      ['node_pool_id_index', 'pool_id'],
      ['node_status_deadline_index', 'status_deadline'],
      ['node_machine_token_hash_unique', 'machine_token_hash'],
    ] as const) {
      expect(definitions.get(index), index).toMatch(new RegExp(`where ${column} is not null$`));
    }
  });
});
