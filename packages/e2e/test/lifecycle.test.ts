import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetalyardClient } from '@metalyard/sdk';
import { ADMIN_TOKEN, client, failure, manage, nextMac, scratchDir, startServer, type ServerProcess } from './harness.js';

const scratch = scratchDir();
const databaseUrl = `${scratch.path}/metalyard.sqlite`;
let server: ServerProcess;
let anonymous: MetalyardClient;
let admin: MetalyardClient;
let alice: MetalyardClient;
let bob: MetalyardClient;

beforeAll(async () => {
  // Users made with the management command before the server starts, as an operator would.
  const aliceToken = await manage(databaseUrl, 'createuser', '--username', 'alice');
  const bobToken = await manage(databaseUrl, 'createuser', '--username', 'bob');
  server = await startServer(databaseUrl);
  anonymous = client(server.url);
  admin = client(server.url, ADMIN_TOKEN);
  alice = client(server.url, aliceToken);
  bob = client(server.url, bobToken);
});

afterAll(async () => {
  expect(await server.stop()).toBe(0);
  scratch.remove();
});

describe('enlistment', () => {
  it('lands an anonymous machine in declared and a user-enlisted one in ready', async () => {
    const declared = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: ['AA-BB-CC-00-00-01'] });
    expect(declared.status).toBe('declared');
    expect(declared.systemId).toMatch(/^[a-z2-7]{6}$/);
    expect(declared.macAddresses).toEqual(['aa:bb:cc:00:00:01']);
    expect(declared.owner).toBeNull();
    expect(new Date(declared.createdAt).toISOString()).toBe(declared.createdAt);

    const ready = await alice.protected.enlist.mutate({
      hostname: 'rack1-node7',
      architecture: 'arm64/generic',
      macAddresses: ['aabb.cc00.0002'],
    });
    expect(ready.status).toBe('ready');
    expect(ready.hostname).toBe('rack1-node7');
    expect(await alice.protected.nodes.get.query({ systemId: ready.systemId })).toEqual(ready);
  });

  it('returns the same declared node when a machine enlists again', async () => {
    const mac = nextMac();
    const first = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac] });
    const again = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac.toUpperCase()] });
    expect(again).toEqual(first);
  });

  it('accepts a declared node when a user enlists it', async () => {
    const mac = nextMac();
    const declared = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac] });
    const trusted = await alice.protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac] });
    expect(trusted.systemId).toBe(declared.systemId);
    expect(trusted.status).toBe('ready');
  });

  it('refuses a MAC that belongs to a node past declared, naming the node', async () => {
    const mac = nextMac();
    const ready = await admin.protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac] });
    const refused = await failure(anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac] }));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain(ready.systemId);
  });

  it('refuses a taken hostname with 409', async () => {
    await admin.protected.enlist.mutate({ hostname: 'unique-one', architecture: 'amd64/generic', macAddresses: [nextMac()] });
    const refused = await failure(
      anonymous.enlist.mutate({ hostname: 'unique-one', architecture: 'amd64/generic', macAddresses: [nextMac()] }),
    );
    expect(refused.status).toBe(409);
    expect(refused.message).toContain('unique-one');
  });

  it('keeps power parameters from anyone but admins, and masks the password even for them', async () => {
    const node = await anonymous.enlist.mutate({
      architecture: 'amd64/generic',
      macAddresses: [nextMac()],
      powerType: 'ipmi',
      powerParameters: { address: '127.0.9.7', username: 'root', password: 'bmc-secret-e2e' },
    });
    expect(JSON.stringify(node)).not.toContain('bmc-secret-e2e');
    expect(node.powerParameters).toBeUndefined();
    expect((await alice.protected.nodes.get.query({ systemId: node.systemId })).powerParameters).toBeUndefined();
    expect((await admin.protected.nodes.get.query({ systemId: node.systemId })).powerParameters).toEqual({
      address: '127.0.9.7',
      username: 'root',
      password: '********',
    });
    expect(server.output.join('\n')).not.toContain('bmc-secret-e2e');
  });
});

describe('accept, acquire, release', () => {
  it('takes a machine from declared to allocated and back to ready', async () => {
    const node = await anonymous.enlist.mutate({ architecture: 'riscv64/generic', macAddresses: [nextMac()] });
    expect(await admin.protected.nodes.accept.mutate({ systemIds: [node.systemId] })).toEqual({ accepted: [node.systemId] });
    // Accepting a ready node again is a no-op.
    expect(await admin.protected.nodes.accept.mutate({ systemIds: [node.systemId] })).toEqual({ accepted: [] });

    const acquired = await alice.protected.nodes.acquire.mutate({ architecture: 'riscv64/generic' });
    expect(acquired).toMatchObject({ systemId: node.systemId, status: 'allocated', owner: 'alice' });

    expect((await failure(bob.protected.nodes.release.mutate({ systemId: node.systemId }))).status).toBe(403);
    const released = await alice.protected.nodes.release.mutate({ systemId: node.systemId });
    expect(released).toMatchObject({ status: 'ready', owner: null });
    // Releasing a ready node changes nothing.
    expect(await alice.protected.nodes.release.mutate({ systemId: node.systemId })).toMatchObject({ status: 'ready' });
  });

  it('lets an admin release anyone’s node', async () => {
    const node = await admin.protected.enlist.mutate({ architecture: 's390x/generic', macAddresses: [nextMac()] });
    await bob.protected.nodes.acquire.mutate({ systemId: node.systemId });
    expect(await admin.protected.nodes.release.mutate({ systemId: node.systemId })).toMatchObject({ status: 'ready', owner: null });
  });

  it('refuses to accept an allocated node with 409 naming it and its state, accepting nothing', async () => {
    const allocated = await admin.protected.enlist.mutate({ architecture: 'armhf/generic', macAddresses: [nextMac()] });
    await alice.protected.nodes.acquire.mutate({ systemId: allocated.systemId });
    const declared = await anonymous.enlist.mutate({ architecture: 'armhf/generic', macAddresses: [nextMac()] });
    const refused = await failure(admin.protected.nodes.accept.mutate({ systemIds: [declared.systemId, allocated.systemId] }));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain(allocated.systemId);
    expect(refused.message).toContain('allocated');
    expect((await admin.protected.nodes.get.query({ systemId: declared.systemId })).status).toBe('declared');
  });

  it('explains why nothing could be acquired', async () => {
    const { counts } = await admin.protected.nodes.list.query({});
    expect(counts.ready).toBeGreaterThan(0);
    const refused = await failure(alice.protected.nodes.acquire.mutate({ architecture: 'ppc64el/generic' }));
    expect(refused.status).toBe(409);
    // No ppc64el node exists in any state, so nothing is said about other states.
    expect(refused.message).toBe(`no ready node matches: ${counts.ready} ready node(s), none with architecture ppc64el/generic`);
  });

  it('refuses to release a declared node with 409', async () => {
    const node = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
    const refused = await failure(admin.protected.nodes.release.mutate({ systemId: node.systemId }));
    expect(refused.status).toBe(409);
    expect(refused.message).toContain('declared');
  });
});

describe('listing', () => {
  it('pages through every node once, in a stable order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof admin.protected.nodes.list.query>> = await admin.protected.nodes.list.query({
        limit: 3,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((node) => node.systemId));
      cursor = page.nextCursor;
    } while (cursor);
    const all = await admin.protected.nodes.list.query({ limit: 1000 });
    expect(all.nextCursor).toBeNull();
    expect(seen).toEqual(all.items.map((node) => node.systemId));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by status', async () => {
    const page = await alice.protected.nodes.list.query({ status: 'declared' });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((node) => node.status === 'declared')).toBe(true);
  });
});

describe('refusals', () => {
  it('answers 401 without a token, with a malformed one and with an unknown one', async () => {
    expect((await failure(anonymous.protected.nodes.list.query({}))).status).toBe(401);
    expect((await failure(client(server.url, 'not a token').protected.nodes.list.query({}))).status).toBe(401);
    expect(
      (
        await failure(
          client(server.url, 'mly_' + 'x'.repeat(43)).protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] }),
        )
      ).status,
    ).toBe(401);
  });

  it('answers 403 when a plain user accepts', async () => {
    const node = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
    expect((await failure(alice.protected.nodes.accept.mutate({ systemIds: [node.systemId] }))).status).toBe(403);
  });

  it('answers 404 for an unknown node', async () => {
    expect((await failure(alice.protected.nodes.get.query({ systemId: 'aaaaaa' }))).status).toBe(404);
    expect((await failure(admin.protected.nodes.accept.mutate({ systemIds: ['aaaaaa'] }))).status).toBe(404);
  });

  it.each([
    ['an unknown architecture', { architecture: 'vax/generic', macAddresses: ['aa:bb:cc:dd:ee:10'] }, 'architecture'],
    ['a malformed MAC', { architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee'] }, 'macAddresses.0'],
    ['mixed MAC separators', { architecture: 'amd64/generic', macAddresses: ['aa:bb-cc:dd:ee:ff'] }, 'macAddresses.0'],
    ['no MAC', { architecture: 'amd64/generic', macAddresses: [] }, 'macAddresses'],
    [
      '65 MACs',
      {
        architecture: 'amd64/generic',
        macAddresses: Array.from({ length: 65 }, (_, i) => `02:00:00:00:01:${i.toString(16).padStart(2, '0')}`),
      },
      'macAddresses',
    ],
    ['a bad hostname', { hostname: '-bad-.example', architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:11'] }, 'hostname'],
    ['a 64-character label', { hostname: 'a'.repeat(64), architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:12'] }, 'hostname'],
    ['a status', { architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:13'], status: 'ready' }, ''],
    ['an owner', { architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:14'], owner: 'alice' }, ''],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_name, input, field) => {
    const before = await admin.protected.nodes.list.query({ limit: 1000 });
    const refused = await failure(anonymous.enlist.mutate(input as never));
    expect(refused.status).toBe(400);
    expect(refused.data?.fieldErrors).toHaveProperty([field]);
    if (field) expect(refused.message).toContain(field);
    expect(refused.data).not.toHaveProperty('stack');
    expect((await admin.protected.nodes.list.query({ limit: 1000 })).items).toEqual(before.items);
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(`${server.url}/trpc/enlist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"architecture":',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; data: Record<string, unknown> } };
    expect(body.error.message).toMatch(/malformed JSON/);
    expect(body.error.data).not.toHaveProperty('stack');
  });

  it('answers a body over 1 MiB with 413 before reading it', async () => {
    const response = await fetch(`${server.url}/trpc/enlist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ architecture: 'amd64/generic', macAddresses: ['aa:bb:cc:dd:ee:20'], hostname: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
  });

  it('answers a chunked body over 1 MiB with 413 too', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 32) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await fetch(`${server.url}/trpc/enlist`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('serves /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
