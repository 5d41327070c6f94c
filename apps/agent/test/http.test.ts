import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BUSYBOX, SKIP_REASON, perTestWorld, runAgent, shell, startServer } from './harness.js';

const world = perTestWorld();
const machine = world.machine;

const NODE = { systemId: 'k3v9qa', status: 'declared' };
const enlist = (extraEnv: Record<string, string> = {}, url = world.server.url) =>
  runAgent({ machine: machine(), url, env: 'enlist', extraEnv: { METALYARD_HTTP_ATTEMPTS: '3', ...extraEnv } });

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

describe.skipIf(!BUSYBOX)(`HTTP ${SKIP_REASON}`, () => {
  it('5xx answers are retried a bounded number of times, then the agent gives up (exit 1)', async () => {
    world.server.handle('enlist', () => ({ status: 503, message: 'the database is not reachable' }));
    const run = await enlist();
    expect(run.code).toBe(1);
    expect(world.server.calls).toHaveLength(3);
    expect(run.log).toContain('enlist: attempt 1 of 3 failed (HTTP 503: the database is not reachable); again in 0.05s');
    expect(run.log).toContain('enlist: giving up after 3 attempts: HTTP 503: the database is not reachable');
    expect(run.power).toEqual([]);
  });

  it('a retry that succeeds carries on', async () => {
    world.server.handle('enlist', (_input, _call, calls) => (calls.length < 3 ? { status: 500, message: 'oops' } : { data: NODE }));
    const run = await enlist();
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls).toHaveLength(3);
    expect(run.log).toContain('enlisted as k3v9qa (declared)');
  });

  it('a dropped connection and a 429 are retried; a 400 is not', async () => {
    const answers = [{ hangUp: true } as const, { status: 429, message: 'slow down' }, { data: NODE }];
    world.server.handle('enlist', (_input, _call, calls) => answers[calls.length - 1]!);
    const run = await enlist();
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls).toHaveLength(3);

    world.server.calls.length = 0;
    world.server.handle('enlist', () => ({ status: 400, message: 'architecture: must be one of amd64/generic, ...' }));
    const refused = await enlist();
    expect(refused.code).toBe(0);
    expect(world.server.calls).toHaveLength(1);
    expect(refused.log).toContain('enlist: HTTP 400: architecture: must be one of amd64/generic, ...');
  });

  it('no server listening: bounded attempts, a clear message', async () => {
    const run = await enlist({}, `http://127.0.0.1:${await closedPort()}`);
    expect(run.code).toBe(1);
    expect(run.log.match(/enlist: attempt \d of 3 failed \(HTTP 0: /g)).toHaveLength(2);
    expect(run.log).toContain('enlist: giving up after 3 attempts');
    expect(run.log).toContain('could not enlist');
    expect(run.ms).toBeLessThan(10_000);
  });

  it('a server that does not answer is cut off by the per-call timeout', async () => {
    world.server.handle('enlist', () => new Promise(() => {}));
    const run = await enlist({ METALYARD_HTTP_TIMEOUT: '1', METALYARD_HTTP_ATTEMPTS: '2' });
    expect(run.code).toBe(1);
    expect(world.server.calls).toHaveLength(2);
    expect(run.ms).toBeLessThan(8_000);
  });

  it('a slow answer still arrives (nc keeps its sending side open until the server answers)', async () => {
    world.server.handle('enlist', () => new Promise((done) => setTimeout(() => done({ data: NODE }), 1500)));
    const run = await enlist();
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls).toHaveLength(1);
    expect(run.log).toContain('enlisted as k3v9qa (declared)');
  });

  it('a URL with a path prefix and one on IPv6 loopback', async () => {
    world.server.handle('enlist', () => ({ data: NODE }));
    const run = await enlist({}, `${world.server.url}/metalyard/`);
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls.map((call) => call.path)).toEqual(['/metalyard/trpc/enlist']);

    const v6 = await startServer('::1');
    try {
      v6.handle('enlist', () => ({ data: NODE }));
      const run6 = await enlist({}, v6.url);
      expect(run6.code, run6.log).toBe(0);
      expect(v6.calls).toHaveLength(1);
    } finally {
      await v6.close();
    }
  });

  it('with METALYARD_HTTP_CLIENT=wget: the same calls through busybox wget (error bodies are lost)', async () => {
    world.server.handle('enlist', () => ({ data: NODE }));
    const run = await enlist({ METALYARD_HTTP_CLIENT: 'wget' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls[0]!.input).toEqual({ architecture: 'amd64/generic', macAddresses: ['52:54:00:12:34:56'] });
    expect(run.log).toContain('enlisted as k3v9qa (declared)');

    world.server.calls.length = 0;
    world.server.handle('enlist', () => ({ status: 409, message: 'taken' }));
    const refused = await enlist({ METALYARD_HTTP_CLIENT: 'wget' });
    expect(world.server.calls).toHaveLength(1);
    expect(refused.log).toContain('refused the enlistment (HTTP 409): HTTP 409');

    world.server.calls.length = 0;
    world.server.handle('enlist', () => ({ status: 502, message: 'bad gateway' }));
    const failing = await enlist({ METALYARD_HTTP_CLIENT: 'wget' });
    expect(failing.code).toBe(1);
    expect(world.server.calls).toHaveLength(3);
  });

  it('parses server URLs', () => {
    const cases: [string, string][] = [
      ['http://10.0.0.1:5240', '10.0.0.1|10.0.0.1:5240|5240|'],
      ['http://metalyard.lab', 'metalyard.lab|metalyard.lab|80|'],
      ['http://10.0.0.1:5240/prefix/', '10.0.0.1|10.0.0.1:5240|5240|/prefix'],
      ['http://[fd00::1]:5240', 'fd00::1|[fd00::1]:5240|5240|'],
      ['http://[fd00::1]', 'fd00::1|[fd00::1]|80|'],
    ];
    for (const [url, expected] of cases) {
      const result = shell(`http_parse_url "$U" && printf '%s|%s|%s|%s' "$URL_CONNECT" "$URL_HOST" "$URL_PORT" "$URL_PREFIX"`, { U: url });
      expect(result.stdout, url).toBe(expected);
    }
    for (const bad of ['https://10.0.0.1', 'ftp://x', 'http://h:port', 'http://']) {
      expect(shell('http_parse_url "$U"', { U: bad }).status, bad).toBe(1);
    }
  });
});
