import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NODE_STATUSES, type NodeStatus } from '@metalyard/domain';
import { callerWith, expectInvalidInput, expectTRPCError, mac, machine, openYard, signIn, type Caller, type Yard } from '../harness.js';

let db: Yard;
let anonymous: Caller;
let admin: Caller;
let alice: Caller;
let bob: Caller;

beforeEach(async () => {
  db = await openYard();
  anonymous = callerWith(db, null);
  admin = (await signIn(db, 'root', 'admin')).caller;
  alice = (await signIn(db, 'alice', 'user')).caller;
  bob = (await signIn(db, 'bob', 'user')).caller;
});
afterEach(async () => {
  await db.close();
});

/** Counts with every status at zero but the given ones. */
function counts(nonZero: Partial<Record<NodeStatus, number>>): Record<NodeStatus, number> {
  return { ...(Object.fromEntries(NODE_STATUSES.map((status) => [status, 0])) as Record<NodeStatus, number>), ...nonZero };
}

const KINDS = [
  { router: 'tags', kind: 'tag' },
  { router: 'zones', kind: 'zone' },
  { router: 'pools', kind: 'pool' },
] as const;

describe.each(KINDS)('protected.$router', ({ router, kind }) => {
  it('admins create, rename, describe and delete; anyone signed in lists', async () => {
    expect(await admin.protected[router].create({ name: 'rack-1', description: 'first row' })).toEqual({
      name: 'rack-1',
      description: 'first row',
      nodeCount: 0,
    });
    await admin.protected[router].create({ name: 'alpha' });
    expect(await alice.protected[router].list()).toEqual([
      { name: 'alpha', description: '', nodeCount: 0 },
      { name: 'rack-1', description: 'first row', nodeCount: 0 },
    ]);

    expect(await admin.protected[router].update({ name: 'rack-1', newName: 'row-1', description: 'renamed' })).toEqual({
      name: 'row-1',
      description: 'renamed',
      nodeCount: 0,
    });
    expect(await admin.protected[router].delete({ name: 'alpha' })).toEqual({ deleted: 'alpha' });
    expect((await bob.protected[router].list()).map((label) => label.name)).toEqual(['row-1']);
  });

  it('refuses duplicates, unknown names and bad names', async () => {
    await admin.protected[router].create({ name: 'a' });
    await admin.protected[router].create({ name: 'b' });
    await expectTRPCError(admin.protected[router].create({ name: 'a' }), 'CONFLICT', `${kind} 'a' already exists`);
    await expectTRPCError(admin.protected[router].update({ name: 'b', newName: 'a' }), 'CONFLICT', `${kind} 'a' already exists`);
    await expectTRPCError(admin.protected[router].update({ name: 'zz', description: 'x' }), 'NOT_FOUND', `${kind} 'zz' does not exist`);
    await expectTRPCError(admin.protected[router].delete({ name: 'zz' }), 'NOT_FOUND', `${kind} 'zz' does not exist`);
    expect(
      Object.keys(await expectInvalidInput(admin.protected[router].create({ name: 'has space' }), `protected.${router}.create`)),
    ).toEqual(['name']);
  });

  it('are changed by admins only, and read by signed-in users only', async () => {
    await admin.protected[router].create({ name: 'x' });
    await expectTRPCError(alice.protected[router].create({ name: 'y' }), 'FORBIDDEN', "user 'alice' is not an admin");
    await expectTRPCError(alice.protected[router].update({ name: 'x', description: 'mine' }), 'FORBIDDEN');
    await expectTRPCError(alice.protected[router].delete({ name: 'x' }), 'FORBIDDEN');
    await expectTRPCError(anonymous.protected[router].list(), 'UNAUTHORIZED');
    expect(await admin.protected[router].list()).toEqual([{ name: 'x', description: '', nodeCount: 0 }]);
  });
});

describe('assigning labels through protected.nodes.update', () => {
  beforeEach(async () => {
    await admin.protected.zones.create({ name: 'rack-1' });
    await admin.protected.zones.create({ name: 'rack-2' });
    await admin.protected.pools.create({ name: 'prod' });
    await admin.protected.tags.create({ name: 'gpu' });
    await admin.protected.tags.create({ name: 'ssd' });
  });

  it('sets zone, pool and tags, counts them on the label, and records an update event', async () => {
    const node = await admin.protected.enlist(machine(1));
    const updated = await admin.protected.nodes.update({ systemId: node.systemId, zone: 'rack-1', pool: 'prod', tags: ['ssd', 'gpu'] });
    expect(updated).toMatchObject({ zone: 'rack-1', pool: 'prod', tags: ['gpu', 'ssd'] });
    expect(await alice.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      zone: 'rack-1',
      pool: 'prod',
      tags: ['gpu', 'ssd'],
    });
    expect((await alice.protected.zones.list()).find((zone) => zone.name === 'rack-1')?.nodeCount).toBe(1);
    expect((await alice.protected.tags.list()).map((tag) => tag.nodeCount)).toEqual([1, 1]);

    const [event] = (await admin.protected.events.list({ systemId: node.systemId, type: 'update' })).items;
    expect(event).toMatchObject({ actor: 'root', fromStatus: null, toStatus: null, details: { changed: ['zone', 'pool', 'tags'] } });
  });

  it('clears a zone with null and tags with an empty list', async () => {
    const node = await admin.protected.enlist(machine(1));
    await admin.protected.nodes.update({ systemId: node.systemId, zone: 'rack-1', tags: ['gpu'] });
    expect(await admin.protected.nodes.update({ systemId: node.systemId, zone: null, tags: [] })).toMatchObject({ zone: null, tags: [] });
  });

  it('refuses labels that do not exist', async () => {
    const node = await admin.protected.enlist(machine(1));
    await expectTRPCError(
      admin.protected.nodes.update({ systemId: node.systemId, zone: 'rack-9' }),
      'NOT_FOUND',
      "zone 'rack-9' does not exist",
    );
    await expectTRPCError(
      admin.protected.nodes.update({ systemId: node.systemId, tags: ['gpu', 'fpga'] }),
      'NOT_FOUND',
      "tag 'fpga' does not exist",
    );
    expect(await admin.protected.nodes.get({ systemId: node.systemId })).toMatchObject({ zone: null, tags: [] });
  });

  it('deleting or renaming a label keeps its nodes', async () => {
    const node = await admin.protected.enlist(machine(1));
    await admin.protected.nodes.update({ systemId: node.systemId, zone: 'rack-1', tags: ['gpu', 'ssd'] });
    await admin.protected.zones.delete({ name: 'rack-1' });
    await admin.protected.tags.update({ name: 'gpu', newName: 'a100' });
    expect(await admin.protected.nodes.get({ systemId: node.systemId })).toMatchObject({ zone: null, tags: ['a100', 'ssd'] });
  });
});

describe('who may update what', () => {
  let owned: string;
  beforeEach(async () => {
    await admin.protected.zones.create({ name: 'rack-1' });
    await admin.protected.pools.create({ name: 'prod' });
    await admin.protected.tags.create({ name: 'ci' });
    owned = (await admin.protected.enlist(machine(1, { hostname: 'n1' }))).systemId;
    await alice.protected.nodes.acquire({ systemId: owned });
  });

  it('the owner may change hostname and tags', async () => {
    expect(await alice.protected.nodes.update({ systemId: owned, hostname: 'alices-box', tags: ['ci'] })).toMatchObject({
      hostname: 'alices-box',
      tags: ['ci'],
    });
  });

  it.each([
    ['powerType', { powerType: 'ipmi' }],
    ['powerParameters', { powerParameters: { address: '10.0.0.9' } }],
    ['zone', { zone: 'rack-1' }],
    ['pool', { pool: 'prod' }],
  ] as const)('the owner may not change %s', async (field, change) => {
    await expectTRPCError(
      alice.protected.nodes.update({ systemId: owned, hostname: 'other', ...change }),
      'FORBIDDEN',
      `only an admin may change ${field}`,
    );
    expect(await alice.protected.nodes.get({ systemId: owned })).toMatchObject({
      hostname: 'n1',
      zone: null,
      pool: null,
      powerType: 'manual',
    });
  });

  it('another user may change nothing', async () => {
    await expectTRPCError(
      bob.protected.nodes.update({ systemId: owned, hostname: 'bobs' }),
      'FORBIDDEN',
      `only the owner of node ${owned} or an admin may update it`,
    );
    const ready = await admin.protected.enlist(machine(2));
    await expectTRPCError(bob.protected.nodes.update({ systemId: ready.systemId, tags: ['ci'] }), 'FORBIDDEN');
  });

  it('an admin may change everything; secrets stay masked', async () => {
    const updated = await admin.protected.nodes.update({
      systemId: owned,
      hostname: 'n1-renamed',
      powerType: 'redfish',
      powerParameters: { address: '127.0.0.9', username: 'root', password: 'hunter2' },
      zone: 'rack-1',
      pool: 'prod',
      tags: ['ci'],
    });
    expect(updated).toMatchObject({
      hostname: 'n1-renamed',
      powerType: 'redfish',
      powerParameters: { address: '127.0.0.9', username: 'root', password: '********' },
      zone: 'rack-1',
      pool: 'prod',
      tags: ['ci'],
      owner: 'alice',
      status: 'allocated',
    });
    const [event] = (await admin.protected.events.list({ systemId: owned, type: 'update' })).items;
    expect(JSON.stringify(event)).not.toContain('hunter2');
  });

  it('a taken hostname is a CONFLICT', async () => {
    await admin.protected.enlist(machine(2, { hostname: 'n2' }));
    await expectTRPCError(alice.protected.nodes.update({ systemId: owned, hostname: 'n2' }), 'CONFLICT', /hostname 'n2' is taken/);
  });
});

describe('protected.nodes.list filters', () => {
  /** n1 amd64 ready rack-1/prod gpu; n2 arm64 allocated (alice) rack-1; n3 amd64 declared; n4 arm64 broken rack-2 gpu; web-5 amd64 allocated (bob) */
  let ids: string[];
  beforeEach(async () => {
    for (const zone of ['rack-1', 'rack-2']) await admin.protected.zones.create({ name: zone });
    await admin.protected.pools.create({ name: 'prod' });
    await admin.protected.tags.create({ name: 'gpu' });
    const n1 = await admin.protected.enlist(machine(1, { hostname: 'db-1' }));
    const n2 = await admin.protected.enlist(machine(2, { hostname: 'db-2', architecture: 'arm64/generic' }));
    const n3 = await anonymous.enlist(machine(3, { hostname: 'db-3' }));
    const n4 = await admin.protected.enlist(machine(4, { hostname: 'cache-4', architecture: 'arm64/generic' }));
    const n5 = await admin.protected.enlist(machine(5, { hostname: 'web-5' }));
    await admin.protected.nodes.update({ systemId: n1.systemId, zone: 'rack-1', pool: 'prod', tags: ['gpu'] });
    await admin.protected.nodes.update({ systemId: n2.systemId, zone: 'rack-1' });
    await admin.protected.nodes.update({ systemId: n4.systemId, zone: 'rack-2', tags: ['gpu'] });
    await alice.protected.nodes.acquire({ systemId: n2.systemId });
    await bob.protected.nodes.acquire({ systemId: n5.systemId });
    await admin.protected.nodes.markBroken({ systemId: n4.systemId, comment: 'dead fan' });
    ids = [n1, n2, n3, n4, n5].map((node) => node.systemId);
  });

  const hosts = async (input: Parameters<Caller['protected']['nodes']['list']>[0]) =>
    (await alice.protected.nodes.list(input)).items.map((node) => node.hostname);

  it('by several statuses, with a count per status for the other filters', async () => {
    const page = await alice.protected.nodes.list({ statuses: ['allocated', 'broken'] });
    expect(page.items.map((node) => node.hostname)).toEqual(['db-2', 'cache-4', 'web-5']);
    expect(page.counts).toEqual(counts({ ready: 1, allocated: 2, declared: 1, broken: 1 }));
    // Counts follow the non-status filters.
    expect((await alice.protected.nodes.list({ architecture: 'arm64/generic', status: 'ready' })).counts).toEqual(
      counts({ allocated: 1, broken: 1 }),
    );
  });

  it('by architecture, tag, zone, pool and owner', async () => {
    expect(await hosts({ architecture: 'arm64/generic' })).toEqual(['db-2', 'cache-4']);
    expect(await hosts({ tag: 'gpu' })).toEqual(['db-1', 'cache-4']);
    expect(await hosts({ zone: 'rack-1' })).toEqual(['db-1', 'db-2']);
    expect(await hosts({ pool: 'prod' })).toEqual(['db-1']);
    expect(await hosts({ owner: 'bob' })).toEqual(['web-5']);
    expect(await hosts({ owner: 'nobody' })).toEqual([]);
  });

  it('by hostname prefix and by MAC (in any notation)', async () => {
    expect(await hosts({ hostnamePrefix: 'DB-' })).toEqual(['db-1', 'db-2', 'db-3']);
    expect(await hosts({ hostnamePrefix: 'db_' })).toEqual([]);
    expect(await hosts({ mac: mac(4).toUpperCase().replaceAll(':', '-') })).toEqual(['cache-4']);
  });

  it('ANDs the filters, and pages through them', async () => {
    expect(await hosts({ zone: 'rack-1', tag: 'gpu', statuses: ['ready'] })).toEqual(['db-1']);
    expect(await hosts({ zone: 'rack-1', architecture: 'amd64/generic', owner: 'alice' })).toEqual([]);
    const first = await alice.protected.nodes.list({ tag: 'gpu', limit: 1 });
    const second = await alice.protected.nodes.list({ tag: 'gpu', limit: 1, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((node) => node.systemId)).toEqual([ids[0], ids[3]]);
    expect(second.nextCursor).toBeNull();
    expect(second.counts).toEqual(counts({ ready: 1, broken: 1 }));
  });
});

describe('owner annotations', () => {
  let owned: string;
  beforeEach(async () => {
    owned = (await admin.protected.enlist(machine(1))).systemId;
  });

  it('a node without an owner takes none', async () => {
    await expectTRPCError(
      admin.protected.nodes.annotate({ systemId: owned, annotations: { a: 'b' } }),
      'FORBIDDEN',
      `node ${owned} has no owner to annotate it`,
    );
  });

  it('are set and removed only by the current owner, and wiped on release', async () => {
    await alice.protected.nodes.acquire({ systemId: owned });
    expect(
      (await alice.protected.nodes.annotate({ systemId: owned, annotations: { job: 'build-42', team: 'infra' } })).annotations,
    ).toEqual({
      job: 'build-42',
      team: 'infra',
    });
    expect((await alice.protected.nodes.annotate({ systemId: owned, annotations: { team: null } })).annotations).toEqual({
      job: 'build-42',
    });
    for (const other of [bob, admin]) {
      await expectTRPCError(
        other.protected.nodes.annotate({ systemId: owned, annotations: { job: 'mine' } }),
        'FORBIDDEN',
        `only the owner of node ${owned} (alice) may annotate it`,
      );
    }
    expect((await bob.protected.nodes.get({ systemId: owned })).annotations).toEqual({ job: 'build-42' });

    await alice.protected.nodes.release({ systemId: owned });
    expect((await bob.protected.nodes.get({ systemId: owned })).annotations).toEqual({});
    await bob.protected.nodes.acquire({ systemId: owned });
    expect((await bob.protected.nodes.annotate({ systemId: owned, annotations: { mine: 'yes' } })).annotations).toEqual({ mine: 'yes' });
  });
});
