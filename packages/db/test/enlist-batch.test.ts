import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '@metalyard/domain';
import type { Application } from '@metalyard/usecases';
import type { Database } from '../src/index.js';
import { enlistInput, openYard } from './yard.js';

const anonymous: Actor = { kind: 'anonymous', address: '10.1.1.1' };

let db: Database;
let app: Application;
beforeEach(async () => {
  ({ db, app } = await openYard({ url: ':memory:' }, { lifecycle: { maxDeclared: 5 } }));
});
afterEach(() => db.close());

/** Enlistments made in the same turn of the event loop share one group-committed batch. */
describe('enlistments committed together', () => {
  it('apply the re-enlistment rule between requests of one batch', async () => {
    const [first, again] = await Promise.all([
      app.nodes.enlist(enlistInput('02:00:00:00:00:01'), anonymous),
      app.nodes.enlist(enlistInput('02:00:00:00:00:01'), anonymous),
    ]);
    expect(again.node.systemId).toBe(first.node.systemId);
    expect((await app.nodes.list({ limit: 10 })).items).toHaveLength(1);
  });

  it('give a taken hostname to the first request only', async () => {
    const results = await Promise.allSettled([
      app.nodes.enlist(enlistInput('02:00:00:00:00:02', { hostname: 'same' }), anonymous),
      app.nodes.enlist(enlistInput('02:00:00:00:00:03', { hostname: 'same' }), anonymous),
      app.nodes.enlist(enlistInput('02:00:00:00:00:04'), anonymous),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/hostname 'same' is taken by node/);
  });

  it('record one event per node with its own id, published after the commit', async () => {
    const published: string[] = [];
    app.events.subscribe((event) => published.push(`${event.systemId}:${event.type}:${event.toStatus}`));
    const changes = await Promise.all(
      ['02:00:00:00:00:05', '02:00:00:00:00:06', '02:00:00:00:00:07'].map((mac) => app.nodes.enlist(enlistInput(mac), anonymous)),
    );
    expect(published).toEqual(changes.map((change) => `${change.node.systemId}:enlist:declared`));
    const events = (await app.events.list({ limit: 10 })).items;
    expect(new Set(events.map((event) => event.id)).size).toBe(3);
    expect(events.map((event) => event.systemId)).toEqual(changes.map((change) => change.node.systemId));
  });

  it('stop at the cap on declared nodes, refusing only the requests past it', async () => {
    const macs = Array.from({ length: 7 }, (_, i) => `02:00:00:00:01:0${i}`);
    const results = await Promise.allSettled(macs.map((mac) => app.nodes.enlist(enlistInput(mac), anonymous)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused.map((result) => result.reason.kind)).toEqual(['unavailable', 'unavailable']);
    expect((await app.nodes.list({ status: 'declared', limit: 10 })).items).toHaveLength(5);
  });
});
