import Sqlite from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { allSystemIds, client, nextMac, onPostgres, rawRequest, scratchDir, startServer } from './harness.js';

const CLIENTS = 16;
const scratch = scratchDir();
afterAll(() => scratch.remove());

it('keeps every acknowledged enlistment (and, on SQLite, a sound file) through kill -9 under 16 concurrent writers', async () => {
  const databaseUrl = `${scratch.path}/crash.sqlite`;
  const first = await startServer(databaseUrl, { METALYARD_ANON_RATE: '0', METALYARD_MAX_DECLARED: '100000' });
  const acknowledged: string[] = [];
  let crashed = false;
  const writers = Array.from({ length: CLIENTS }, async () => {
    const anonymous = client(first.url);
    while (!crashed) {
      try {
        acknowledged.push((await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] })).systemId);
      } catch (error) {
        if (!crashed) throw error;
      }
    }
  });
  // Crash mid-stream, once the writers are well under way.
  while (acknowledged.length < 200) await new Promise((resolve) => setTimeout(resolve, 10));
  crashed = true;
  await first.kill();
  await Promise.all(writers);

  // How fast it restarts is pnpm bench's to measure (start to /healthz); here: that it does, and whole.
  const second = await startServer(databaseUrl);
  try {
    expect((await rawRequest(second.url, { method: 'GET', path: '/healthz' })).status).toBe(200);

    const present = await allSystemIds(second.url);
    expect(
      acknowledged.filter((systemId) => !present.has(systemId)),
      'acknowledged but lost',
    ).toEqual([]);

    // The file itself exists only on SQLite; PostgreSQL keeps its own integrity.
    if (!onPostgres) {
      const file = new Sqlite(databaseUrl, { readonly: true });
      try {
        expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(file.pragma('foreign_key_check')).toEqual([]);
      } finally {
        file.close();
      }
    }
  } finally {
    expect(await second.stop()).toBe(0);
  }
});
