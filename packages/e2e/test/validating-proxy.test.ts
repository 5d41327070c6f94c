import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, nextMac, rawRequest, scratchDir, startServer, type ServerProcess } from './harness.js';

/**
 * The README's REST flow and its errors sent through Stoplight Prism in proxy mode, in front of
 * the real server: Prism checks every answer against /openapi.json and names each mismatch (an
 * undeclared status, a body off its schema) in an `sl-violations` header. None may appear, for
 * success and error answers alike. Two proxies: a strict one, which also checks each request
 * against the document, and one that forwards requests the document forbids, so the server's own
 * answers to them (400, 413, 415) are checked too. Everything talks to 127.0.0.1 only.
 */

const ADMIN_PASSWORD = 'validating-proxy-password';
const scratch = scratchDir();
let server: ServerProcess;
let strict: PrismProcess;
let lenient: PrismProcess;

type OpenApiDocument = {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { schemas: Record<string, object>; responses: Record<string, { content: Record<string, { schema: unknown }> }> };
};
let document: OpenApiDocument;

/** The problems Ajv finds in an answer, checked against the schema the document declares for that status. */
function validateAnswer(method: string, path: string, status: number, body: unknown): string[] {
  const declared = document.paths[path]?.[method]?.responses[String(status)];
  if (!declared) return [`${method} ${path} does not declare ${status}`];
  const response = declared.$ref ? document.components.responses[declared.$ref.split('/').pop()!]! : declared;
  const content = response.content?.['application/json'];
  if (!content) return [`${method} ${path} ${status} has no JSON body`];
  let schema = content.schema as { $ref?: string };
  if (schema.$ref) schema = document.components.schemas[schema.$ref.split('/').pop()!]!;
  const check = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
  return check(body) ? [] : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

interface PrismProcess {
  url: string;
  output: string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const PRISM = join(dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');

/** `prism proxy <document> <upstream> --errors` on a free loopback port, until it says it listens. */
async function startPrism(document: string, upstream: string, extra: string[] = []): Promise<PrismProcess> {
  const port = await freePort();
  const args = [PRISM, 'proxy', document, upstream, '--errors', '--host', '127.0.0.1', '--port', String(port), ...extra];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start within 60 s:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString('utf8'));
      if (output.join('').includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited with ${code}:\n${output.join('')}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Reply {
  status: number;
  contentType: string | undefined;
  /** What Prism found wrong with the request or the answer (none: undefined). */
  violations: { location: string[]; severity: string; message: string }[] | undefined;
  retryAfter: string | undefined;
  body: Record<string, unknown> & { code?: string };
}

/** One call through a proxy: JSON in, JSON out, with Prism's verdict. */
async function call(
  proxy: PrismProcess,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const reply = await rawRequest(proxy.url, { method, path, body, headers });
  const violations = reply.headers['sl-violations'];
  return {
    status: reply.status,
    contentType: reply.headers['content-type'],
    violations: violations === undefined ? undefined : JSON.parse(String(violations)),
    retryAfter: reply.headers['retry-after'] as string | undefined,
    body: reply.body ? JSON.parse(reply.body) : {},
  };
}

/** The answer came from the server (not generated by Prism), with this status and no violation. */
function expectClean(reply: Reply, status: number, code?: string): void {
  expect({ status: reply.status, violations: reply.violations }, JSON.stringify(reply.body)).toEqual({ status, violations: undefined });
  expect(reply.contentType).toMatch(/^application\/json/);
  if (code) expect(reply.body.code).toBe(code);
}

beforeAll(async () => {
  // A small body limit, a small approval queue, a tight anonymous door: every refusal can be met.
  server = await startServer(join(scratch.path, 'proxy.sqlite'), {
    METALYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    METALYARD_MAX_BODY_BYTES: '16384',
    METALYARD_MAX_DECLARED: '2',
    METALYARD_ANON_RATE: '1',
    METALYARD_ANON_BURST: '12',
    METALYARD_POWER_TIMEOUT: '2s',
    METALYARD_POWER_SYNC_INTERVAL: '0',
  });
  document = (await (await fetch(`${server.url}/openapi.json`)).json()) as OpenApiDocument;
  const file = join(scratch.path, 'openapi.json');
  writeFileSync(file, JSON.stringify(document));
  // The document as it was before the error map declared 409s: the proxy must flag the server's answer.
  const stale: OpenApiDocument = JSON.parse(JSON.stringify(document));
  delete stale.paths['/v1/nodes/acquire']!.post!.responses['409'];
  const staleFile = join(scratch.path, 'openapi-without-409.json');
  writeFileSync(staleFile, JSON.stringify(stale));
  // The routes are under /api on the server; Prism serves the document's paths (/v1/...) at its root.
  // Two proxies, not three, on a machine of two cores: the lenient one reads the document less the
  // acquire 409, which none of its other calls can meet, and shows that Prism flags what is undeclared.
  [strict, lenient] = await Promise.all([
    startPrism(file, `${server.url}/api`),
    startPrism(staleFile, `${server.url}/api`, ['--validate-request', 'false']),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([strict?.stop(), lenient?.stop()]);
  expect(await server?.stop()).toBe(0);
  scratch.remove();
});

describe('the REST flow through a validating proxy', () => {
  let session: string;
  let declaredId: string;

  it('enlist (anonymous → declared, user → ready), login, list', async () => {
    const declared = await call(strict, 'POST', '/v1/enlist', { body: { architecture: 'amd64/generic', macAddresses: [nextMac()] } });
    expectClean(declared, 200);
    expect(declared.body.status).toBe('declared');
    declaredId = declared.body.systemId as string;

    const login = await call(strict, 'POST', '/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expectClean(login, 200);
    session = login.body.token as string;

    const ready = await call(strict, 'POST', '/v1/nodes', {
      token: session,
      body: { hostname: 'rack1-n2', architecture: 'arm64/generic', macAddresses: ['5254.0012.3457'] },
    });
    expectClean(ready, 200);
    expect(ready.body.status).toBe('ready');

    const waiting = await call(strict, 'GET', '/v1/nodes?status=declared', { token: session });
    expectClean(waiting, 200);
    expect((waiting.body.items as { systemId: string }[]).map((node) => node.systemId)).toEqual([declaredId]);
    expectClean(await call(strict, 'GET', `/v1/nodes/${declaredId}`, { token: session }), 200);
    expectClean(await call(strict, 'GET', '/v1/me', { token: session }), 200);
  });

  it('accept, acquire, deploy, the deployment report, release', async () => {
    const accepted = await call(strict, 'POST', '/v1/nodes/accept', { token: session, body: { systemIds: [declaredId] } });
    expectClean(accepted, 200);
    expect(accepted.body.accepted).toEqual([declaredId]);

    const acquired = await call(strict, 'POST', '/v1/nodes/acquire', { token: ADMIN_TOKEN, body: { architecture: 'amd64/generic' } });
    expectClean(acquired, 200);
    expect(acquired.body).toMatchObject({ systemId: declaredId, status: 'allocated', owner: 'admin' });

    const deploying = await call(strict, 'POST', `/v1/nodes/${declaredId}/deploy`, { token: ADMIN_TOKEN, body: { comment: 'via prism' } });
    expectClean(deploying, 200);
    expect(deploying.body.status).toBe('deploying');
    const report = await call(strict, 'POST', `/v1/nodes/${declaredId}/deployment-report`, {
      token: deploying.body.machineToken as string,
      body: { result: 'passed' },
    });
    expectClean(report, 200);
    expect(report.body).toEqual({ systemId: declaredId, status: 'deployed' });

    const released = await call(strict, 'POST', `/v1/nodes/${declaredId}/release`, { token: ADMIN_TOKEN, body: {} });
    expectClean(released, 200);
    expect(released.body).toMatchObject({ status: 'ready', owner: null });
    expectClean(await call(strict, 'GET', '/v1/events?limit=5', { token: ADMIN_TOKEN }), 200);
  });

  it('409 (acquire with nothing to acquire, a transition the state forbids, a taken MAC), 404, 401, 403', async () => {
    expectClean(await call(strict, 'POST', '/v1/nodes/acquire', { token: ADMIN_TOKEN, body: { zone: 'nowhere' } }), 409, 'CONFLICT');
    // Deploying needs an allocated node; this one is ready again.
    expectClean(await call(strict, 'POST', `/v1/nodes/${declaredId}/deploy`, { token: ADMIN_TOKEN, body: {} }), 409, 'CONFLICT');
    const mac = nextMac();
    expectClean(
      await call(strict, 'POST', '/v1/nodes', { token: ADMIN_TOKEN, body: { architecture: 'amd64/generic', macAddresses: [mac] } }),
      200,
    );
    expectClean(
      await call(strict, 'POST', '/v1/enlist', { body: { architecture: 'amd64/generic', macAddresses: [mac] } }),
      409,
      'CONFLICT',
    );

    expectClean(await call(strict, 'GET', '/v1/nodes/aaaaaa', { token: ADMIN_TOKEN }), 404, 'NOT_FOUND');
    expectClean(await call(strict, 'POST', '/v1/nodes/aaaaaa/release', { token: ADMIN_TOKEN, body: {} }), 404, 'NOT_FOUND');

    // A token the server does not know (Prism itself answers a request with none).
    expectClean(await call(strict, 'GET', '/v1/nodes', { token: 'not-a-token' }), 401, 'UNAUTHORIZED');
    expectClean(
      await call(strict, 'POST', '/v1/auth/login', { body: { username: 'admin', password: 'wrong password' } }),
      401,
      'UNAUTHORIZED',
    );

    const created = await call(strict, 'POST', '/v1/users', {
      token: ADMIN_TOKEN,
      body: { username: 'bob', password: 'bob-long-password' },
    });
    expectClean(created, 200);
    const bob = await call(strict, 'POST', '/v1/auth/login', { body: { username: 'bob', password: 'bob-long-password' } });
    expectClean(bob, 200);
    expectClean(
      await call(strict, 'POST', '/v1/nodes/accept', { token: bob.body.token as string, body: { systemIds: [declaredId] } }),
      403,
      'FORBIDDEN',
    );
  });

  it('400 (input the document forbids), 413, 415 (a POST without Content-Type), from the server itself', async () => {
    const invalid = await call(lenient, 'POST', '/v1/enlist', { body: { architecture: 'vax/generic', macAddresses: ['nope'] } });
    expectClean(invalid, 400, 'BAD_REQUEST');
    expect(invalid.body.data).toMatchObject({ fieldErrors: { architecture: expect.any(Array) } });
    expectClean(await call(lenient, 'GET', '/v1/nodes?limit=many', { token: ADMIN_TOKEN }), 400, 'BAD_REQUEST');
    expectClean(
      await call(lenient, 'POST', '/v1/nodes/acquire', { token: ADMIN_TOKEN, rawBody: JSON.stringify({ hostname: 'x'.repeat(20_000) }) }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expectClean(await call(lenient, 'POST', '/v1/nodes/acquire', { token: ADMIN_TOKEN, rawBody: '{}', contentType: 'text/plain' }), 415);
  });

  it('malformed JSON, a body of another type and a missing token, which Prism cannot forward, answer what the document says', async () => {
    // Prism's body parser never answers these: they go to the server directly, and each answer is
    // checked against the document by a JSON Schema validator (Ajv, draft 2020-12 as OpenAPI 3.1 is).
    const direct = (rawBody: string, contentType: string) =>
      rawRequest(server.url, {
        path: '/api/v1/nodes/acquire',
        body: rawBody,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': contentType },
      });
    for (const [reply, status, code] of [
      [await direct('{"zone":', 'application/json'), 400, 'PARSE_ERROR'],
      [await direct('zone=a', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ] as const) {
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(reply.body) as { code: string };
      expect(body.code).toBe(code);
      expect(validateAnswer('post', '/v1/nodes/acquire', status, body)).toEqual([]);
    }
    // Prism answers a request without the bearer token itself; the server's own answer is checked here.
    const anonymous = await rawRequest(server.url, { method: 'GET', path: '/api/v1/nodes' });
    expect(anonymous.status).toBe(401);
    expect(validateAnswer('get', '/v1/nodes', 401, JSON.parse(anonymous.body))).toEqual([]);
    // The checker does catch an answer off the schema.
    expect(validateAnswer('get', '/v1/nodes', 401, { message: 42 })).not.toEqual([]);
  });

  it('502: a BMC that does not answer', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const node = await call(strict, 'POST', '/v1/nodes', {
      token: ADMIN_TOKEN,
      body: {
        architecture: 'amd64/generic',
        macAddresses: [nextMac()],
        powerType: 'webhook',
        powerParameters: { powerOnUrl: `${dead}/on`, powerOffUrl: `${dead}/off`, powerStatusUrl: `${dead}/status` },
      },
    });
    expectClean(node, 200);
    // The route takes no body: the call sends none, and no Content-Type either, as a generated client does.
    expectClean(
      await call(strict, 'POST', `/v1/nodes/${node.body.systemId as string}/power/on`, { token: ADMIN_TOKEN }),
      502,
      'BAD_GATEWAY',
    );
  });

  it('503: the approval queue is full; 429: the anonymous door is shut, both with Retry-After', async () => {
    // One machine waits already (the taken-MAC test's enlist did not add one); the queue holds two.
    const replies: Reply[] = [];
    for (let i = 0; i < 3; i += 1) {
      replies.push(await call(strict, 'POST', '/v1/enlist', { body: { architecture: 'amd64/generic', macAddresses: [nextMac()] } }));
    }
    const full = replies.find((reply) => reply.status === 503);
    expect(full, JSON.stringify(replies.map((reply) => reply.status))).toBeDefined();
    expectClean(full!, 503, 'SERVICE_UNAVAILABLE');

    let limited: Reply | undefined;
    for (let i = 0; i < 30 && !limited; i += 1) {
      const reply = await call(strict, 'POST', '/v1/auth/login', { body: { username: 'nobody', password: 'whatever-it-is' } });
      if (reply.status === 429) limited = reply;
    }
    expect(limited).toBeDefined();
    expectClean(limited!, 429, 'TOO_MANY_REQUESTS');
    expect(Number(limited!.retryAfter)).toBeGreaterThan(0);
  });

  it('the proxy does flag what the document does not declare (the 409 the document used to omit)', async () => {
    const reply = await call(lenient, 'POST', '/v1/nodes/acquire', { token: ADMIN_TOKEN, body: { zone: 'nowhere' } });
    expect(reply.status).toBe(409);
    expect(reply.violations).toEqual([
      expect.objectContaining({ location: ['response'], message: expect.stringContaining('status code') }),
    ]);
  });
});
