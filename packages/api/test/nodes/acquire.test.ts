import { describe, expect, it } from 'vitest';
import {
  eachTestWithSeededYard,
  eventLog,
  expectInvalidInput,
  expectTRPCError,
  machine,
  trpcError,
  type Caller,
  type Cast,
  type Yard,
} from '../harness.js';

let db: Yard;
let as: Cast;
let alice: Caller;

eachTestWithSeededYard((fresh, cast) => {
  db = fresh;
  as = cast;
  alice = as.alice.caller;
});

describe('protected.nodes.acquire', () => {
  it('gives a ready node, with the caller as its owner', async () => {
    await as.anonymous.enlist(machine(1)); // declared: not acquirable
    const ready = await as.admin.caller.protected.enlist(machine(2, { hostname: 'r2' }));

    const node = await alice.protected.nodes.acquire();
    expect(node).toMatchObject({ systemId: ready.systemId, hostname: 'r2', status: 'allocated', owner: 'alice' });
    expect(node).not.toHaveProperty('powerParameters');
    expect(await as.bob.caller.protected.nodes.get({ systemId: ready.systemId })).toEqual(node);
  });

  it('takes the oldest ready node first', async () => {
    const first = await alice.protected.enlist(machine(1));
    const second = await alice.protected.enlist(machine(2));
    expect((await alice.protected.nodes.acquire({})).systemId).toBe(first.systemId);
    expect((await as.bob.caller.protected.nodes.acquire({})).systemId).toBe(second.systemId);
  });

  it('honours a systemId constraint', async () => {
    await alice.protected.enlist(machine(1));
    const wanted = await alice.protected.enlist(machine(2));
    const node = await as.bob.caller.protected.nodes.acquire({ systemId: wanted.systemId });
    expect(node).toMatchObject({ systemId: wanted.systemId, owner: 'bob', status: 'allocated' });
  });

  it('honours an architecture constraint', async () => {
    await alice.protected.enlist(machine(1));
    const arm = await alice.protected.enlist(machine(2, { architecture: 'arm64/generic' }));
    const node = await alice.protected.nodes.acquire({ architecture: 'arm64/generic' });
    expect(node).toMatchObject({ systemId: arm.systemId, architecture: 'arm64/generic', owner: 'alice' });
  });

  it('honours both constraints together', async () => {
    const arm = await alice.protected.enlist(machine(1, { architecture: 'arm64/generic' }));
    await expectTRPCError(
      alice.protected.nodes.acquire({ systemId: arm.systemId, architecture: 'amd64/generic' }),
      'CONFLICT',
      `no ready node matches: 1 ready node(s), 1 of them with system id ${arm.systemId}, none with architecture amd64/generic`,
    );
    expect((await alice.protected.nodes.acquire({ systemId: arm.systemId, architecture: 'arm64/generic' })).status).toBe('allocated');
  });

  describe('with nothing matching: CONFLICT explaining why', () => {
    it('on an empty inventory', async () => {
      await expectTRPCError(alice.protected.nodes.acquire(), 'CONFLICT', 'no ready node to acquire (there are no nodes at all)');
    });

    it('when no node is ready', async () => {
      await as.anonymous.enlist(machine(1));
      await as.anonymous.enlist(machine(2));
      await alice.protected.enlist(machine(3));
      await alice.protected.nodes.acquire();
      await expectTRPCError(
        as.bob.caller.protected.nodes.acquire(),
        'CONFLICT',
        'no ready node to acquire (nodes in other states: 1 allocated, 2 declared)',
      );
    });

    it('when no ready node has the architecture', async () => {
      await alice.protected.enlist(machine(1));
      await expectTRPCError(
        alice.protected.nodes.acquire({ architecture: 'arm64/generic' }),
        'CONFLICT',
        'no ready node matches: 1 ready node(s), none with architecture arm64/generic',
      );
      await alice.protected.enlist(machine(2, { architecture: 'arm64/generic' }));
      await alice.protected.nodes.acquire({ architecture: 'arm64/generic' });
      await expectTRPCError(
        alice.protected.nodes.acquire({ architecture: 'arm64/generic' }),
        'CONFLICT',
        'no ready node matches: 1 ready node(s), none with architecture arm64/generic; matching nodes in other states: 1 allocated',
      );
    });

    it('when the named node is taken, saying in which state and by whom', async () => {
      const node = await alice.protected.enlist(machine(1));
      await alice.protected.nodes.acquire({ systemId: node.systemId });
      await expectTRPCError(
        as.bob.caller.protected.nodes.acquire({ systemId: node.systemId }),
        'CONFLICT',
        `node ${node.systemId} is allocated (owned by alice), not ready`,
      );
    });

    it('when the named node is only declared', async () => {
      const node = await as.anonymous.enlist(machine(1));
      await expectTRPCError(
        alice.protected.nodes.acquire({ systemId: node.systemId }),
        'CONFLICT',
        `node ${node.systemId} is declared, not ready`,
      );
    });

    it('when nodes exist but none is ready and none matches', async () => {
      await as.anonymous.enlist(machine(1));
      await expectTRPCError(
        alice.protected.nodes.acquire({ architecture: 'arm64/generic' }),
        'CONFLICT',
        'no ready node to acquire (no node matches at all)',
      );
    });
  });

  it('NOT_FOUND when the named node does not exist', async () => {
    await expectTRPCError(alice.protected.nodes.acquire({ systemId: 'abc234' }), 'NOT_FOUND', "node 'abc234' does not exist");
  });

  it('refuses unknown constraints', async () => {
    expect(await expectInvalidInput(alice.protected.nodes.acquire({ owner: 'bob' } as never), 'protected.nodes.acquire')).toEqual({
      '': ['Unrecognized key: "owner"'],
    });
  });

  it('gives 30 concurrent acquires over 10 ready nodes exactly 10 distinct nodes and 20 CONFLICTs', async () => {
    const ready = [];
    for (let n = 1; n <= 10; n++) ready.push((await alice.protected.enlist(machine(n))).systemId);
    const callers = [as.alice, as.bob, as.admin];

    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const { caller, user } = callers[i % 3]!;
        const call = caller.protected.nodes.acquire();
        return call.then(
          (node) => ({ ok: true as const, node, username: user.username }),
          async () => ({ ok: false as const, error: await trpcError(call) }),
        );
      }),
    );

    const won = outcomes.flatMap((outcome) => (outcome.ok ? [outcome] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
    expect(won).toHaveLength(10);
    expect(new Set(won.map((outcome) => outcome.node.systemId))).toEqual(new Set(ready));
    for (const { node, username } of won) expect(node).toMatchObject({ status: 'allocated', owner: username });
    expect(lost).toHaveLength(20);
    for (const error of lost) expect(error.code).toBe('CONFLICT');

    const page = await alice.protected.nodes.list();
    expect(page.items.map((node) => node.status)).toEqual(Array(10).fill('allocated'));
    for (const { node } of won) expect(page.items.find((item) => item.systemId === node.systemId)?.owner).toBe(node.owner);
    const acquires = (await eventLog(db)).filter((line) => line.includes(' acquire '));
    expect(acquires).toHaveLength(10);
  });
});
