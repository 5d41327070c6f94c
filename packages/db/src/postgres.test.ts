import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConflictError, type Actor, type EnlistInput, type EventRecord, type UserActor } from '@metalyard/domain';
import { openDatabase, type Database, type DatabaseOptions } from './index.js';

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

async function open(url: string, options: DatabaseOptions = {}): Promise<Database> {
  const db = await openDatabase({ url, ...options });
  opened.push(db);
  return db;
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
function collect(db: Database, count: number): Promise<EventRecord[]> {
  const received: EventRecord[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} events`)), 10_000);
    const unsubscribe = db.events.subscribe((event) => {
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
    expect(db.migration).toBe('Migration20261125000000');
    // Anything the committed PostgreSQL migrations got wrong would show up as a pending schema change.
    const diff = await db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
    expect(db.location).toMatch(/^postgresql:\/\/[^:@]+@[^/]+\/metalyard_db_[0-9a-f]+$/);
    expect(db.location).not.toContain('not-to-be-logged');
  });

  it('migrates once when several replicas start together, and each sees the same version', async () => {
    const url = await freshDatabase();
    const replicas = await Promise.all([open(url), open(url), open(url)]);
    expect(replicas.map((db) => db.migration)).toEqual(Array(3).fill('Migration20261125000000'));
    const [row] = await replicas[0]!.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*) as n from mikro_orm_migrations');
    expect(Number(row!.n)).toBe(1);
  });

  it('relays events between replicas, and delivers each to a replica’s subscribers once', async () => {
    const url = await freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    const onA = collect(a, 2);
    const onB: EventRecord[] = [];
    b.events.subscribe((event) => onB.push(event));
    const enlisted = await b.nodes.enlist(machine(), system, true);
    // Larger than a NOTIFY payload may be: it travels as its id and is read back.
    const bulky = { notes: 'x'.repeat(20_000) };
    await b.events.record(enlisted.node.systemId, 'note', system, bulky);

    const seenOnA = await onA;
    expect(seenOnA.map((event) => event.type)).toEqual(['enlist', 'note']);
    expect(seenOnA[1]!.details).toEqual(bulky);
    expect(seenOnA[0]!.createdAt).toBeInstanceOf(Date);
    // B's own notices came back to it over the channel too: given time, it still delivered each event once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(onB).toEqual(seenOnA);
  });

  it('moves each timed-out node once when two replicas sweep at the same moment', async () => {
    const url = await freshDatabase();
    const lifecycle = { policy: { commissioning: true }, commissioningTimeoutMs: 60_000 };
    const [a, b] = [await open(url, { lifecycle }), await open(url, { lifecycle })];
    const nodes = await Promise.all(Array.from({ length: 30 }, () => a.nodes.enlist(machine(), system, true)));
    expect(nodes.every((change) => change.node.status === 'commissioning')).toBe(true);

    const later = new Date(Date.now() + 120_000);
    const moved = await Promise.all([a.nodes.sweep(later), b.nodes.sweep(later), a.nodes.sweep(later), b.nodes.sweep(later)]);
    expect(moved.reduce((sum, count) => sum + count, 0)).toBe(30);
    const timeouts = await a.events.list({ type: 'failCommissioning', limit: 1000 });
    expect(timeouts.items).toHaveLength(30);
    expect(new Set(timeouts.items.map((event) => event.systemId)).size).toBe(30);
  });

  it('gives each ready node to one of many acquirers across two replicas', async () => {
    const url = await freshDatabase();
    const [a, b] = [await open(url, { postgres: { poolSize: 4, statementTimeoutMs: 5_000, ssl: 'off' } }), await open(url)];
    const user = await a.auth.createUser('acquirer', 'user');
    const actor: UserActor = { kind: 'user', user };
    await Promise.all(Array.from({ length: 10 }, () => a.nodes.enlist(machine(), system, true)));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).nodes.acquire({}, actor)),
    );
    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value.systemId] : []));
    expect(won).toHaveLength(10);
    expect(new Set(won).size).toBe(10);
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(lost).toHaveLength(30);
    for (const error of lost) expect(error).toBeInstanceOf(ConflictError);
  });
});
