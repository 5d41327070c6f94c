import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATION_NAMES, loadMigrations, openDatabase, sqliteLocation, type Database } from '../src/index.js';
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
    expect(db.migration).toBe('Migration20261202000000');
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
