import { existsSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import Sqlite from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { nextMac, onPostgres, rawRequest, scratchDir, startServer } from './harness.js';

const IN_FLIGHT = 8;
const scratch = scratchDir();
afterAll(() => scratch.remove());

/** An enlistment whose body is sent in two halves, so it is in flight until `finish` is called. */
function slowEnlist(url: string): { finish(): void; reply: Promise<{ status: number; body: string }> } {
  const body = JSON.stringify({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
  const half = Math.floor(body.length / 2);
  let req!: ClientRequest;
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request(
      new URL('/trpc/enlist', url),
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
  });
  return { finish: () => req.end(body.slice(half)), reply };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('finishes the requests in flight on SIGTERM, refuses new ones, closes the database and exits 0', async () => {
  const databaseUrl = `${scratch.path}/shutdown.sqlite`;
  const server = await startServer(databaseUrl);
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));

  const inFlight = Array.from({ length: IN_FLIGHT }, () => slowEnlist(server.url));
  await pause(300); // the server has read their headers and waits for the rest
  server.child.kill('SIGTERM');
  await pause(300);

  const refused = await rawRequest(server.url, { method: 'GET', path: '/healthz' }).then(
    (reply) => `answered ${reply.status}`,
    (error: NodeJS.ErrnoException) => error.code,
  );
  expect(refused, 'a new connection after SIGTERM').toBe('ECONNREFUSED');

  for (const request of inFlight) request.finish();
  const replies = await Promise.all(inFlight.map((request) => request.reply));
  expect(replies.map((reply) => reply.status)).toEqual(Array(IN_FLIGHT).fill(200));
  expect(await exited).toBe(0);
  expect(server.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);

  if (onPostgres) return;
  // A cleanly closed SQLite database has checkpointed and removed its write-ahead log.
  expect(existsSync(`${databaseUrl}-wal`), 'the -wal file left behind: the database was not closed').toBe(false);
  const file = new Sqlite(databaseUrl, { readonly: true });
  try {
    const systemIds = replies.map((reply) => (JSON.parse(reply.body) as { result: { data: { systemId: string } } }).result.data.systemId);
    const stored = file
      .prepare(`select count(*) from node where system_id in (${systemIds.map(() => '?').join(',')})`)
      .pluck()
      .get(...systemIds);
    expect(stored).toBe(IN_FLIGHT);
  } finally {
    file.close();
  }
});
