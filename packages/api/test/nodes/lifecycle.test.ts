import { afterEach, describe, expect, it } from 'vitest';
import { type TRANSITIONS, USER_ACTIONS, allowedActions, type NodeAction, type NodeStatus } from '@metalyard/domain';
import type { LifecycleSettings } from '@metalyard/usecases';
import {
  callerWith,
  expectInvalidInput,
  expectTRPCError,
  issueToken,
  machine,
  openYard as openTestYard,
  signIn,
  type Caller,
} from '../harness.js';

const MINUTE = 60_000;
const TIMEOUT_MS = 30 * MINUTE;
const HARDWARE = {
  cpuCount: 16,
  memoryMb: 65_536,
  storage: [{ name: 'sda', sizeGb: 960 }],
  nics: [{ name: 'eno1', mac: '52:54:00:aa:00:01', speedMbps: 10_000 }],
};

/**
 * A fresh in-memory yard with the lifecycle settings under test, a clock the test moves by hand,
 * and the usual cast: anonymous, an admin (root) and two users (alice, bob).
 */
async function openYard(lifecycle: Partial<LifecycleSettings> = {}) {
  const test = await openTestYard({
    settings: { lifecycle: { commissioningTimeoutMs: TIMEOUT_MS, ...lifecycle } },
    at: new Date('2026-03-01T08:00:00.000Z'),
  });
  return {
    ...test,
    callerWith: (authorization: string | null): Caller => callerWith(test, authorization),
    /** A caller authenticated as the machine, with its per-node token. */
    machineWith: (token: string) => callerWith(test, `Bearer ${token}`),
    advance: (ms: number) => test.clock.advance(ms),
    anonymous: callerWith(test, null),
    admin: (await signIn(test, 'root', 'admin')).caller,
    alice: (await signIn(test, 'alice', 'user')).caller,
    bob: (await signIn(test, 'bob', 'user')).caller,
  };
}
type Yard = Awaited<ReturnType<typeof openYard>>;

let yard: Yard;
afterEach(async () => {
  await yard?.close();
});

/** Status-changing and other events of one node, as "type from → to by actor". */
async function history(systemId: string): Promise<string[]> {
  const page = await yard.admin.protected.events.list({ systemId });
  return page.items.map((event) => `${event.type} ${event.fromStatus ?? '∅'} → ${event.toStatus ?? '∅'} by ${event.actor}`);
}

/** A node enlisted by the admin (ready, or commissioning with its token when the policy is on). */
async function enlisted(n: number) {
  return yard.admin.protected.enlist(machine(n));
}

/** A ready node alice has acquired, with commissioning off. */
async function allocatedToAlice(n: number) {
  const node = await enlisted(n);
  return yard.alice.protected.nodes.acquire({ systemId: node.systemId });
}

/** A node alice acquired and started deploying; returns it with the deployment's machine token. */
async function deployingForAlice(n: number) {
  const node = await allocatedToAlice(n);
  const deploying = await yard.alice.protected.nodes.deploy({ systemId: node.systemId });
  expect(deploying.machineToken).toMatch(/^mlm_/);
  return { ...deploying, machineToken: deploying.machineToken! };
}

/** A node alice owns, allocated or deployed (or failed to deploy); returns its system id. */
async function ownedByAlice(status: 'allocated' | 'deployed' | 'failed_deployment'): Promise<string> {
  if (status === 'allocated') return (await allocatedToAlice(1)).systemId;
  const node = await deployingForAlice(1);
  await yard
    .machineWith(node.machineToken)
    .machine.reportDeployment({ systemId: node.systemId, result: status === 'deployed' ? 'passed' : 'failed' });
  return node.systemId;
}

describe('with commissioning on', () => {
  const commissioningOn = { policy: { commissioning: true } };

  it('accept starts commissioning and hands out each node’s machine token once', async () => {
    yard = await openYard(commissioningOn);
    const declared = await yard.anonymous.enlist(machine(1));
    const result = await yard.admin.protected.nodes.accept({ systemIds: [declared.systemId] });
    expect(result.accepted).toEqual([declared.systemId]);
    expect(result.machineTokens?.[declared.systemId]).toMatch(/^mlm_[A-Za-z0-9_-]{43}$/);

    const node = await yard.alice.protected.nodes.get({ systemId: declared.systemId });
    expect(node).toMatchObject({ status: 'commissioning', hardware: null });
    expect(node).not.toHaveProperty('machineToken');
    expect((await yard.alice.protected.nodes.list()).items[0]).not.toHaveProperty('machineToken');
    expect(await history(declared.systemId)).toEqual([
      'enlist ∅ → declared by anonymous@10.0.0.5',
      'accept declared → commissioning by root',
    ]);
  });

  it('protected.enlist starts commissioning with a machine token', async () => {
    yard = await openYard(commissioningOn);
    const node = await yard.alice.protected.enlist(machine(1));
    expect(node.status).toBe('commissioning');
    expect(node.machineToken).toMatch(/^mlm_/);
  });

  it('a passing report makes the node ready with its hardware stored, and spends the token', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    const report = { systemId: node.systemId, result: 'passed' as const, hardware: HARDWARE, tests: [{ name: 'smartctl', passed: true }] };
    const machineCaller = yard.machineWith(node.machineToken!);

    expect(await machineCaller.machine.reportCommissioning(report)).toEqual({ systemId: node.systemId, status: 'ready' });
    expect(await yard.bob.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'ready',
      hardware: HARDWARE,
      statusMessage: null,
    });
    expect((await history(node.systemId)).at(-1)).toBe(`passCommissioning commissioning → ready by machine:${node.systemId}`);
    // The token belonged to that commissioning run only.
    await expectTRPCError(machineCaller.machine.reportCommissioning(report), 'UNAUTHORIZED');
  });

  it('a failing report → failed_commissioning with the reason', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    const status = await yard.machineWith(node.machineToken!).machine.reportCommissioning({
      systemId: node.systemId,
      result: 'failed',
      tests: [{ name: 'memtest', passed: false, output: 'bank 3: errors' }],
      reason: 'memtest found errors in bank 3',
    });
    expect(status.status).toBe('failed_commissioning');
    expect(await yard.admin.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'failed_commissioning',
      statusMessage: 'memtest found errors in bank 3',
    });
  });

  it('without a reason, a failing report names the failing tests', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    await yard.machineWith(node.machineToken!).machine.reportCommissioning({
      systemId: node.systemId,
      result: 'failed',
      tests: [
        { name: 'cpu', passed: true },
        { name: 'disk-sda', passed: false },
      ],
    });
    expect((await yard.admin.protected.nodes.get({ systemId: node.systemId })).statusMessage).toBe('failing tests: disk-sda');
  });

  it('a passing report must carry the hardware', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    const fields = await expectInvalidInput(
      yard.machineWith(node.machineToken!).machine.reportCommissioning({ systemId: node.systemId, result: 'passed' }),
      'machine.reportCommissioning',
    );
    expect(fields).toEqual({ hardware: ['a passing report must include the hardware'] });
  });

  it('a wrong token → UNAUTHORIZED, recorded as auth_failed on the node, which stays commissioning', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    const other = await enlisted(2);
    const report = { systemId: node.systemId, result: 'passed' as const, hardware: HARDWARE };

    // Another node's token, and a made-up one.
    await expectTRPCError(yard.machineWith(other.machineToken!).machine.reportCommissioning(report), 'UNAUTHORIZED', /machine token/);
    await expectTRPCError(yard.machineWith(`mlm_${'x'.repeat(43)}`).machine.reportCommissioning(report), 'UNAUTHORIZED');
    await expectTRPCError(yard.anonymous.machine.reportCommissioning(report), 'UNAUTHORIZED');

    const failures = await yard.admin.protected.events.list({ systemId: node.systemId, type: 'auth_failed' });
    expect(failures.items).toHaveLength(2);
    expect(failures.items[0]).toMatchObject({ actor: `machine:${node.systemId}`, fromStatus: null, toStatus: null });
    expect((await yard.admin.protected.nodes.get({ systemId: node.systemId })).status).toBe('commissioning');
  });

  it('refuses a user token on machine procedures, and a machine token on user procedures', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    const user = await yard.app.users.create('carol', 'admin');
    const userToken = (await issueToken(yard, user, 'test')).token;

    await expectTRPCError(
      yard.callerWith(`Bearer ${userToken}`).machine.reportCommissioning({ systemId: node.systemId, result: 'failed' }),
      'UNAUTHORIZED',
    );
    await expectTRPCError(
      yard.callerWith(`Bearer ${userToken}`).machine.reportDeployment({ systemId: node.systemId, result: 'passed' }),
      'UNAUTHORIZED',
    );
    await expectTRPCError(yard.machineWith(node.machineToken!).protected.nodes.get({ systemId: node.systemId }), 'UNAUTHORIZED');
    expect((await yard.admin.protected.nodes.get({ systemId: node.systemId })).status).toBe('commissioning');
  });

  it('a node that does not report in time fails commissioning when the sweeper runs', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);

    yard.advance(TIMEOUT_MS - 1);
    expect(await yard.app.sweep()).toBe(0);
    expect((await yard.admin.protected.nodes.get({ systemId: node.systemId })).status).toBe('commissioning');

    yard.advance(1);
    expect(await yard.app.sweep()).toBe(1);
    expect(await yard.admin.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'failed_commissioning',
      statusMessage: 'commissioning timed out: no report within 30 minute(s)',
    });
    expect((await history(node.systemId)).at(-1)).toBe(
      'failCommissioning commissioning → failed_commissioning by system:commissioning-timeout',
    );
    // A late report finds its token spent.
    await expectTRPCError(
      yard.machineWith(node.machineToken!).machine.reportCommissioning({ systemId: node.systemId, result: 'passed', hardware: HARDWARE }),
      'UNAUTHORIZED',
    );
  });

  it('two sweeps at the same moment time a node out once', async () => {
    yard = await openYard(commissioningOn);
    const nodes = await Promise.all([1, 2, 3].map(enlisted));
    yard.advance(TIMEOUT_MS + 1);

    const moved = await Promise.all([yard.app.sweep(), yard.app.sweep(), yard.app.sweep()]);
    expect(moved.reduce((sum, count) => sum + count, 0)).toBe(3);
    for (const node of nodes) {
      const timeouts = await yard.admin.protected.events.list({ systemId: node.systemId, type: 'failCommissioning' });
      expect(timeouts.items).toHaveLength(1);
    }
    expect(await yard.app.sweep()).toBe(0);
  });

  it('a report that arrives first wins over the sweeper', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    yard.advance(TIMEOUT_MS + 1);
    const report = yard
      .machineWith(node.machineToken!)
      .machine.reportCommissioning({ systemId: node.systemId, result: 'passed', hardware: HARDWARE });
    const [reported, moved] = await Promise.allSettled([report, yard.app.sweep()]);
    const status = (await yard.admin.protected.nodes.get({ systemId: node.systemId })).status;
    const moves = (await history(node.systemId)).filter(
      (line) => line.startsWith('passCommissioning') || line.startsWith('failCommissioning'),
    );
    // Whichever ran first moved the node; the other found it gone from commissioning.
    expect(moves).toHaveLength(1);
    expect(status).toBe(moves[0]!.startsWith('pass') ? 'ready' : 'failed_commissioning');
    expect(reported.status === 'fulfilled').toBe(moved.status === 'fulfilled' && moved.value === 0);
  });

  it('commission re-runs commissioning from ready and failed_commissioning, with a new token', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    await yard
      .machineWith(node.machineToken!)
      .machine.reportCommissioning({ systemId: node.systemId, result: 'passed', hardware: HARDWARE });

    const again = await yard.admin.protected.nodes.commission({ systemId: node.systemId });
    expect(again.status).toBe('commissioning');
    expect(again.machineToken).toMatch(/^mlm_/);
    expect(again.machineToken).not.toBe(node.machineToken);
    await yard
      .machineWith(again.machineToken!)
      .machine.reportCommissioning({ systemId: node.systemId, result: 'failed', reason: 'disk gone' });

    const third = await yard.admin.protected.nodes.commission({ systemId: node.systemId });
    expect(third).toMatchObject({ status: 'commissioning', statusMessage: null });
    expect(await history(node.systemId)).toEqual([
      'enlist ∅ → commissioning by root',
      `passCommissioning commissioning → ready by machine:${node.systemId}`,
      'commission ready → commissioning by root',
      `failCommissioning commissioning → failed_commissioning by machine:${node.systemId}`,
      'commission failed_commissioning → commissioning by root',
    ]);
    // The earlier runs' tokens are dead.
    await expectTRPCError(
      yard.machineWith(again.machineToken!).machine.reportCommissioning({ systemId: node.systemId, result: 'failed' }),
      'UNAUTHORIZED',
    );
  });

  it('commission is for admins', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    await yard.admin.protected.nodes.abort({ systemId: node.systemId });
    await expectTRPCError(yard.alice.protected.nodes.commission({ systemId: node.systemId }), 'FORBIDDEN');
  });

  it('abort stops commissioning: failed_commissioning with who did it, and the token dies', async () => {
    yard = await openYard(commissioningOn);
    const node = await enlisted(1);
    await expectTRPCError(yard.alice.protected.nodes.abort({ systemId: node.systemId }), 'FORBIDDEN', /only an admin|owner/);

    const aborted = await yard.admin.protected.nodes.abort({ systemId: node.systemId, comment: 'wrong rack' });
    expect(aborted).toMatchObject({ status: 'failed_commissioning', statusMessage: 'wrong rack' });
    expect(aborted).not.toHaveProperty('machineToken');
    await expectTRPCError(
      yard.machineWith(node.machineToken!).machine.reportCommissioning({ systemId: node.systemId, result: 'passed', hardware: HARDWARE }),
      'UNAUTHORIZED',
    );
  });

  it('acceptAll accepts every declared node, each with its token', async () => {
    yard = await openYard(commissioningOn);
    const declared = await Promise.all([1, 2, 3].map((n) => yard.anonymous.enlist(machine(n))));
    await enlisted(4);
    await expectTRPCError(yard.alice.protected.nodes.acceptAll(), 'FORBIDDEN');

    const result = await yard.admin.protected.nodes.acceptAll();
    const ids = declared.map((node) => node.systemId);
    expect([...result.accepted].sort()).toEqual([...ids].sort());
    expect(Object.keys(result.machineTokens ?? {}).sort()).toEqual([...ids].sort());
    expect((await yard.admin.protected.nodes.list({ status: 'declared' })).items).toEqual([]);
    expect(await yard.admin.protected.nodes.acceptAll()).toEqual({ accepted: [] });
  });
});

describe('with commissioning off (the foundation’s behaviour)', () => {
  it('accept and protected.enlist land ready, without tokens', async () => {
    yard = await openYard();
    const declared = await yard.anonymous.enlist(machine(1));
    expect(await yard.admin.protected.nodes.accept({ systemIds: [declared.systemId] })).toEqual({ accepted: [declared.systemId] });
    expect((await yard.admin.protected.nodes.get({ systemId: declared.systemId })).status).toBe('ready');

    const trusted = await yard.alice.protected.enlist(machine(2));
    expect(trusted.status).toBe('ready');
    expect(trusted).not.toHaveProperty('machineToken');
  });

  it('acceptAll: every declared node, ready', async () => {
    yard = await openYard();
    const declared = await Promise.all([1, 2].map((n) => yard.anonymous.enlist(machine(n))));
    const result = await yard.admin.protected.nodes.acceptAll();
    expect([...result.accepted].sort()).toEqual(declared.map((node) => node.systemId).sort());
    expect(result).not.toHaveProperty('machineTokens');
    expect((await yard.admin.protected.nodes.list({ status: 'ready' })).items).toHaveLength(2);
  });
});

describe('deployment', () => {
  it('deploy is the owner’s (or an admin’s): others are FORBIDDEN', async () => {
    yard = await openYard();
    const node = await allocatedToAlice(1);
    await expectTRPCError(yard.bob.protected.nodes.deploy({ systemId: node.systemId }), 'FORBIDDEN', /its owner \(alice\) or an admin/);
    expect((await yard.admin.protected.nodes.get({ systemId: node.systemId })).status).toBe('allocated');

    const deploying = await yard.alice.protected.nodes.deploy({ systemId: node.systemId });
    expect(deploying).toMatchObject({ status: 'deploying', owner: 'alice' });
  });

  it('a passing deployment report → deployed', async () => {
    yard = await openYard();
    const node = await deployingForAlice(1);
    const report = { systemId: node.systemId, result: 'passed' as const };
    expect(await yard.machineWith(node.machineToken).machine.reportDeployment(report)).toEqual({
      systemId: node.systemId,
      status: 'deployed',
    });
    expect(await yard.alice.protected.nodes.get({ systemId: node.systemId })).toMatchObject({ status: 'deployed', owner: 'alice' });
    await expectTRPCError(yard.machineWith(node.machineToken).machine.reportDeployment(report), 'UNAUTHORIZED');
  });

  it('a failing deployment report → failed_deployment with the reason', async () => {
    yard = await openYard();
    const node = await deployingForAlice(1);
    await yard
      .machineWith(node.machineToken)
      .machine.reportDeployment({ systemId: node.systemId, result: 'failed', reason: 'curtin: no root disk' });
    expect(await yard.alice.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'failed_deployment',
      statusMessage: 'curtin: no root disk',
      owner: 'alice',
    });
  });

  it('a deployment token cannot report commissioning', async () => {
    yard = await openYard();
    const node = await deployingForAlice(1);
    await expectTRPCError(
      yard.machineWith(node.machineToken).machine.reportCommissioning({ systemId: node.systemId, result: 'passed', hardware: HARDWARE }),
      'CONFLICT',
      /it is deploying/,
    );
  });

  it('abort of a deployment goes back to allocated', async () => {
    yard = await openYard();
    const node = await deployingForAlice(1);
    await expectTRPCError(yard.bob.protected.nodes.abort({ systemId: node.systemId }), 'FORBIDDEN');
    expect(await yard.alice.protected.nodes.abort({ systemId: node.systemId })).toMatchObject({ status: 'allocated', owner: 'alice' });
  });
});

describe('release', () => {
  const RELEASED = (from: NodeStatus, by: string) => [
    `release ${from} → releasing by ${by}`,
    'finishRelease releasing → ready by system:erase',
  ];

  it.each(['allocated', 'deployed', 'failed_deployment'] as const)(
    'from %s: ready via releasing, owner and annotations wiped',
    async (from) => {
      yard = await openYard();
      const systemId = await ownedByAlice(from);
      await yard.alice.protected.nodes.annotate({ systemId, annotations: { ticket: 'OPS-1' } });
      expect((await yard.alice.protected.nodes.get({ systemId })).status).toBe(from);

      const released = await yard.alice.protected.nodes.release({ systemId });
      expect(released).toMatchObject({ status: 'ready', owner: null, annotations: {} });
      expect((await history(systemId)).slice(-2)).toEqual(RELEASED(from, 'alice'));
      expect((await yard.bob.protected.nodes.acquire({ systemId })).owner).toBe('bob');
    },
  );

  it('by someone else: FORBIDDEN', async () => {
    yard = await openYard();
    const node = await allocatedToAlice(1);
    await expectTRPCError(yard.bob.protected.nodes.release({ systemId: node.systemId }), 'FORBIDDEN');
    expect((await yard.admin.protected.nodes.release({ systemId: node.systemId })).status).toBe('ready');
  });

  it('with an erase delay: releasing until the sweeper finds the erase done', async () => {
    yard = await openYard({ eraseDelayMs: 5 * MINUTE });
    const node = await allocatedToAlice(1);
    await yard.alice.protected.nodes.annotate({ systemId: node.systemId, annotations: { purpose: 'ci' } });

    const releasing = await yard.alice.protected.nodes.release({ systemId: node.systemId });
    expect(releasing).toMatchObject({ status: 'releasing', owner: null, annotations: {} });
    await expectTRPCError(yard.bob.protected.nodes.acquire({ systemId: node.systemId }), 'CONFLICT', /releasing/);
    // Releasing again while it erases changes nothing.
    expect((await yard.alice.protected.nodes.release({ systemId: node.systemId })).status).toBe('releasing');

    yard.advance(5 * MINUTE - 1);
    expect(await yard.app.sweep()).toBe(0);
    yard.advance(1);
    expect(await yard.app.sweep()).toBe(1);
    expect(await yard.bob.protected.nodes.get({ systemId: node.systemId })).toMatchObject({ status: 'ready', owner: null });
    expect((await history(node.systemId)).slice(-2)).toEqual(RELEASED('allocated', 'alice'));
  });
});

describe('broken, fixed, retired, deleted', () => {
  it('markBroken needs a comment, kept as the status message; markFixed (admin) → ready', async () => {
    yard = await openYard();
    const node = await allocatedToAlice(1);
    const fields = await expectInvalidInput(
      yard.alice.protected.nodes.markBroken({ systemId: node.systemId, comment: '  ' }),
      'protected.nodes.markBroken',
    );
    expect(fields).toEqual({ comment: ['say why the node is broken'] });
    await expectTRPCError(yard.bob.protected.nodes.markBroken({ systemId: node.systemId, comment: 'mine now' }), 'FORBIDDEN');

    const broken = await yard.alice.protected.nodes.markBroken({ systemId: node.systemId, comment: 'PSU fan screams' });
    expect(broken).toMatchObject({ status: 'broken', statusMessage: 'PSU fan screams' });
    const [event] = (await yard.admin.protected.events.list({ systemId: node.systemId, type: 'markBroken' })).items;
    expect(event?.details).toEqual({ comment: 'PSU fan screams' });

    await expectTRPCError(yard.alice.protected.nodes.markFixed({ systemId: node.systemId }), 'FORBIDDEN');
    const fixed = await yard.admin.protected.nodes.markFixed({ systemId: node.systemId });
    expect(fixed).toMatchObject({ status: 'ready', statusMessage: null, owner: null });
  });

  it('a ready node can be marked broken by an admin only (it has no owner)', async () => {
    yard = await openYard();
    const node = await enlisted(1);
    await expectTRPCError(yard.alice.protected.nodes.markBroken({ systemId: node.systemId, comment: 'x' }), 'FORBIDDEN');
    expect((await yard.admin.protected.nodes.markBroken({ systemId: node.systemId, comment: 'x' })).status).toBe('broken');
  });

  it('retire is for admins; a retired node may only be deleted', async () => {
    yard = await openYard();
    const node = await enlisted(1);
    await expectTRPCError(yard.alice.protected.nodes.retire({ systemId: node.systemId }), 'FORBIDDEN');
    expect((await yard.admin.protected.nodes.retire({ systemId: node.systemId })).status).toBe('retired');
    await expectTRPCError(yard.alice.protected.nodes.acquire({ systemId: node.systemId }), 'CONFLICT', /retired/);
    await expectTRPCError(
      yard.admin.protected.nodes.markFixed({ systemId: node.systemId }),
      'CONFLICT',
      `cannot markFixed node ${node.systemId}: it is retired (allowed from 'retired': delete)`,
    );
  });

  it('delete (admin) forgets the node and keeps its events', async () => {
    yard = await openYard();
    const node = await enlisted(1);
    await expectTRPCError(yard.alice.protected.nodes.delete({ systemId: node.systemId }), 'FORBIDDEN');
    expect(await yard.admin.protected.nodes.delete({ systemId: node.systemId })).toEqual({ deleted: node.systemId });

    await expectTRPCError(yard.admin.protected.nodes.get({ systemId: node.systemId }), 'NOT_FOUND');
    await expectTRPCError(yard.admin.protected.nodes.delete({ systemId: node.systemId }), 'NOT_FOUND');
    expect(await history(node.systemId)).toEqual(['enlist ∅ → ready by root', 'delete ready → ∅ by root']);
    // Its MAC is free again.
    expect((await yard.anonymous.enlist(machine(1))).systemId).not.toBe(node.systemId);
  });

  it.each(['allocated', 'deployed'] as const)('delete refuses a node that is %s', async (status) => {
    yard = await openYard();
    const systemId = await ownedByAlice(status);
    await expectTRPCError(yard.admin.protected.nodes.delete({ systemId }), 'CONFLICT', new RegExp(`it is ${status}`));
    expect((await yard.admin.protected.nodes.get({ systemId })).status).toBe(status);
  });
});

/** The person-started actions, each as the procedure that takes it (acquire is checked in constraints.test.ts). */
type PersonAction = Exclude<
  { [A in NodeAction]: (typeof TRANSITIONS)[A]['actor'] extends 'machine' | 'system' ? never : A }[NodeAction],
  'acquire'
>;
const TAKE: Record<PersonAction, (caller: Caller, systemId: string) => Promise<unknown>> = {
  accept: (caller, systemId) => caller.protected.nodes.accept({ systemIds: [systemId] }),
  commission: (caller, systemId) => caller.protected.nodes.commission({ systemId }),
  abort: (caller, systemId) => caller.protected.nodes.abort({ systemId }),
  deploy: (caller, systemId) => caller.protected.nodes.deploy({ systemId }),
  release: (caller, systemId) => caller.protected.nodes.release({ systemId }),
  markBroken: (caller, systemId) => caller.protected.nodes.markBroken({ systemId, comment: 'testing refusals' }),
  markFixed: (caller, systemId) => caller.protected.nodes.markFixed({ systemId }),
  retire: (caller, systemId) => caller.protected.nodes.retire({ systemId }),
  delete: (caller, systemId) => caller.protected.nodes.delete({ systemId }),
};

/** Puts a fresh node in `status` (commissioning on, erase delay on, so every status is reachable). */
async function nodeIn(status: NodeStatus, n: number): Promise<string> {
  if (status === 'declared') return (await yard.anonymous.enlist(machine(n))).systemId;
  const node = await enlisted(n);
  const { systemId } = node;
  if (status === 'commissioning') return systemId;
  const commissioner = yard.machineWith(node.machineToken!);
  if (status === 'failed_commissioning') {
    await commissioner.machine.reportCommissioning({ systemId, result: 'failed' });
    return systemId;
  }
  await commissioner.machine.reportCommissioning({ systemId, result: 'passed', hardware: HARDWARE });
  if (status === 'ready') return systemId;
  if (status === 'broken') return (await yard.admin.protected.nodes.markBroken({ systemId, comment: 'x' })).systemId;
  if (status === 'retired') return (await yard.admin.protected.nodes.retire({ systemId })).systemId;
  await yard.alice.protected.nodes.acquire({ systemId });
  if (status === 'allocated') return systemId;
  const { machineToken } = await yard.alice.protected.nodes.deploy({ systemId });
  if (status === 'deploying') return systemId;
  if (status === 'releasing') {
    await yard.alice.protected.nodes.abort({ systemId });
    await yard.alice.protected.nodes.release({ systemId });
    return systemId;
  }
  await yard.machineWith(machineToken!).machine.reportDeployment({ systemId, result: status === 'deployed' ? 'passed' : 'failed' });
  return systemId;
}

describe('every refused transition', () => {
  it('is a CONFLICT naming the current state and the actions allowed from it', async () => {
    yard = await openYard({ policy: { commissioning: true }, eraseDelayMs: MINUTE });
    const statuses: NodeStatus[] = [
      'declared',
      'commissioning',
      'failed_commissioning',
      'ready',
      'allocated',
      'deploying',
      'deployed',
      'failed_deployment',
      'releasing',
      'broken',
      'retired',
    ];
    let n = 0;
    let refusals = 0;
    for (const status of statuses) {
      const systemId = await nodeIn(status, ++n);
      expect((await yard.admin.protected.nodes.get({ systemId })).status).toBe(status);
      const allowed = allowedActions(status, USER_ACTIONS);
      const options = allowed.length ? `allowed from '${status}': ${allowed.join(', ')}` : `nothing is allowed from '${status}'`;
      for (const action of Object.keys(TAKE) as PersonAction[]) {
        // Releasing a node already on its way to ready, or accepting a ready one, is a no-op.
        if (allowed.includes(action as NodeAction) || (action === 'release' && (status === 'ready' || status === 'releasing'))) continue;
        if (action === 'accept' && status === 'ready') continue;
        await expectTRPCError(
          TAKE[action](yard.admin, systemId),
          'CONFLICT',
          `cannot ${action} node ${systemId}: it is ${status} (${options})`,
        );
        refusals += 1;
      }
      expect((await yard.admin.protected.nodes.get({ systemId })).status).toBe(status);
    }
    expect(refusals).toBeGreaterThan(50);
  }, 30_000);

  it('reads as a sentence for the common mistakes', async () => {
    yard = await openYard();
    const node = await enlisted(1);
    await expectTRPCError(
      yard.admin.protected.nodes.deploy({ systemId: node.systemId }),
      'CONFLICT',
      `cannot deploy node ${node.systemId}: it is ready (allowed from 'ready': commission, acquire, markBroken, retire, delete)`,
    );
    const declared = await yard.anonymous.enlist(machine(2));
    await expectTRPCError(
      yard.admin.protected.nodes.release({ systemId: declared.systemId }),
      'CONFLICT',
      `cannot release node ${declared.systemId}: it is declared (allowed from 'declared': accept, retire, delete)`,
    );
  });

  it('admin-only actions are FORBIDDEN to a plain user, whatever the state', async () => {
    yard = await openYard();
    const node = await allocatedToAlice(1);
    for (const action of ['commission', 'markFixed', 'retire', 'delete'] as const) {
      await expectTRPCError(TAKE[action](yard.alice, node.systemId), 'FORBIDDEN', /is not an admin/);
    }
  });
});

describe('protected.events.list', () => {
  /** enlist n1 (root) at 08:00; at 08:01 n2 enlists itself and is accepted; at 08:02 alice acquires n1 and releases it. */
  async function scenario() {
    yard = await openYard();
    const n1 = await enlisted(1);
    yard.advance(MINUTE);
    const n2 = await yard.anonymous.enlist(machine(2));
    await yard.admin.protected.nodes.accept({ systemIds: [n2.systemId] });
    yard.advance(MINUTE);
    await yard.alice.protected.nodes.acquire({ systemId: n1.systemId });
    await yard.alice.protected.nodes.release({ systemId: n1.systemId });
    return { n1: n1.systemId, n2: n2.systemId };
  }
  const summary = (events: { systemId: string; type: string; actor: string }[]) => events.map((e) => `${e.systemId} ${e.type} ${e.actor}`);

  it('filters by node, actor, type and time', async () => {
    const { n1, n2 } = await scenario();
    const all = (await yard.bob.protected.events.list()).items;
    expect(summary(all)).toEqual([
      `${n1} enlist root`,
      `${n2} enlist anonymous@10.0.0.5`,
      `${n2} accept root`,
      `${n1} acquire alice`,
      `${n1} release alice`,
      `${n1} finishRelease system:erase`,
    ]);
    expect(summary((await yard.bob.protected.events.list({ systemId: n2 })).items)).toEqual([
      `${n2} enlist anonymous@10.0.0.5`,
      `${n2} accept root`,
    ]);
    expect(summary((await yard.bob.protected.events.list({ actor: 'alice' })).items)).toEqual([
      `${n1} acquire alice`,
      `${n1} release alice`,
    ]);
    expect(summary((await yard.bob.protected.events.list({ type: 'enlist' })).items)).toEqual([
      `${n1} enlist root`,
      `${n2} enlist anonymous@10.0.0.5`,
    ]);
    expect(summary((await yard.bob.protected.events.list({ since: '2026-03-01T08:02:00.000Z' })).items)).toEqual(summary(all.slice(3)));
    expect(summary((await yard.bob.protected.events.list({ since: '2026-03-01T09:01:00+01:00', actor: 'root' })).items)).toEqual([
      `${n2} accept root`,
    ]);
    expect((await yard.bob.protected.events.list({ afterId: all[3]!.id })).items).toEqual(all.slice(4));
    expect((await yard.bob.protected.events.list({ systemId: n1, type: 'accept' })).items).toEqual([]);
    expect(all[3]).toMatchObject({ fromStatus: 'ready', toStatus: 'allocated', details: null, createdAt: '2026-03-01T08:02:00.000Z' });
  });

  it('pages with a cursor, under the filters', async () => {
    const { n1 } = await scenario();
    const all = (await yard.bob.protected.events.list({ systemId: n1 })).items;
    const seen: typeof all = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<Caller['protected']['events']['list']>> = await yard.bob.protected.events.list({
        systemId: n1,
        limit: 2,
        cursor,
      });
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(4);
  });

  it('needs a signed-in user and a cursor it issued', async () => {
    yard = await openYard();
    await expectTRPCError(yard.anonymous.protected.events.list(), 'UNAUTHORIZED');
    await expectTRPCError(yard.bob.protected.events.list({ cursor: 'bm90LWEtY3Vyc29y' }), 'BAD_REQUEST', /cursor/);
    expect(Object.keys(await expectInvalidInput(yard.bob.protected.events.list({ since: 'yesterday' }), 'protected.events.list'))).toEqual([
      'since',
    ]);
  });
});
