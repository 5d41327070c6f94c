import { describe, expect, it } from 'vitest';
import { REDACTED, SYSTEM_ID_PATTERN, hostnameProblem } from '@metalyard/domain';
import {
  ANONYMOUS,
  eachTestWithSeededYard,
  eventLog,
  expectInvalidInput,
  expectTRPCError,
  mac,
  machine,
  type Cast,
  type Yard,
} from '../harness.js';

let db: Yard;
let as: Cast;

eachTestWithSeededYard((fresh, cast) => {
  db = fresh;
  as = cast;
});

const ipmi = {
  powerType: 'ipmi' as const,
  powerParameters: { address: '127.0.0.9', username: 'ADMIN', password: 'hunter2' },
};

describe('anonymous enlist', () => {
  it('creates a declared node of the documented shape', async () => {
    const before = Date.now();
    const node = await as.anonymous.enlist({
      hostname: 'Rack1-Node3',
      architecture: 'arm64/generic',
      macAddresses: ['AA-BB-CC-DD-EE-02', 'aabb.ccdd.ee01'],
      ...ipmi,
    });

    expect(node).toEqual({
      systemId: expect.stringMatching(SYSTEM_ID_PATTERN),
      hostname: 'rack1-node3',
      status: 'declared',
      architecture: 'arm64/generic',
      macAddresses: ['aa:bb:cc:dd:ee:01', 'aa:bb:cc:dd:ee:02'],
      powerType: 'ipmi',
      owner: null,
      zone: null,
      pool: null,
      tags: [],
      hardware: null,
      annotations: {},
      statusMessage: null,
      powerState: 'unknown',
      powerStateCheckedAt: null,
      agent: null,
      image: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(node.systemId).toHaveLength(6);
    expect(node).not.toHaveProperty('powerParameters');
    expect(new Date(node.createdAt).toISOString()).toBe(node.createdAt);
    expect(node.updatedAt).toBe(node.createdAt);
    expect(Date.parse(node.createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(node.createdAt)).toBeLessThanOrEqual(Date.now());
  });

  it('is stored as returned', async () => {
    const node = await as.anonymous.enlist(machine(1, ipmi));
    const stored = await as.alice.caller.protected.nodes.get({ systemId: node.systemId });
    expect(stored).toEqual(node);
  });

  it('defaults the power type to manual', async () => {
    const node = await as.anonymous.enlist(machine(1));
    expect(node.powerType).toBe('manual');
  });

  it('generates a valid hostname when none is given', async () => {
    const hostnames = new Set<string>();
    for (let n = 1; n <= 20; n++) {
      const node = await as.anonymous.enlist(machine(n));
      expect(node.hostname).toMatch(/^[a-z]+-[a-z]+(-\d+)?$/);
      expect(hostnameProblem(node.hostname)).toBeNull();
      hostnames.add(node.hostname);
    }
    expect(hostnames.size).toBe(20);
  });

  it('gives every node its own system id', async () => {
    const ids = new Set<string>();
    for (let n = 1; n <= 20; n++) ids.add((await as.anonymous.enlist(machine(n))).systemId);
    expect(ids.size).toBe(20);
  });

  it('refuses a hostname that is taken, naming the node that has it', async () => {
    const first = await as.anonymous.enlist(machine(1, { hostname: 'node-1' }));
    await expectTRPCError(
      as.anonymous.enlist(machine(2, { hostname: 'NODE-1' })),
      'CONFLICT',
      `hostname 'node-1' is taken by node ${first.systemId}`,
    );
    await expectTRPCError(
      as.admin.caller.protected.enlist(machine(3, { hostname: 'node-1' })),
      'CONFLICT',
      `hostname 'node-1' is taken by node ${first.systemId}`,
    );
    const page = await as.admin.caller.protected.nodes.list();
    expect(page.items.map((node) => node.systemId)).toEqual([first.systemId]);
  });

  it('refuses MACs that belong to several nodes', async () => {
    const a = await as.anonymous.enlist(machine(1));
    const b = await as.anonymous.enlist(machine(2));
    const error = await expectTRPCError(as.anonymous.enlist({ architecture: 'amd64/generic', macAddresses: [mac(1), mac(2)] }), 'CONFLICT');
    expect(error.message).toContain(a.systemId);
    expect(error.message).toContain(b.systemId);
  });
});

describe('trusted enlist (protected.enlist)', () => {
  it('creates a ready node with no owner', async () => {
    const node = await as.alice.caller.protected.enlist(machine(1, { hostname: 'web-1' }));
    expect(node).toMatchObject({ hostname: 'web-1', status: 'ready', owner: null, macAddresses: [mac(1)] });
    expect(node.systemId).toMatch(SYSTEM_ID_PATTERN);
  });

  it('does not return power parameters to a plain user', async () => {
    const node = await as.alice.caller.protected.enlist(machine(1, ipmi));
    expect(node).not.toHaveProperty('powerParameters');
    const again = await as.alice.caller.protected.nodes.get({ systemId: node.systemId });
    expect(again).not.toHaveProperty('powerParameters');
    const page = await as.alice.caller.protected.nodes.list();
    expect(page.items[0]).not.toHaveProperty('powerParameters');
  });

  it('returns power parameters to an admin, with the password masked', async () => {
    const expected = { address: '127.0.0.9', username: 'ADMIN', password: REDACTED };
    const node = await as.admin.caller.protected.enlist(machine(1, ipmi));
    expect(node.powerParameters).toEqual(expected);
    expect((await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).powerParameters).toEqual(expected);
    expect((await as.admin.caller.protected.nodes.list()).items[0]!.powerParameters).toEqual(expected);
    expect(JSON.stringify(await as.admin.caller.protected.nodes.list())).not.toContain('hunter2');
  });

  it('stores the secret itself: masking happens only on the way out', async () => {
    const node = await as.admin.caller.protected.enlist(machine(1, ipmi));
    expect((await db.app.nodes.get(node.systemId)).powerParameters).toEqual(ipmi.powerParameters);
  });
});

describe('re-enlistment', () => {
  it('anonymously, with a MAC of a declared node: the same node, unchanged', async () => {
    const first = await as.anonymous.enlist(machine(1, { hostname: 'first' }));
    const again = await as.anonymous.enlist({
      hostname: 'second',
      architecture: 'arm64/generic',
      macAddresses: ['52-54-00-00-00-01'],
    });
    expect(again).toEqual(first);
    expect(await eventLog(db)).toEqual([`${first.systemId} enlist ∅ → declared by ${ANONYMOUS}`]);
  });

  it.each(['ready', 'allocated'] as const)('anonymously, with a MAC of a %s node: CONFLICT naming the node', async (status) => {
    const node = await as.alice.caller.protected.enlist(machine(1, { hostname: 'taken' }));
    if (status === 'allocated') await as.alice.caller.protected.nodes.acquire({ systemId: node.systemId });
    const error = await expectTRPCError(
      as.anonymous.enlist(machine(1)),
      'CONFLICT',
      `MAC address already belongs to node ${node.systemId} (taken), which is ${status}`,
    );
    expect(error.cause).toMatchObject({ kind: 'conflict', details: { systemId: node.systemId, status } });
    expect((await as.alice.caller.protected.nodes.get({ systemId: node.systemId })).status).toBe(status);
  });

  it('trusted, with a MAC of a declared node: accepts it (ready, same system id)', async () => {
    const declared = await as.anonymous.enlist(machine(1, { hostname: 'pxe-1' }));
    const node = await as.bob.caller.protected.enlist(machine(1));
    expect(node).toMatchObject({
      systemId: declared.systemId,
      hostname: 'pxe-1',
      status: 'ready',
      owner: null,
      macAddresses: [mac(1)],
      createdAt: declared.createdAt,
    });
    expect((await as.bob.caller.protected.nodes.get({ systemId: declared.systemId })).status).toBe('ready');
    expect((await as.bob.caller.protected.nodes.list()).items).toHaveLength(1);
    expect(await eventLog(db)).toEqual([
      `${declared.systemId} enlist ∅ → declared by ${ANONYMOUS}`,
      `${declared.systemId} accept declared → ready by bob`,
    ]);
  });

  it('trusted, with a MAC of a ready node: CONFLICT', async () => {
    const node = await as.bob.caller.protected.enlist(machine(1));
    await expectTRPCError(as.bob.caller.protected.enlist(machine(1)), 'CONFLICT', new RegExp(`node ${node.systemId} .*which is ready$`));
  });
});

describe('concurrent enlistment', () => {
  it('of one machine five times at once gives one node', async () => {
    const nodes = await Promise.all(Array.from({ length: 5 }, () => as.anonymous.enlist(machine(1))));
    expect(new Set(nodes.map((node) => node.systemId)).size).toBe(1);
    expect((await as.alice.caller.protected.nodes.list()).items).toHaveLength(1);
  });

  it('of five machines under one hostname gives one node and four CONFLICTs', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => as.anonymous.enlist(machine(i + 1, { hostname: 'same' }))),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(rejected.map((error) => error.code)).toEqual(Array(4).fill('CONFLICT'));
    expect((await as.alice.caller.protected.nodes.list()).items.map((node) => node.hostname)).toEqual(['same']);
  });
});

describe('enlist input', () => {
  it('refuses status, owner or systemId given by the caller', async () => {
    for (const [key, value] of [
      ['status', 'ready'],
      ['owner', 'alice'],
      ['systemId', 'abc234'],
    ] as const) {
      const input = { ...machine(1), [key]: value } as never;
      expect(await expectInvalidInput(as.anonymous.enlist(input), 'enlist')).toEqual({ '': [`unknown field(s): ${key}`] });
      expect(await expectInvalidInput(as.alice.caller.protected.enlist(input), 'protected.enlist')).toEqual({
        '': [`unknown field(s): ${key}`],
      });
    }
    expect((await as.alice.caller.protected.nodes.list()).items).toEqual([]);
  });

  it('refuses __proto__ smuggled in through JSON', async () => {
    const input = JSON.parse(`{"architecture":"amd64/generic","macAddresses":["${mac(1)}"],"__proto__":{"status":"ready"}}`);
    expect(await expectInvalidInput(as.anonymous.enlist(input), 'enlist')).toEqual({ '': ['unknown field(s): __proto__'] });
    expect((await as.alice.caller.protected.nodes.list()).items).toEqual([]);
  });

  it('stores a MAC given twice in different notations once', async () => {
    const node = await as.anonymous.enlist({
      architecture: 'amd64/generic',
      macAddresses: ['52:54:00:00:00:01', '525400000001', '5254.0000.0001'],
    });
    expect(node.macAddresses).toEqual(['52:54:00:00:00:01']);
  });

  it('requires 1..64 MACs', async () => {
    expect(await expectInvalidInput(as.anonymous.enlist({ architecture: 'amd64/generic', macAddresses: [] }), 'enlist')).toEqual({
      macAddresses: ['must hold at least one MAC address'],
    });
    const many = Array.from({ length: 65 }, (_, i) => mac(i + 1));
    expect(await expectInvalidInput(as.anonymous.enlist({ architecture: 'amd64/generic', macAddresses: many }), 'enlist')).toEqual({
      macAddresses: ['may hold at most 64 MAC addresses'],
    });
    const node = await as.anonymous.enlist({ architecture: 'amd64/generic', macAddresses: many.slice(0, 64) });
    expect(node.macAddresses).toEqual(many.slice(0, 64));
  });

  it('names a bad MAC and a bad hostname', async () => {
    const fields = await expectInvalidInput(
      as.anonymous.enlist({ hostname: '-bad-', architecture: 'amd64/generic', macAddresses: [mac(1), 'aa:bb-cc:dd:ee:ff'] }),
      'enlist',
    );
    expect(Object.keys(fields).sort()).toEqual(['hostname', 'macAddresses.1']);
    expect(fields['macAddresses.1']![0]).toMatch(/^'aa:bb-cc:dd:ee:ff' is not a MAC address/);
  });
});
