import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RouterInputs } from '../../src/index.js';
import { callerWith, expectTRPCError, machine, openYard, signIn, type Caller, type Yard } from '../harness.js';

type Architecture = RouterInputs['enlist']['architecture'];

let db: Yard;
let admin: Caller;
let alice: Caller;
let bob: Caller;
/** A caller authenticated as a machine, with its per-node token. */
let machineWith: (token: string) => Caller;

/** Commissioning on: hardware facts come only from the machines' own passing reports. */
beforeEach(async () => {
  db = await openYard({ settings: { lifecycle: { policy: { commissioning: true } } } });
  admin = (await signIn(db, 'root', 'admin')).caller;
  alice = (await signIn(db, 'alice', 'user')).caller;
  bob = (await signIn(db, 'bob', 'user')).caller;
  machineWith = (token) => callerWith(db, `Bearer ${token}`);

  for (const zone of ['rack-1', 'rack-2', 'rack-3']) await admin.protected.zones.create({ name: zone });
  for (const pool of ['prod', 'ci']) await admin.protected.pools.create({ name: pool });
  for (const tag of ['gpu', 'ssd', 'nvme']) await admin.protected.tags.create({ name: tag });
});
afterEach(async () => {
  await db.close();
});

interface Spec {
  hostname?: string;
  architecture?: Architecture;
  cpuCount?: number;
  memoryMb?: number;
  zone?: string;
  pool?: string;
  tags?: string[];
}

/** Enlists the n-th machine, lets it pass commissioning with the given hardware, and labels it: a ready node. */
async function readyNode(n: number, spec: Spec = {}): Promise<string> {
  const node = await admin.protected.enlist(
    machine(n, { architecture: spec.architecture ?? 'amd64/generic', ...(spec.hostname ? { hostname: spec.hostname } : {}) }),
  );
  await machineWith(node.machineToken!).machine.reportCommissioning({
    systemId: node.systemId,
    result: 'passed',
    hardware: { cpuCount: spec.cpuCount ?? 4, memoryMb: spec.memoryMb ?? 8192 },
  });
  await admin.protected.nodes.update({
    systemId: node.systemId,
    ...(spec.zone ? { zone: spec.zone } : {}),
    ...(spec.pool ? { pool: spec.pool } : {}),
    ...(spec.tags ? { tags: spec.tags } : {}),
  });
  return node.systemId;
}

describe('protected.nodes.acquire with constraints', () => {
  it('systemId and hostname pick that node', async () => {
    await readyNode(1);
    const second = await readyNode(2, { hostname: 'db-7' });
    const third = await readyNode(3);
    expect((await alice.protected.nodes.acquire({ systemId: third })).systemId).toBe(third);
    expect(await alice.protected.nodes.acquire({ hostname: 'DB-7' })).toMatchObject({ systemId: second, owner: 'alice' });
    await expectTRPCError(alice.protected.nodes.acquire({ systemId: 'aaaaaa' }), 'NOT_FOUND', "node 'aaaaaa' does not exist");
  });

  it('architecture: one, or any of several', async () => {
    await readyNode(1);
    const arm = await readyNode(2, { architecture: 'arm64/generic' });
    const power = await readyNode(3, { architecture: 'ppc64el/generic' });
    expect((await alice.protected.nodes.acquire({ architecture: 'arm64/generic' })).systemId).toBe(arm);
    expect((await alice.protected.nodes.acquire({ architecture: ['s390x/generic', 'ppc64el/generic'] })).systemId).toBe(power);
    await expectTRPCError(
      alice.protected.nodes.acquire({ architecture: ['s390x/generic', 'arm64/generic'] }),
      'CONFLICT',
      'no ready node matches: 1 ready node(s), none with architecture s390x/generic or arm64/generic; matching nodes in other states: 1 allocated',
    );
  });

  it('minCpu and minMemoryMb use the commissioned hardware', async () => {
    await readyNode(1, { cpuCount: 4, memoryMb: 8192 });
    const big = await readyNode(2, { cpuCount: 32, memoryMb: 262_144 });
    const mid = await readyNode(3, { cpuCount: 16, memoryMb: 65_536 });
    expect((await alice.protected.nodes.acquire({ minCpu: 32 })).systemId).toBe(big);
    expect((await alice.protected.nodes.acquire({ minCpu: 8, minMemoryMb: 65_536 })).systemId).toBe(mid);
    await expectTRPCError(
      alice.protected.nodes.acquire({ minMemoryMb: 16_384 }),
      'CONFLICT',
      'no ready node matches: 1 ready node(s), none with at least 16384 MiB of memory; matching nodes in other states: 2 allocated',
    );
  });

  it('a node that has not been commissioned has no hardware, so matches no hardware constraint', async () => {
    const declared = await alice.enlist(machine(1));
    await admin.protected.nodes.accept({ systemIds: [declared.systemId] });
    await admin.protected.nodes.abort({ systemId: declared.systemId });
    await admin.protected.nodes.markBroken({ systemId: declared.systemId, comment: 'check it' });
    await admin.protected.nodes.markFixed({ systemId: declared.systemId });
    await expectTRPCError(
      alice.protected.nodes.acquire({ minCpu: 1 }),
      'CONFLICT',
      'no ready node matches: 1 ready node(s), none with at least 1 CPU(s)',
    );
    expect((await alice.protected.nodes.acquire()).systemId).toBe(declared.systemId);
  });

  it('tags: all of them; notTags: none of them', async () => {
    const gpuSsd = await readyNode(1, { tags: ['gpu', 'ssd'] });
    const ssd = await readyNode(2, { tags: ['ssd'] });
    const bare = await readyNode(3);
    const nvme = await readyNode(4, { tags: ['nvme', 'ssd'] });
    expect((await alice.protected.nodes.acquire({ tags: ['ssd', 'gpu'] })).systemId).toBe(gpuSsd);
    expect((await alice.protected.nodes.acquire({ tags: ['ssd'], notTags: ['gpu', 'nvme'] })).systemId).toBe(ssd);
    expect((await alice.protected.nodes.acquire({ notTags: ['ssd'] })).systemId).toBe(bare);
    await expectTRPCError(
      alice.protected.nodes.acquire({ tags: ['gpu'] }),
      'CONFLICT',
      'no ready node matches: 1 ready node(s), none tagged gpu; matching nodes in other states: 1 allocated',
    );
    expect((await alice.protected.nodes.acquire({ tags: ['nvme', 'ssd'] })).systemId).toBe(nvme);
  });

  it('zone, notInZone (one or several) and pool', async () => {
    const rack1 = await readyNode(1, { zone: 'rack-1', pool: 'prod' });
    const rack2 = await readyNode(2, { zone: 'rack-2', pool: 'ci' });
    const rack3 = await readyNode(3, { zone: 'rack-3', pool: 'ci' });
    const nowhere = await readyNode(4);
    expect((await alice.protected.nodes.acquire({ zone: 'rack-2' })).systemId).toBe(rack2);
    expect((await alice.protected.nodes.acquire({ notInZone: ['rack-1', 'rack-2'] })).systemId).toBe(rack3);
    expect((await alice.protected.nodes.acquire({ notInZone: 'rack-1' })).systemId).toBe(nowhere);
    await expectTRPCError(
      alice.protected.nodes.acquire({ pool: 'ci' }),
      'CONFLICT',
      /none in pool ci; matching nodes in other states: 2 allocated$/,
    );
    expect((await alice.protected.nodes.acquire({ pool: 'prod' })).systemId).toBe(rack1);
  });

  it('ANDs every constraint given', async () => {
    await readyNode(1, { architecture: 'arm64/generic', zone: 'rack-1', cpuCount: 64, tags: ['gpu'] });
    await readyNode(2, { architecture: 'amd64/generic', zone: 'rack-2', cpuCount: 64, tags: ['gpu'] });
    await readyNode(3, { architecture: 'arm64/generic', zone: 'rack-2', cpuCount: 8, tags: ['gpu'] });
    const wanted = await readyNode(4, { architecture: 'arm64/generic', zone: 'rack-2', cpuCount: 64, pool: 'prod' });
    const only = await readyNode(5, { architecture: 'arm64/generic', zone: 'rack-2', cpuCount: 64, tags: ['gpu'], pool: 'prod' });
    const constraints = { architecture: 'arm64/generic' as const, zone: 'rack-2', minCpu: 32, tags: ['gpu'], pool: 'prod' };
    expect((await alice.protected.nodes.acquire(constraints)).systemId).toBe(only);
    await expectTRPCError(
      bob.protected.nodes.acquire(constraints),
      'CONFLICT',
      'no ready node matches: 4 ready node(s), 1 of them with architecture arm64/generic and with at least 32 CPU(s) and tagged gpu, ' +
        'none in zone rack-2; matching nodes in other states: 1 allocated',
    );
    expect((await bob.protected.nodes.acquire({ ...constraints, tags: [] })).systemId).toBe(wanted);
  });
});

describe('when nothing matches, the 409 says which constraint eliminated the candidates', () => {
  it('names the zone and the matching nodes in other states', async () => {
    await readyNode(1, { zone: 'rack-1' });
    await readyNode(2, { zone: 'rack-1' });
    await readyNode(3, { zone: 'rack-1' });
    const taken = await readyNode(4, { zone: 'rack-2' });
    await bob.protected.nodes.acquire({ systemId: taken });
    await expectTRPCError(
      alice.protected.nodes.acquire({ zone: 'rack-2' }),
      'CONFLICT',
      'no ready node matches: 3 ready node(s), none in zone rack-2; matching nodes in other states: 1 allocated',
    );
  });

  it('counts the candidates left after each constraint', async () => {
    await readyNode(1, { architecture: 'arm64/generic', zone: 'rack-1' });
    await readyNode(2, { architecture: 'arm64/generic', zone: 'rack-1' });
    await readyNode(3, { architecture: 'amd64/generic', zone: 'rack-2' });
    await expectTRPCError(
      alice.protected.nodes.acquire({ architecture: 'arm64/generic', zone: 'rack-2' }),
      'CONFLICT',
      'no ready node matches: 3 ready node(s), 2 of them with architecture arm64/generic, none in zone rack-2',
    );
  });

  it('says when there is no ready node at all, and when there is no node', async () => {
    await expectTRPCError(alice.protected.nodes.acquire(), 'CONFLICT', 'no ready node to acquire (there are no nodes at all)');
    const node = await admin.protected.enlist(machine(1));
    await alice.enlist(machine(2));
    await expectTRPCError(
      alice.protected.nodes.acquire(),
      'CONFLICT',
      'no ready node to acquire (nodes in other states: 1 commissioning, 1 declared)',
    );
    expect(node.status).toBe('commissioning');
  });
});

describe('acquire under concurrency', () => {
  it('hands each node to exactly one of many simultaneous callers', async () => {
    const nodes = await Promise.all([1, 2, 3].map((n) => readyNode(n, { zone: 'rack-1' })));
    await readyNode(4, { zone: 'rack-2' });
    const callers = Array.from({ length: 16 }, (_, i) => (i % 2 ? alice : bob));
    const results = await Promise.allSettled(callers.map((caller) => caller.protected.nodes.acquire({ zone: 'rack-1' })));

    const won = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.systemId] : []));
    expect([...won].sort()).toEqual([...nodes].sort());
    for (const result of results) {
      if (result.status === 'rejected')
        expect(result.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/3 allocated/) });
    }
    const acquisitions = (await admin.protected.events.list({ type: 'acquire' })).items;
    expect(acquisitions.map((event) => event.systemId).sort()).toEqual([...nodes].sort());
    expect((await admin.protected.nodes.list({ zone: 'rack-2' })).items[0]?.status).toBe('ready');
  });

  it('never gives the same node twice when everyone asks for it by id', async () => {
    const node = await readyNode(1);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => alice.protected.nodes.acquire({ systemId: node })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await admin.protected.events.list({ systemId: node, type: 'acquire' })).items).toHaveLength(1);
  });
});
