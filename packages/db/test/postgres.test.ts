import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError, type Actor, type EnlistInput, type EventRecord, type UserActor } from '@metalyard/domain';
import { createApplication, type Application, type SettingsOverrides } from '@metalyard/usecases';
import { MIGRATION_NAMES, openDatabase, type Database, type DatabaseOptions } from '../src/index.js';

/**
 * The PostgreSQL dialect, against a real server: `pnpm test:pg` sets METALYARD_TEST_PG_URL (a user
 * that may create databases). Without it, or when nothing answers there, these tests are skipped.
 */
const ADMIN_URL = process.env.METALYARD_TEST_PG_URL?.trim();

async function reachable(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await probe.connect();
    return true;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const created: string[] = [];
const opened: Database[] = [];

/** A fresh, empty database; its URL carries a password, which trust authentication ignores and logs must not show. */
async function freshDatabase(): Promise<string> {
  const name = `metalyard_db_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  created.push(name);
  const url = new URL(ADMIN_URL!);
  url.pathname = `/${name}`;
  url.password = 'not-to-be-logged';
  return url.toString();
}

type Replica = Database & { app: Application };

/** A replica: the database opened again, and the application on it. */
async function open(url: string, options: DatabaseOptions = {}, settings: SettingsOverrides = {}): Promise<Replica> {
  const db = await openDatabase({ url, ...options });
  opened.push(db);
  return Object.assign(db, { app: createApplication({ uow: db.uow, feed: db.feed }, settings) });
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

afterAll(async () => {
  if (created.length === 0) return;
  await admin(async (client) => {
    for (const name of created) await client.query(`drop database if exists ${name} with (force)`);
  });
});

const system: Actor = { kind: 'system', task: 'test' };
let mac = 0;
function machine(): EnlistInput {
  mac += 1;
  const hex = mac.toString(16).padStart(12, '0');
  return { architecture: 'amd64/generic', macAddresses: [hex.match(/../g)!.join(':')], powerType: 'manual', powerParameters: {} };
}

/** Resolves with the events `db` delivers to its subscribers until `count` have arrived (or 10 s pass). */
function collect(db: Replica, count: number): Promise<EventRecord[]> {
  const received: EventRecord[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} events`)), 10_000);
    const unsubscribe = db.app.events.subscribe((event) => {
      received.push(event);
      if (received.length < count) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(received);
    });
  });
}

describe.skipIf(!(await reachable(ADMIN_URL)))('PostgreSQL', { timeout: 60_000 }, () => {
  it('migrations build exactly the schema the entities describe', async () => {
    const db = await open(await freshDatabase());
    expect(db.kind).toBe('postgresql');
    expect(db.migration).toBe(MIGRATION_NAMES.at(-1));
    // Anything the committed PostgreSQL migrations got wrong would show up as a pending schema change.
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(db.location).toMatch(/^postgresql:\/\/[^:@]+@[^/]+\/metalyard_db_[0-9a-f]+$/);
    expect(db.location).not.toContain('not-to-be-logged');
  });

  it('connects through a Unix socket host, and honours sslmode instead of dropping it', async () => {
    const url = new URL(await freshDatabase());
    const database = url.pathname.slice(1);
    const socketFolder = ['/var/run/postgresql', '/run/postgresql', '/tmp'].find((folder) =>
      existsSync(join(folder, `.s.PGSQL.${url.port || 5432}`)),
    );
    if (socketFolder) {
      const viaSocket = await open(`postgres://${url.username}@/${database}?host=${socketFolder}&port=${url.port || 5432}`);
      expect(viaSocket.location).toBe(`postgresql://${url.username}@/${database}?host=${socketFolder}`);
      const [row] = await viaSocket.orm.em.fork().getConnection().execute<{ one: number }[]>('select 1 as one');
      expect(row).toEqual({ one: 1 });
    }
    url.searchParams.set('sslmode', 'disable');
    expect((await open(url.toString(), { postgres: { poolSize: 2, statementTimeoutMs: 1000, ssl: 'require' } })).kind).toBe('postgresql');
    // The test server speaks no TLS: verify-full must fail to connect, not fall back to plain TCP.
    const ssl = await admin(async (client) => (await client.query<{ ssl: string }>('show ssl')).rows[0]?.ssl);
    if (ssl === 'off') {
      url.searchParams.set('sslmode', 'verify-full');
      await expect(openDatabase({ url: url.toString() })).rejects.toThrow(/SSL|TLS/i);
    }
  });

  it('migrates once when several replicas start together, and each sees the same version', async () => {
    const url = await freshDatabase();
    const replicas = await Promise.all([open(url), open(url), open(url)]);
    expect(replicas.map((db) => db.migration)).toEqual(Array(3).fill(MIGRATION_NAMES.at(-1)));
    const [row] = await replicas[0]!.orm.em
      .fork()
      .getConnection()
      .execute<{ n: string }[]>('select count(*) as n from mikro_orm_migrations');
    // Each committed migration once, though three replicas ran the migrator.
    expect(Number(row!.n)).toBe(MIGRATION_NAMES.length);
  });

  it('bootstraps the admin once when several replicas start together with the same token', async () => {
    const url = await freshDatabase();
    const replicas = await Promise.all([open(url), open(url), open(url)]);
    const token = `bootstrap-${randomBytes(16).toString('hex')}`;
    for (let round = 0; round < 5; round++) {
      const admins = await Promise.all(replicas.map((db) => db.app.auth.bootstrapAdmin(token)));
      expect(new Set(admins.map((user) => user.id)).size).toBe(1);
    }
    const session = await replicas[1]!.app.auth.authenticate(token);
    expect(session?.user.username).toBe('admin');
  });

  it('relays events between replicas, and delivers each to a replica’s subscribers once', async () => {
    const url = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    const onA = collect(a, 2);
    const onB: EventRecord[] = [];
    b.app.events.subscribe((event) => onB.push(event));
    const enlisted = await b.app.nodes.enlist(machine(), system);
    // Larger than a NOTIFY payload may be: it travels as its id and is read back.
    const bulky = { notes: 'x'.repeat(20_000) };
    const { id, systemId } = enlisted.node;
    await b.uow.transaction((tx) =>
      tx.events.append([
        {
          nodeId: id,
          systemId,
          type: 'note',
          fromStatus: null,
          toStatus: null,
          actor: 'system:test',
          details: bulky,
          createdAt: new Date(),
        },
      ]),
    );

    const seenOnA = await onA;
    expect(seenOnA.map((event) => event.type)).toEqual(['enlist', 'note']);
    expect(seenOnA[1]!.details).toEqual(bulky);
    expect(seenOnA[0]!.createdAt).toBeInstanceOf(Date);
    // B's own notices came back to it over the channel too: given time, it still delivered each event once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(onB).toEqual(seenOnA);
  });

  it('closing while writes are still running commits them and tells the other replicas first', async () => {
    const url = await freshDatabase();
    const errors: string[] = [];
    const a = await open(url);
    const b = await openDatabase({ url, onBackgroundError: (message) => errors.push(message) });
    const app = createApplication({ uow: b.uow, feed: b.feed });
    const onA = collect(a, 40);
    // Forty enlistments begun and not awaited (as when their clients went away), then the database closed.
    const enlisting = Promise.allSettled(Array.from({ length: 40 }, () => app.nodes.enlist(machine(), system)));
    await b.close();
    const results = await enlisting;
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(40);
    expect(errors).toEqual([]);
    expect(await onA).toHaveLength(40);
  });

  it('moves each timed-out node once when two replicas sweep at the same moment', async () => {
    const url = await freshDatabase();
    const lifecycle = { policy: { commissioning: true }, commissioningTimeoutMs: 60_000 };
    const [a, b] = [await open(url, {}, { lifecycle }), await open(url, {}, { lifecycle })];
    const nodes = await Promise.all(Array.from({ length: 30 }, () => a.app.nodes.enlist(machine(), system)));
    expect(nodes.every((change) => change.node.status === 'commissioning')).toBe(true);

    const later = new Date(Date.now() + 120_000);
    const moved = await Promise.all([a.app.sweep(later), b.app.sweep(later), a.app.sweep(later), b.app.sweep(later)]);
    expect(moved.reduce((sum, count) => sum + count, 0)).toBe(30);
    const timeouts = await a.app.events.list({ type: 'failCommissioning', limit: 1000 });
    expect(timeouts.items).toHaveLength(30);
    expect(new Set(timeouts.items.map((event) => event.systemId)).size).toBe(30);
  });

  it('gives each ready node to one of many acquirers across two replicas', async () => {
    const url = await freshDatabase();
    const [a, b] = [await open(url, { postgres: { poolSize: 4, statementTimeoutMs: 5_000, ssl: 'off' } }), await open(url)];
    const user = await a.app.users.create('acquirer', 'user');
    const actor: UserActor = { kind: 'user', user };
    await Promise.all(Array.from({ length: 10 }, () => a.app.nodes.enlist(machine(), system)));
    const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).app.nodes.acquire({}, actor)));
    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.systemId] : []));
    expect(won).toHaveLength(10);
    expect(new Set(won).size).toBe(10);
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(lost).toHaveLength(30);
    for (const error of lost) expect(error).toBeInstanceOf(ConflictError);
  });
});
