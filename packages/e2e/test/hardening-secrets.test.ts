import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, manage, nextMac, onPostgres, rawRequest, scratchDir, startServer, type ServerProcess } from './harness.js';

/** Secrets must not leak: not in answers to non-admins, not in the log, not in events; tokens only as hashes. */

const scratch = scratchDir();
const databaseUrl = `${scratch.path}/secrets.sqlite`;
const marker = `s3cr3t-${randomBytes(6).toString('hex')}`;
/** Every power parameter key the server treats as secret, each with its own findable value. */
const SECRETS = {
  password: `${marker}-password`,
  power_pass: `${marker}-power-pass`,
  api_key: `${marker}-api-key`,
  auth_token: `${marker}-auth-token`,
  client_secret: `${marker}-client-secret`,
};
const powerParameters = { address: '127.0.0.10', username: 'bmc-admin', ...SECRETS };

let server: ServerProcess;
let userToken: string;
let exitCode: number | null;
/** The raw text of every answer a non-admin got. */
const nonAdminAnswers: string[] = [];
const adminAnswers: string[] = [];

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` });

beforeAll(async () => {
  userToken = await manage(databaseUrl, 'createuser', '--username', 'alice');
  server = await startServer(databaseUrl, { METALYARD_LOG_LEVEL: 'debug', METALYARD_ANON_RATE: '0' });
  const mac = nextMac();
  const enlistBody = JSON.stringify({ architecture: 'amd64/generic', macAddresses: [mac], powerType: 'virsh', powerParameters });
  const post = (path: string, body: string, headers: Record<string, string>) => rawRequest(server.url, { path, body, headers });
  const query = (path: string, input: unknown, headers: Record<string, string>) =>
    rawRequest(server.url, { method: 'GET', path: `${path}?input=${encodeURIComponent(JSON.stringify(input))}`, headers });

  // Anonymous: enlist, enlist again (the same node back), and refused inputs carrying the secrets.
  const enlisted = await post('/trpc/enlist', enlistBody, json);
  expect(enlisted.status).toBe(200);
  const { systemId } = (JSON.parse(enlisted.body) as { result: { data: { systemId: string } } }).result.data;
  const anonymous = [
    enlisted,
    await post('/trpc/enlist', enlistBody, json),
    await post(
      '/trpc/enlist',
      JSON.stringify({ architecture: 'amd64/generic', macAddresses: ['not-a-mac'], powerType: 'virsh', powerParameters }),
      json,
    ),
    await post(
      '/trpc/enlist',
      JSON.stringify({
        architecture: 'amd64/generic',
        macAddresses: [nextMac()],
        powerParameters: { ...powerParameters, Password: marker, password: `${marker}${'x'.repeat(2000)}` },
      }),
      json,
    ),
    await post(
      '/trpc/enlist',
      JSON.stringify({ architecture: 'amd64/generic', macAddresses: [mac], hostname: 'taken-by-no-one', powerParameters, status: 'ready' }),
      json,
    ),
    await post('/trpc/enlist', `{"architecture":"amd64/generic","powerParameters":${JSON.stringify(powerParameters)}`, json),
  ];
  // A user without admin rights: read, trust (accept by re-enlisting), acquire, release, batch.
  const user = bearer(userToken);
  const asUser = [
    await query('/trpc/protected.nodes.get', { systemId }, user),
    await query('/trpc/protected.nodes.list', {}, user),
    await post('/trpc/protected.enlist', enlistBody, user),
    await post('/trpc/protected.nodes.acquire', JSON.stringify({ systemId }), user),
    await query('/trpc/protected.nodes.get', { systemId }, user),
    await post('/trpc/protected.nodes.release', JSON.stringify({ systemId }), user),
    await rawRequest(server.url, {
      method: 'GET',
      path: `/trpc/protected.nodes.get,protected.nodes.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { systemId }, 1: {} }))}`,
      headers: user,
    }),
    await post('/trpc/protected.nodes.accept', JSON.stringify({ systemIds: [systemId] }), user),
  ];
  // The calls must really have succeeded (or been refused) as meant, or the search below proves nothing.
  expect(anonymous.map((reply) => reply.status)).toEqual([200, 200, 400, 400, 400, 400]);
  expect(asUser.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 403]);
  nonAdminAnswers.push(...[...anonymous, ...asUser].map((reply) => `${reply.status} ${reply.body}`));
  const admin = bearer(ADMIN_TOKEN);
  adminAnswers.push(
    ...[await query('/trpc/protected.nodes.get', { systemId }, admin), await query('/trpc/protected.nodes.list', {}, admin)].map(
      (reply) => reply.body,
    ),
  );
  exitCode = await server.stop();
});

afterAll(() => scratch.remove());

const leaks = (texts: string[]) => texts.filter((text) => text.includes(marker));

it('never shows a BMC secret to a non-admin, whatever the call and however it ends', () => {
  expect(nonAdminAnswers).toHaveLength(14);
  expect(leaks(nonAdminAnswers)).toEqual([]);
});

it('shows admins the power parameters with every secret masked', () => {
  expect(leaks(adminAnswers)).toEqual([]);
  const node = (JSON.parse(adminAnswers[0]!) as { result: { data: { powerParameters: Record<string, string> } } }).result.data;
  expect(node.powerParameters).toEqual({
    address: '127.0.0.10',
    username: 'bmc-admin',
    ...Object.fromEntries(Object.keys(SECRETS).map((key) => [key, '********'])),
  });
});

it('writes no secret and no token to its log, even at debug level', () => {
  expect(exitCode).toBe(0);
  // One line per request (16 above), so the search below reads what the requests logged.
  expect(server.output.filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(16);
  const log = server.output.join('\n');
  expect(leaks([log])).toEqual([]);
  expect(log).not.toContain(userToken);
  expect(log).not.toContain(ADMIN_TOKEN);
});

it.skipIf(onPostgres)('keeps secrets out of the events and tokens in the database only as SHA-256 hashes', () => {
  const file = new Sqlite(databaseUrl, { readonly: true });
  try {
    expect(leaks([JSON.stringify(file.prepare('select * from node_event').all())])).toEqual([]);
    const tokens = JSON.stringify(file.prepare('select * from api_token').all());
    expect(tokens).not.toContain(userToken);
    expect(tokens).not.toContain(ADMIN_TOKEN);
    const hashes = file.prepare('select token_hash from api_token').pluck().all();
    const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
    expect(hashes).toEqual(expect.arrayContaining([sha256(userToken), sha256(ADMIN_TOKEN)]));
  } finally {
    file.close();
  }
  // Nowhere in the file's bytes either (nor in a write-ahead log, if one is left).
  for (const path of [databaseUrl, `${databaseUrl}-wal`].filter(existsSync)) {
    const bytes = readFileSync(path);
    expect(bytes.includes(userToken), path).toBe(false);
    expect(bytes.includes(ADMIN_TOKEN), path).toBe(false);
  }
});
