import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, nextMac, rawRequest, scratchDir, startServer, type RawReply, type ServerProcess } from './harness.js';

/**
 * Single calls (unbatched, or a batch of one) are answered by the server's direct path
 * (apps/server/src/trpc-direct.ts), everything else by tRPC's own handler. A `trpc-accept` header
 * that is not `application/jsonl` sends a call to tRPC's handler without changing what tRPC does with
 * it, so each request here is sent both ways and the two answers must be the same.
 */
const scratch = scratchDir();
let server: ServerProcess;
beforeAll(async () => {
  server = await startServer(`${scratch.path}/direct.sqlite`, {
    METALYARD_ANON_RATE: '1',
    METALYARD_ANON_BURST: '4',
    METALYARD_MAX_DECLARED: '2',
  });
});
afterAll(async () => {
  await server.stop();
  scratch.remove();
});

const json = { 'content-type': 'application/json' };
const admin = { ...json, authorization: `Bearer ${ADMIN_TOKEN}` };
const enlistBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ architecture: 'amd64/generic', macAddresses: [nextMac()], ...extra });

/** What must match: the status, the headers a client reads, and the body with per-request values masked. */
function comparable(reply: RawReply): string {
  const body = reply.body
    .replace(/"requestId":"[^"]+"/g, '"requestId":"…"')
    .replace(/"(systemId|hostname|createdAt|updatedAt)":"[^"]*"/g, '"$1":"…"')
    .replace(/"macAddresses":\[[^\]]*\]/g, '"macAddresses":[…]')
    .replace(/node [a-z2-7]{6}/g, 'node …')
    .replace(/\d+ machines are already waiting/g, 'N machines are already waiting');
  const headers = ['content-type', 'vary', 'retry-after', 'allow'].map((name) => `${name}=${String(reply.headers[name])}`);
  return `${reply.status} ${headers.join(' ')} ${body}`;
}

/** The request as the direct path answers it, then as tRPC's handler does (a fresh MAC each time, where one is sent). */
async function bothWays(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: () => string,
): Promise<[string, string, RawReply, RawReply]> {
  const direct = await rawRequest(server.url, { method, path, headers, body: body?.() });
  const trpc = await rawRequest(server.url, { method, path, headers: { ...headers, 'trpc-accept': 'application/json' }, body: body?.() });
  return [comparable(direct), comparable(trpc), direct, trpc];
}

describe('a single tRPC call answered directly', () => {
  it.each([
    ['a mutation', 'POST', '/trpc/protected.enlist', admin, () => enlistBody()],
    ['a batch of one', 'POST', '/trpc/protected.enlist?batch=1', admin, () => JSON.stringify({ 0: JSON.parse(enlistBody()) })],
    ['a query', 'GET', `/trpc/protected.nodes.list?input=${encodeURIComponent('{"limit":1}')}`, admin, undefined],
    ['a query without input', 'GET', '/trpc/protected.users.list', admin, undefined],
    [
      'a batch of one query',
      'GET',
      `/trpc/protected.nodes.list?batch=1&input=${encodeURIComponent('{"0":{"limit":1}}')}`,
      admin,
      undefined,
    ],
  ])('answers %s as tRPC does', async (_label, method, path, headers, body) => {
    const [direct, trpc, directReply, trpcReply] = await bothWays(method, path, headers, body);
    expect(direct).toMatch(/^200 content-type=application\/json vary=trpc-accept, accept /);
    expect(direct).toBe(trpc);
    // Which path answered: the direct one sends a length, tRPC's handler streams its answer in chunks.
    expect(directReply.headers['content-length']).toBe(String(Buffer.byteLength(directReply.body)));
    expect(trpcReply.headers['transfer-encoding']).toBe('chunked');
  });

  it.each([
    ['400 with field messages', 'POST', '/trpc/protected.enlist', admin, () => '{"architecture":"vax","macAddresses":["zz"]}'],
    ['400 for a NUL', 'POST', '/trpc/protected.enlist', admin, () => enlistBody({ hostname: 'a\u0000b' })],
    ['400 for a body that is not JSON', 'POST', '/trpc/protected.enlist', admin, () => '{"architecture":'],
    ['400 for an empty body', 'POST', '/trpc/protected.enlist', admin, () => ''],
    ['400 for a query input that is not JSON', 'GET', '/trpc/protected.nodes.list?input=%7Bbad', admin, undefined],
    ['401 without a token', 'POST', '/trpc/protected.enlist', json, () => enlistBody()],
    [
      '401 for an unknown token',
      'POST',
      '/trpc/protected.enlist',
      { ...json, authorization: 'Bearer no-such-token-0123456789abcdef' },
      () => enlistBody(),
    ],
    ['404 for an unknown node', 'GET', `/trpc/protected.nodes.get?input=${encodeURIComponent('{"systemId":"nosuch"}')}`, admin, undefined],
    ['404 for an unknown procedure', 'POST', '/trpc/protected.nosuch', admin, () => '{}'],
    ['405 for a query sent as POST', 'POST', '/trpc/protected.nodes.list', admin, () => '{}'],
    ['405 for a mutation sent as GET', 'GET', '/trpc/protected.enlist', admin, undefined],
    ['409 naming the state', 'POST', '/trpc/protected.nodes.release', admin, () => '{"systemId":"nosuch"}'],
    ['415 for another content type', 'POST', '/trpc/protected.enlist', { ...admin, 'content-type': 'text/plain' }, () => enlistBody()],
    [
      'a batch of two (tRPC answers both ways)',
      'POST',
      '/trpc/protected.nodes.acquire,protected.nodes.acquire?batch=1',
      admin,
      () => '{"0":{},"1":{}}',
    ],
    ['a batch whose input is not under "0"', 'POST', '/trpc/protected.nodes.acquire?batch=1', admin, () => '{"1":{}}'],
  ])('refuses as tRPC does: %s', async (_label, method, path, headers, body) => {
    const [direct, trpc] = await bothWays(method, path, headers, body);
    expect(direct).toBe(trpc);
  });

  it('answers 503 and 429 with Retry-After as tRPC does', async () => {
    const enlist = () => rawRequest(server.url, { path: '/trpc/enlist', headers: json, body: enlistBody() });
    const viaTrpc = () =>
      rawRequest(server.url, { path: '/trpc/enlist', headers: { ...json, 'trpc-accept': 'application/json' }, body: enlistBody() });
    const answers = [await enlist(), await enlist(), await enlist(), await viaTrpc(), await enlist(), await viaTrpc()];
    expect(answers.map((reply) => reply.status)).toEqual([200, 200, 503, 503, 429, 429]);
    expect(comparable(answers[2]!)).toBe(comparable(answers[3]!));
    expect(comparable(answers[4]!)).toBe(comparable(answers[5]!));
    expect(Number(answers[4]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
