import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '@metalyard/domain';
import { enlistInput, openYard } from './yard.js';

/** Every page of nodes.list carries counts per status; on SQLite they are kept while nothing is written. */
const dir = mkdtempSync(join(tmpdir(), 'metalyard-counts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const admin = { kind: 'user', user: { id: 1, username: 'admin', role: 'admin' } } as const satisfies Actor;
const anonymous: Actor = { kind: 'anonymous', address: '10.1.1.1' };

describe('the status counts of a list page', () => {
  it('follow every write, this process’s and another process’s', async () => {
    const file = join(dir, 'counts.sqlite');
    const yard = await openYard({ url: file });
    try {
      const counts = async () => (await yard.app.nodes.list({ limit: 1 })).counts;
      await yard.app.nodes.enlist(enlistInput('02:00:00:00:0c:01'), anonymous);
      expect((await counts()).declared).toBe(1);
      expect((await counts()).declared).toBe(1);
      const second = await yard.app.nodes.enlist(enlistInput('02:00:00:00:0c:02'), anonymous);
      expect((await counts()).declared).toBe(2);
      await yard.app.nodes.accept([second.node.systemId], admin);
      expect(await counts()).toMatchObject({ declared: 1, ready: 1 });

      const other = await openYard({ url: file });
      try {
        await other.app.nodes.enlist(enlistInput('02:00:00:00:0c:03'), admin);
      } finally {
        await other.db.close();
      }
      expect(await counts()).toMatchObject({ declared: 1, ready: 2 });
      // Filtered counts are kept apart from the unfiltered ones.
      expect((await yard.app.nodes.list({ limit: 1, hostnamePrefix: 'no-such-' })).counts).toMatchObject({ declared: 0, ready: 0 });
      expect(await counts()).toMatchObject({ declared: 1, ready: 2 });
    } finally {
      await yard.db.close();
    }
  });
});
