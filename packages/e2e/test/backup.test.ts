import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWebhookServer } from '@metalyard/power/testing';
import { ADMIN_TOKEN, allSystemIds, client, manageOutput, nextMac, onPostgres, scratchDir, startServer } from './harness.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

/** At most this many enlistments, by this many clients at once, while the backup runs. */
const LOAD = { total: 600, clients: 8 };

describe.skipIf(onPostgres)('metalyard backup (SQLite)', () => {
  it('copies the live database under enlist load; a restored server has every write acknowledged before the backup began', async () => {
    const pdu = await startWebhookServer({ secretHeader: `X-Pdu-Key: pdu-${nextMac()}` });
    const databaseUrl = join(scratch.path, 'live', 'metalyard.sqlite');
    const server = await startServer(databaseUrl, { METALYARD_POWER_SYNC_INTERVAL: '0' });
    const target = join(scratch.path, 'backups', 'metalyard-backup.sqlite');
    let beforeBackup: Set<string>;
    let acknowledged: string[];
    let bmcNode: string;
    try {
      // A node whose BMC secret is sealed with the key file: after a restore it must still open.
      const admin = client(server.url, ADMIN_TOKEN);
      bmcNode = (
        await admin.protected.enlist.mutate({
          architecture: 'amd64/generic',
          macAddresses: [nextMac()],
          powerType: 'webhook',
          powerParameters: pdu.parameters,
        })
      ).systemId;

      acknowledged = [];
      let stopping = false;
      let sent = 0;
      const anonymous = client(server.url);
      const load = Promise.all(
        Array.from({ length: LOAD.clients }, async () => {
          while (!stopping && sent < LOAD.total) {
            sent += 1;
            const node = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
            acknowledged.push(node.systemId);
          }
        }),
      );
      while (acknowledged.length < 100 && sent < LOAD.total) await new Promise((resolve) => setTimeout(resolve, 10));
      beforeBackup = new Set(acknowledged);
      const started = Date.now();
      const { stdout, stderr } = await manageOutput(databaseUrl, 'backup', target);
      const took = Date.now() - started;
      const duringBackup = acknowledged.length - beforeBackup.size;
      stopping = true;
      await load;
      // The server kept taking writes while the copy was made.
      expect(duringBackup).toBeGreaterThan(0);

      expect(stdout.trim()).toBe(target);
      expect(stderr).toMatch(/backed up .* to .*metalyard-backup\.sqlite/);
      expect(stderr).toContain(`${target}.key`);
      expect(took).toBeLessThan(30_000);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(readFileSync(`${target}.key`, 'utf8')).toBe(readFileSync(join(scratch.path, 'live', 'metalyard.key'), 'utf8'));
      expect(existsSync(`${target}.partial`)).toBe(false);

      // A second backup to the same file is refused: a backup never overwrites.
      const again = await manageOutput(databaseUrl, 'backup', target).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/exists already/);
    } finally {
      expect(await server.stop()).toBe(0);
    }

    // Restore: the server stopped, the file copied back (here: into a fresh folder) with its key beside it.
    const restoredDir = join(scratch.path, 'restored');
    mkdirSync(restoredDir);
    copyFileSync(target, join(restoredDir, 'metalyard.sqlite'));
    copyFileSync(`${target}.key`, join(restoredDir, 'metalyard.key'));
    const restored = await startServer(join(restoredDir, 'metalyard.sqlite'), { METALYARD_POWER_SYNC_INTERVAL: '0' });
    try {
      const present = await allSystemIds(restored.url);
      expect([...beforeBackup].filter((id) => !present.has(id))).toEqual([]);
      expect(present.has(bmcNode)).toBe(true);
      // Nothing the live server never acknowledged (the bmc node and the load only).
      expect(present.size).toBeLessThanOrEqual(acknowledged.length + 1);
      // The sealed BMC secret opens with the restored key: the PDU sees its header and answers.
      const calls = pdu.calls.length;
      const node = await client(restored.url, ADMIN_TOKEN).protected.nodes.powerQuery.mutate({ systemId: bmcNode });
      expect(node.powerState).toBe('off');
      expect(pdu.calls.length).toBeGreaterThan(calls);
    } finally {
      await restored.stop();
      await pdu.stop();
    }
  });

  it('refuses a database that does not exist', async () => {
    const failure = await manageOutput(join(scratch.path, 'none.sqlite'), 'backup', join(scratch.path, 'none-backup.sqlite')).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/there is no SQLite database at/);
  });
});

it('sends PostgreSQL users to pg_dump', async () => {
  const failure = await manageOutput('postgres://metalyard@127.0.0.1:1/metalyard', 'backup', join(scratch.path, 'pg.sqlite')).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure.code).toBe(1);
  expect(failure.stderr).toMatch(/back it up with pg_dump/);
});
