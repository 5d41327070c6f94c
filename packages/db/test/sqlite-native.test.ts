import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@metalyard/domain';
import type { Application } from '@metalyard/usecases';
import type { Database } from '../src/index.js';
import { FifoLock } from '../src/unit-of-work.js';
import { enlistInput, openYard } from './yard.js';

const trusted: Actor = { kind: 'user', user: { id: 1, username: 'admin', role: 'admin' } };

let db: Database;
let app: Application;
beforeEach(async () => {
  ({ db, app } = await openYard({ url: ':memory:' }));
});
afterEach(() => db.close());

/** The repositories' plain SQL runs on better-sqlite3 directly (queries/native-sqlite.ts). */
describe('plain SQL on the embedded database', () => {
  it('never lets a read outside a transaction see what an open transaction has not committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const writer = db.uow.transaction(async (tx) => {
      await tx.nodes.insert([
        {
          systemId: 'uncommitted',
          hostname: 'not-yet',
          status: 'ready',
          architecture: 'amd64/generic',
          macAddresses: ['02:00:00:00:0a:01'],
          powerType: 'manual',
          powerParameters: {},
          statusDeadline: null,
          machineTokenHash: null,
          createdAt: new Date(),
        },
      ]);
      inside();
      await held;
      throw new Error('rolled back');
    });
    await started;
    // The transaction holds the one connection: this read waits for it instead of reading its rows.
    const read = db.uow.read((repositories) => repositories.nodes.get('uncommitted'));
    release();
    await expect(writer).rejects.toThrow('rolled back');
    expect(await read).toBeNull();
  });

  it('binds parameters instead of writing them into the SQL text', async () => {
    const quoted = "o'hara; drop table node; --";
    await app.nodes.enlist(enlistInput('02:00:00:00:0a:02', { hostname: 'quote-test' }), trusted);
    const [node] = (await app.nodes.list({ limit: 10, hostnamePrefix: quoted })).items;
    expect(node).toBeUndefined();
    expect((await app.nodes.list({ limit: 10, hostnamePrefix: 'quote' })).items.map((item) => item.hostname)).toEqual(['quote-test']);
  });

  it('reports a unique value taken as the use cases expect (a 409 naming the holder)', async () => {
    await app.nodes.enlist(enlistInput('02:00:00:00:0a:03', { hostname: 'taken' }), trusted);
    await expect(app.nodes.enlist(enlistInput('02:00:00:00:0a:04', { hostname: 'taken' }), trusted)).rejects.toThrow(
      /hostname 'taken' is taken/,
    );
  });
});

describe('FifoLock', () => {
  it('hands turns out in the order they were asked for, also to those who ask while it is being passed on', async () => {
    const lock = new FifoLock();
    const order: number[] = [];
    const first = await lock.take();
    const waiting = [1, 2, 3].map((n) =>
      lock.take().then((done) => {
        order.push(n);
        done();
      }),
    );
    first();
    // A newcomer asking right after the release goes behind those already waiting.
    const late = lock.take().then((done) => {
      order.push(4);
      done();
    });
    await Promise.all([...waiting, late]);
    expect(order).toEqual([1, 2, 3, 4]);
  });
});
