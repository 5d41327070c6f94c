import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, logged, manage, nextMac, rawRequest, scratchDir, startServer, type ServerProcess } from './harness.js';

/** Issue #14: behind a proxy, the client address comes from X-Forwarded-For, and only a trusted proxy's is believed. */

const scratch = scratchDir();
afterAll(() => scratch.remove());

const ADMIN_PASSWORD = 'the admin passphrase, long enough';
const json = { 'content-type': 'application/json' };

/** An anonymous enlist sent from `localAddress` (a 127.0.0.x) with an X-Forwarded-For header, as a proxy would. */
async function enlistVia(server: ServerProcess, forwardedFor: string | null, localAddress = '127.0.0.1') {
  const reply = await rawRequest(server.url, {
    path: '/trpc/enlist',
    body: JSON.stringify({ architecture: 'amd64/generic', macAddresses: [nextMac()] }),
    headers: { ...json, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    localAddress,
  });
  return reply.status;
}

async function loginVia(server: ServerProcess, forwardedFor: string | null, username: string, password: string) {
  const reply = await rawRequest(server.url, {
    path: '/trpc/auth.login',
    body: JSON.stringify({ username, password }),
    headers: { ...json, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  });
  return { status: reply.status, retryAfter: reply.headers['retry-after'] };
}

const limited = { METALYARD_ANON_RATE: '0.001', METALYARD_ANON_BURST: '2' };

describe('trusted proxies', () => {
  it('give two clients behind a trusted proxy separate anonymous buckets, and name them in events and the log', async () => {
    const server = await startServer(`${scratch.path}/trusted.sqlite`, { ...limited, METALYARD_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      // The client added its own X-Forwarded-For; the proxy appended the address it saw.
      const a = [];
      for (let i = 0; i < 3; i++) a.push(await enlistVia(server, '6.6.6.6, 198.51.100.1'));
      expect(a).toEqual([200, 200, 429]);
      expect(await enlistVia(server, '198.51.100.2')).toBe(200);
      expect(await enlistVia(server, '198.51.100.2')).toBe(200);
      const events = await client(server.url, ADMIN_TOKEN).protected.events.list.query({ type: 'enlist' });
      expect(new Set(events.items.map((event) => event.actor))).toEqual(new Set(['anonymous@198.51.100.1', 'anonymous@198.51.100.2']));
      const line = await logged(server, (entry) => entry.msg === 'request' && entry.status === 429);
      expect(line).toMatchObject({ client: '198.51.100.1', route: 'enlist', level: 'warn' });
    } finally {
      await server.stop();
    }
  });

  it("ignore an untrusted peer's X-Forwarded-For: every forged address shares the peer's bucket", async () => {
    // Only 127.0.0.2 is a proxy: requests from 127.0.0.1 are believed for nothing.
    const server = await startServer(`${scratch.path}/untrusted.sqlite`, { ...limited, METALYARD_TRUSTED_PROXIES: '127.0.0.2' });
    try {
      const statuses = [];
      for (let i = 1; i <= 3; i++) statuses.push(await enlistVia(server, `203.0.113.${i}`));
      expect(statuses).toEqual([200, 200, 429]);
      // The trusted proxy's clients are told apart.
      expect(await enlistVia(server, '203.0.113.9', '127.0.0.2')).toBe(200);
      const events = await client(server.url, ADMIN_TOKEN).protected.events.list.query({ type: 'enlist' });
      expect(events.items.map((event) => event.actor).sort()).toEqual([
        'anonymous@127.0.0.1',
        'anonymous@127.0.0.1',
        'anonymous@203.0.113.9',
      ]);
    } finally {
      await server.stop();
    }
  });

  it("keep mallory's typos behind a proxy from locking admin out (issue #14)", async () => {
    const databaseUrl = `${scratch.path}/lockout.sqlite`;
    const server = await startServer(databaseUrl, {
      METALYARD_TRUSTED_PROXIES: '127.0.0.0/8, ::1',
      METALYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    try {
      const mallory = '192.0.2.66';
      for (let i = 0; i < 5; i++) expect((await loginVia(server, mallory, 'mallory', `typo ${i}`)).status).toBe(401);
      const refused = await loginVia(server, mallory, 'mallory', 'typo 5');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      // Admin, from another client behind the same proxy, and even from mallory's client.
      expect((await loginVia(server, '192.0.2.10', 'admin', ADMIN_PASSWORD)).status).toBe(200);
      expect((await loginVia(server, mallory, 'admin', ADMIN_PASSWORD)).status).toBe(200);
      const warning = await logged(server, (entry) => entry.msg === 'rate limited');
      expect(warning).toMatchObject({ level: 'warn', limit: 'login', client: mallory });
    } finally {
      await server.stop();
    }
  });
});

describe('GET /metrics', () => {
  const scrape = (server: ServerProcess, headers: Record<string, string> = {}, localAddress?: string) =>
    rawRequest(server.url, { method: 'GET', path: '/metrics', headers, ...(localAddress ? { localAddress } : {}) });

  it('counts requests, nodes by status, refusals, failed logins and group-commit batches (loopback by default)', async () => {
    const server = await startServer(`${scratch.path}/metrics.sqlite`, { ...limited, METALYARD_ADMIN_PASSWORD: ADMIN_PASSWORD });
    try {
      for (let i = 0; i < 3; i++) await enlistVia(server, null);
      // The anonymous door is shut for this client now: a login is refused before it is tried.
      expect((await loginVia(server, null, 'admin', 'wrong')).status).toBe(429);
      expect((await rawRequest(server.url, { method: 'GET', path: '/trpc/protected.me' })).status).toBe(401);
      const reply = await scrape(server);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = reply.body;
      expect(text).toContain('metalyard_http_requests_total{procedure="enlist",status="200"} 2');
      expect(text).toContain('metalyard_http_requests_total{procedure="enlist",status="429"} 1');
      expect(text).toMatch(/metalyard_http_request_duration_seconds_count\{procedure="enlist"\} 3/);
      expect(text).toContain('metalyard_nodes{status="declared"} 2');
      expect(text).toContain('metalyard_nodes{status="ready"} 0');
      expect(text).toContain('metalyard_rate_limited_total{limit="anonymous"} 2');
      expect(text).toContain('metalyard_refused_tokens_total 1');
      expect(text).toMatch(/metalyard_group_commit_batch_size_count\{writer="enlist"\} 2/);
      expect(text).toContain('metalyard_event_subscribers 0');
      expect(text).toMatch(/metalyard_db_pool_connections\{state="max"\} 1/);
      expect(text).toContain('process_cpu_seconds_total');
    } finally {
      await server.stop();
    }
  });

  it('counts failed logins', async () => {
    const server = await startServer(':memory:', { METALYARD_ADMIN_PASSWORD: ADMIN_PASSWORD, METALYARD_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      for (let i = 0; i < 6; i++) await loginVia(server, '192.0.2.5', 'admin', 'wrong');
      const text = (await scrape(server)).body;
      expect(text).toContain('metalyard_failed_logins_total 5');
      expect(text).toContain('metalyard_rate_limited_total{limit="login"} 1');
      // Loopback means the client after the proxy rule: a forwarded outside client is refused.
      expect((await scrape(server, { 'x-forwarded-for': '192.0.2.5' })).status).toBe(403);
      expect((await scrape(server, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('with METALYARD_METRICS=token, needs an admin token or METALYARD_METRICS_TOKEN', async () => {
    const databaseUrl = `${scratch.path}/metrics-token.sqlite`;
    const userToken = await manage(databaseUrl, 'createuser', '--username', 'carol');
    const metricsToken = 'metrics-token-0123456789abcdef0123456789';
    const server = await startServer(databaseUrl, { METALYARD_METRICS: 'token', METALYARD_METRICS_TOKEN: metricsToken });
    try {
      expect((await scrape(server)).status).toBe(401);
      expect((await scrape(server, { authorization: `Bearer ${userToken}` })).status).toBe(403);
      expect((await scrape(server, { authorization: `Bearer ${metricsToken}x` })).status).toBe(403);
      expect((await scrape(server, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
      const reply = await scrape(server, { authorization: `Bearer ${metricsToken}` });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('metalyard_refused_tokens_total 3');
      const line = await logged(server, (entry) => entry.msg === 'token refused' && entry.route === '/metrics');
      expect(line.level).toBe('warn');
      expect(server.output.join('\n')).not.toContain(metricsToken);
    } finally {
      await server.stop();
    }
  });

  it('with METALYARD_METRICS=open answers anyone, and with off is not there', async () => {
    const open = await startServer(':memory:', { METALYARD_METRICS: 'open', METALYARD_TRUSTED_PROXIES: '127.0.0.1' });
    try {
      expect((await scrape(open, { 'x-forwarded-for': '192.0.2.5' })).status).toBe(200);
    } finally {
      await open.stop();
    }
    const off = await startServer(':memory:', { METALYARD_METRICS: 'off' });
    try {
      const reply = await scrape(off);
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('metalyard_');
    } finally {
      await off.stop();
    }
  });
});
