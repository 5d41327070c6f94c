import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, logLines, logged, manage, nextMac, rawRequest, scratchDir, startServer, type ServerProcess } from './harness.js';

/** Issue #14: one log line per request, security events at warn, no secrets, request ids, a closed pipe survived. */

const scratch = scratchDir();
afterAll(() => scratch.remove());

const MAIN = fileURLToPath(new URL('../../../apps/server/dist/main.js', import.meta.url));
const VERSION = (JSON.parse(readFileSync(new URL('../../../apps/server/package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
const json = { 'content-type': 'application/json' };
const marker = `s3cr3t-${randomBytes(6).toString('hex')}`;
const ADMIN_PASSWORD = `${marker}-admin-password`;
const BMC_PASSWORD = `${marker}-bmc-password`;
const COOKIE = `${marker}-cookie`;
const WRONG_PASSWORD = `${marker}-wrong-password`;

describe('the request log', () => {
  let server: ServerProcess;
  let userToken: string;
  let sessionToken: string;
  const statuses: number[] = [];
  const answers: { status: number; headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    const databaseUrl = `${scratch.path}/log.sqlite`;
    userToken = await manage(databaseUrl, 'createuser', '--username', 'alice');
    server = await startServer(databaseUrl, {
      METALYARD_LOG_LEVEL: 'debug',
      METALYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      METALYARD_ANON_RATE: '0.001',
      METALYARD_ANON_BURST: '12',
    });
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') => {
      const reply = await rawRequest(server.url, {
        method,
        path,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { ...json, cookie: `session=${COOKIE}`, ...headers },
      });
      statuses.push(reply.status);
      answers.push(reply);
      return reply;
    };
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await call(
      '/trpc/protected.enlist',
      {
        architecture: 'amd64/generic',
        macAddresses: [nextMac()],
        powerType: 'virsh',
        powerParameters: { address: '127.0.0.10', username: 'root', password: BMC_PASSWORD },
      },
      admin,
    );
    await call('/trpc/protected.nodes.list', undefined, { authorization: `Bearer ${userToken}` }, 'GET');
    const login = await call('/trpc/auth.login', { username: 'admin', password: ADMIN_PASSWORD });
    sessionToken = (JSON.parse(login.body) as { result: { data: { token: string } } }).result.data.token;
    await call('/api/v1/auth/login', { username: 'mallory', password: WRONG_PASSWORD });
    await call('/trpc/protected.me', undefined, { authorization: `Bearer ${sessionToken}` }, 'GET');
    await call('/trpc/protected.me', undefined, { authorization: `Bearer ${'x'.repeat(40)}` }, 'GET');
    await call('/trpc/protected.me', undefined, { 'x-request-id': 'ticket-4711' }, 'GET');
    await call('/api/v1/nodes/zzzz22', undefined, { ...admin, 'x-request-id': 'bad id with spaces' }, 'GET');
    // POST: a GET of an unknown page path is the admin app's (its SPA fallback answers index.html).
    await call('/no/such/route', {}, {}, 'POST');
    // The anonymous door: a burst of 12, then 429s.
    for (let i = 0; i < 14; i++) await call('/trpc/enlist', { architecture: 'amd64/generic', macAddresses: [nextMac()] });
    // A request's line is written once its answer is done: wait for the last one.
    const lastId = answers.at(-1)!.headers['x-request-id'];
    await logged(server, (line) => line.msg === 'request' && line.requestId === lastId);
  });

  afterAll(async () => {
    await server.stop();
  });

  it('writes one JSON line per request with its id, method, procedure, status, duration, user and client', () => {
    expect(statuses.slice(0, 9)).toEqual([200, 200, 200, 401, 200, 401, 401, 404, 404]);
    // auth.login twice spent two of the burst's 12.
    expect(statuses.slice(9)).toEqual([...Array(10).fill(200), 429, 429, 429, 429]);
    const requests = logLines(server, 'request');
    expect(requests).toHaveLength(statuses.length);
    expect(requests[0]).toMatchObject({
      level: 'info',
      requestId: answers[0]!.headers['x-request-id'],
      method: 'POST',
      route: 'protected.enlist',
      status: 200,
      durationMs: expect.any(Number),
      user: 'admin',
      client: '127.0.0.1',
    });
    expect(requests[1]).toMatchObject({ method: 'GET', route: 'protected.nodes.list', user: 'alice' });
    expect(requests[3]).toMatchObject({ route: 'auth.login', status: 401, user: 'anonymous', level: 'warn' });
    expect(requests[4]).toMatchObject({ route: 'protected.me', status: 200, user: 'admin' });
    expect(requests[8]).toMatchObject({ route: 'not_found', status: 404 });
    // Ids are unique per request.
    expect(new Set(requests.map((line) => line.requestId)).size).toBe(requests.length);
  });

  it('logs failed logins, refused tokens and 429s at warn', () => {
    expect(logLines(server, 'login failed')).toEqual([
      expect.objectContaining({ level: 'warn', username: 'mallory', client: '127.0.0.1', procedure: 'auth.login', api: 'rest' }),
    ]);
    expect(logLines(server, 'token refused').map((line) => line.level)).toEqual(['warn', 'warn']);
    const limited = logLines(server, 'rate limited');
    expect(limited).toHaveLength(4);
    expect(limited[0]).toMatchObject({ level: 'warn', limit: 'anonymous', procedure: 'enlist', client: '127.0.0.1' });
    expect(logLines(server, 'request').filter((line) => line.status === 429 && line.level === 'warn')).toHaveLength(4);
  });

  it('adds the request detail at debug level', () => {
    const [first] = logLines(server, 'request');
    expect(first).toMatchObject({ path: '/trpc/protected.enlist', peer: '127.0.0.1', headers: expect.any(Object) });
    expect((first!.headers as Record<string, string>).authorization).toBe('[redacted]');
    expect((first!.headers as Record<string, string>).cookie).toBe('[redacted]');
  });

  it('returns the request id in a header and in every error body, tRPC and REST', () => {
    const byId = new Map(logLines(server, 'request').map((line) => [line.requestId, line]));
    for (const answer of answers) {
      const id = answer.headers['x-request-id'] as string;
      expect(id).toMatch(/^[A-Za-z0-9._:@+=/-]{1,128}$/);
      expect(byId.has(id)).toBe(true);
      if (answer.status < 400) continue;
      const body = JSON.parse(answer.body) as { error?: { data: { requestId: string } }; data?: { requestId: string } };
      expect((body.error ?? body).data?.requestId).toBe(id);
    }
    // A sane incoming id is kept (a proxy's or a client's), anything else replaced.
    expect(answers[6]!.headers['x-request-id']).toBe('ticket-4711');
    expect(answers[7]!.headers['x-request-id']).not.toBe('bad id with spaces');
  });

  it('puts the request id in the body of refusals made before any procedure runs', async () => {
    const refusals = [
      // (The anonymous door is shut by now: malformed JSON as the admin.)
      await rawRequest(server.url, {
        path: '/trpc/protected.nodes.accept',
        body: '{bad',
        headers: { ...json, authorization: `Bearer ${ADMIN_TOKEN}` },
      }),
      await rawRequest(server.url, { path: '/trpc/enlist', body: 'x', headers: { 'content-type': 'text/plain' } }),
      await rawRequest(server.url, { path: '/api/v1/no/such/route', body: '{}', headers: json }),
      await rawRequest(server.url, { path: '/api/v1/enlist', body: '{bad', headers: json }),
    ];
    expect(refusals.map((reply) => reply.status)).toEqual([400, 415, 404, 400]);
    for (const reply of refusals) {
      const body = JSON.parse(reply.body) as { error?: { data: { requestId: string } }; data?: { requestId: string } };
      expect((body.error ?? body).data?.requestId).toBe(reply.headers['x-request-id']);
    }
  });

  it('holds no password, token, cookie or BMC secret, even at debug level', () => {
    const log = server.output.join('\n');
    expect(logLines(server).length).toBeGreaterThan(statuses.length);
    for (const secret of [marker, ADMIN_TOKEN, userToken, sessionToken, 'x'.repeat(40)]) expect(log).not.toContain(secret);
  });
});

describe('the server process', () => {
  it('prints --version and --help and exits 0 without listening', async () => {
    const run = (arg: string) =>
      promisify(execFile)(process.execPath, [MAIN, arg], { env: { ...process.env, PORT: '1', HOST: '192.0.2.1' } });
    expect((await run('--version')).stdout).toBe(`${VERSION}\n`);
    const help = (await run('--help')).stdout;
    expect(help).toContain('usage:');
    expect(help).toContain('METALYARD_TRUSTED_PROXIES');
    await expect(run('--frobnicate')).rejects.toMatchObject({ code: 2 });
  });

  it('says its version in /healthz', async () => {
    const server = await startServer(':memory:');
    try {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { version: string };
      expect(health.version).toBe(VERSION);
    } finally {
      await server.stop();
    }
  });

  it('keeps serving when the reader of its log goes away (main.js | head -3)', async () => {
    // The pipeline (`| head -3`): the reader exits once it has the listening line, and each
    // later log line meets a closed pipe.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${MAIN}" | sed '/"msg":"listening"/q'`], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: ':memory:', METALYARD_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let err = '';
    shell.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    shell.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    try {
      for (let i = 0; i < 300 && !out.includes('"msg":"listening"'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = (
        JSON.parse(
          out
            .trim()
            .split('\n')
            .find((line) => line.includes('"msg":"listening"'))!,
        ) as { url: string }
      ).url;
      for (let i = 0; i < 20; i++) expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/trpc/protected.me`)).status).toBe(401);
      expect(shell.exitCode).toBeNull();
      expect(err).not.toMatch(/EPIPE|Unhandled/);
    } finally {
      process.kill(-shell.pid!, 'SIGTERM');
    }
  });
});
