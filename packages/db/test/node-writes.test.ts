import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserActor } from '@metalyard/domain';
import { createApplication, type Application } from '@metalyard/usecases';
import { openDatabase, type Database } from '../src/index.js';
import { enlistInput } from './yard.js';

/**
 * Acquires and node actions share one group-committed queue (usecases/src/shared/node-writes.ts):
 * those arriving together are written in one transaction, in arrival order, each with its own answer.
 */
const admin: UserActor = { kind: 'user', user: { id: 1, username: 'admin', role: 'admin' } };
const alice: UserActor = { kind: 'user', user: { id: 2, username: 'alice', role: 'user' } };

let db: Database;
let app: Application;
let batches: number[];
beforeEach(async () => {
  db = await openDatabase({ url: ':memory:' });
  batches = [];
  app = createApplication({
    uow: db.uow,
    feed: db.feed,
    observer: { batchWritten: (writer, size) => writer === 'nodes' && batches.push(size) },
  });
  await db.uow.transaction(async (tx) => {
    await tx.auth.insertUser({ username: 'admin', role: 'admin', passwordHash: null, createdAt: new Date() });
    await tx.auth.insertUser({ username: 'alice', role: 'user', passwordHash: null, createdAt: new Date() });
  });
});
afterEach(() => db.close());

describe('node writes committed together', () => {
  it('serve a batch in arrival order: a release frees its node for the acquire after it', async () => {
    const { node } = await app.nodes.enlist(enlistInput('02:00:00:00:0d:01'), admin);
    await app.nodes.acquire({}, admin);
    batches.length = 0;
    const [released, acquired, none] = await Promise.allSettled([
      app.nodes.act(node.systemId, 'release', admin),
      app.nodes.acquire({}, alice),
      app.nodes.acquire({}, alice),
    ]);
    expect(batches).toEqual([3]);
    expect(released.status === 'fulfilled' && released.value.node.status).toBe('ready');
    expect(acquired.status === 'fulfilled' && acquired.value).toMatchObject({
      systemId: node.systemId,
      owner: 'alice',
      status: 'allocated',
    });
    expect(none.status === 'rejected' && (none.reason as Error).message).toMatch(/no ready node to acquire/);
  });

  it('give each refusal to its own caller, and write the others', async () => {
    const first = (await app.nodes.enlist(enlistInput('02:00:00:00:0d:02'), admin)).node;
    const second = (await app.nodes.enlist(enlistInput('02:00:00:00:0d:03'), admin)).node;
    await app.nodes.acquire({ systemId: first.systemId }, admin);
    batches.length = 0;
    const results = await Promise.allSettled([
      app.nodes.act(first.systemId, 'deploy', alice), // alice does not own it: 403
      app.nodes.act('nosuch', 'release', admin), // 404
      app.nodes.acquire({ systemId: second.systemId }, alice),
      app.nodes.act(second.systemId, 'markFixed', admin), // allocated, not broken: 409
    ]);
    expect(batches).toEqual([4]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'rejected']);
    const reasons = results.map((result) => (result.status === 'rejected' ? (result.reason as Error).constructor.name : 'ok'));
    expect(reasons).toEqual(['ForbiddenError', 'NotFoundError', 'ok', 'InvalidTransitionError']);
    expect((await app.nodes.get(second.systemId)).owner).toBe('alice');
    expect((await app.nodes.get(first.systemId)).status).toBe('allocated');
  });
});
