import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, manage, nextMac, onPostgres, scratchDir, startServer, type ServerProcess } from './harness.js';

/** SQLite serves one server process: a second one on the file refuses to start, naming the file and the holder. */
const scratch = scratchDir();
afterAll(() => scratch.remove());

const IN_USE = /the SQLite database (\S+) is in use by another Metalyard server \(pid (\d+)/;

/** Starts a server expected to refuse: its exit code and everything it wrote. */
async function refused(databaseUrl: string): Promise<string> {
  const error = await startServer(databaseUrl).then(
    async (server) => {
      await server.stop();
      throw new Error('the second server started');
    },
    (reason: unknown) => reason as Error,
  );
  return error.message;
}

describe.skipIf(onPostgres)('one server per SQLite file', () => {
  it('refuses a second server on a file in use, naming the file and the pid, exit code 1; the first keeps serving', async () => {
    const databaseUrl = `${scratch.path}/in-use.sqlite`;
    const first = await startServer(databaseUrl);
    try {
      const message = await refused(databaseUrl);
      expect(message).toMatch(/^server exited with 1:/);
      const [, file, pid] = IN_USE.exec(message) ?? [];
      expect(file).toBe(databaseUrl);
      expect(Number(pid)).toBe(first.child.pid);
      expect(JSON.parse(readFileSync(`${databaseUrl}.lock`, 'utf8'))).toMatchObject({ pid: first.child.pid });

      // The first is unharmed: it serves reads and writes.
      const node = await client(first.url).enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
      expect(await client(first.url, ADMIN_TOKEN).protected.nodes.get.query({ systemId: node.systemId })).toMatchObject({
        systemId: node.systemId,
      });
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(existsSync(`${databaseUrl}.lock`)).toBe(false);
  });

  it('lets the management commands write while the server runs (short extra writers)', async () => {
    const databaseUrl = `${scratch.path}/manage.sqlite`;
    const server = await startServer(databaseUrl);
    try {
      const load = Promise.all(
        Array.from({ length: 40 }, () => client(server.url).enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] })),
      );
      const token = await manage(databaseUrl, 'createuser', '--username', 'alice');
      await load;
      expect(await client(server.url, token).protected.me.query()).toMatchObject({ username: 'alice', role: 'user' });
      // rotate-secret-key needs the server stopped: it refuses, naming the holder.
      const rotation = await manage(databaseUrl, 'rotate-secret-key').then(
        () => '',
        (error: { stderr: string }) => error.stderr,
      );
      expect(rotation).toMatch(IN_USE);
    } finally {
      await server.stop();
    }
  });

  it('lets exactly one of two servers racing on a fresh file start; the other says why, never a raw SQLite error', async () => {
    for (let round = 0; round < 3; round++) {
      const databaseUrl = `${scratch.path}/race-${round}.sqlite`;
      const outcomes = await Promise.allSettled([startServer(databaseUrl), startServer(databaseUrl)]);
      const started = outcomes.filter((outcome): outcome is PromiseFulfilledResult<ServerProcess> => outcome.status === 'fulfilled');
      const failed = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      try {
        expect(started).toHaveLength(1);
        const message = (failed[0]!.reason as Error).message;
        expect(message).toMatch(IN_USE);
        expect(message).not.toMatch(/SQLITE_ERROR|already exists/);
        expect(await client(started[0]!.value.url, ADMIN_TOKEN).protected.me.query()).toMatchObject({ username: 'admin' });
      } finally {
        for (const { value } of started) await value.stop();
      }
    }
  });

  it('migrates a fresh file once when a management command races the starting server', async () => {
    const databaseUrl = `${scratch.path}/race-manage.sqlite`;
    const [server, token] = await Promise.all([startServer(databaseUrl), manage(databaseUrl, 'createuser', '--username', 'bob')]);
    try {
      expect(await client(server.url, token).protected.me.query()).toMatchObject({ username: 'bob' });
    } finally {
      await server.stop();
    }
  });

  it('takes over the lock of a server killed with -9', async () => {
    const databaseUrl = `${scratch.path}/stale.sqlite`;
    const first = await startServer(databaseUrl);
    await first.kill();
    expect(existsSync(`${databaseUrl}.lock`)).toBe(true);
    const second = await startServer(databaseUrl);
    try {
      expect(JSON.parse(readFileSync(`${databaseUrl}.lock`, 'utf8'))).toMatchObject({ pid: second.child.pid });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
