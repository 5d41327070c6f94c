/**
 * The machine agent's side of the API (apps/agent/README.md): machine.lookup hands the step's token
 * out once per status, machine.heartbeat records progress and keeps the step alive, machine.reportErase
 * ends an agent's erase, and the sweeper fails a step whose agent went silent. Machines Metalyard
 * powers are driven through the real webhook driver against a test webhook server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DiskImage, PowerType } from '@metalyard/domain';
import { POWER_DRIVERS } from '@metalyard/power';
import { startWebhookServer, type WebhookServer } from '@metalyard/power/testing';
import type { ImageCatalog, PowerDrivers, SettingsOverrides } from '@metalyard/usecases';
import { RateLimiter } from '../../src/index.js';
import {
  BASE_URL,
  callerWith,
  expectInvalidInput,
  expectTRPCError,
  mac,
  machine,
  openYard,
  seed,
  type Cast,
  type Caller,
  type Yard,
  type YardOptions,
} from '../harness.js';

const drivers: PowerDrivers = { driverFor: (type: PowerType) => (type === 'webhook' ? POWER_DRIVERS.webhook : null) };

const IMAGES: DiskImage[] = [
  { name: 'debian-12', sizeBytes: 2_147_483_648, sha256: 'a'.repeat(64) },
  { name: 'ubuntu-24.04', sizeBytes: 3_221_225_472, sha256: 'b'.repeat(64) },
];
/** A fixed catalog (the images folder itself is tested in apps/server). */
const catalog = (images: DiskImage[] = IMAGES): ImageCatalog => ({
  list: () => Promise.resolve([...images]),
  get: (name) => Promise.resolve(images.find((image) => image.name === name) ?? null),
});

let yard: Yard | undefined;
const bmcs: WebhookServer[] = [];
afterEach(async () => {
  // Let power effects that run after a commit finish before the database closes.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await yard?.close();
  yard = undefined;
  for (const bmc of bmcs.splice(0)) await bmc.stop();
});

async function open(settings: SettingsOverrides = {}, options: YardOptions = {}): Promise<Cast & { agent: Caller }> {
  yard = await openYard({ power: drivers, images: catalog(), at: new Date('2026-12-01T10:00:00Z'), settings, ...options });
  return { ...(await seed(yard)), agent: callerWith(yard, null) };
}

async function bmc(): Promise<WebhookServer> {
  const server = await startWebhookServer({ power: 'off' });
  bmcs.push(server);
  return server;
}

/** Waits (at most 10 s) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function eventTypes(systemId: string): Promise<string[]> {
  return (await yard!.app.events.list({ systemId, limit: 1000 })).items.map((event) => event.type);
}

const HARDWARE = {
  cpuCount: 2,
  cpuModel: 'QEMU Virtual CPU version 2.5+',
  memoryMb: 481,
  storage: [{ name: 'vda', sizeGb: 0.07, sizeBytes: 67_108_864, model: 'QEMU HARDDISK', serial: 'metalyard-disk0' }],
  nics: [{ name: 'eth0', mac: mac(1), link: 'up' as const, speedMbps: 1000 }],
};

describe('machine.lookup', () => {
  it('tells an unknown machine nothing: no system id, step none, no token', async () => {
    const as = await open();
    expect(await as.agent.machine.lookup({ macAddresses: [mac(99)] })).toEqual({
      systemId: null,
      status: null,
      step: 'none',
      token: null,
      heartbeatSeconds: 10,
      image: null,
      erase: null,
    });
  });

  it('gives a node with nothing for its agent step none and no token, and records the lookup', async () => {
    const as = await open();
    const declared = await as.anonymous.enlist(machine(1));
    const ready = await as.admin.caller.protected.enlist(machine(2));
    for (const node of [declared, ready]) {
      expect(await as.agent.machine.lookup({ macAddresses: node.macAddresses })).toMatchObject({
        systemId: node.systemId,
        status: node.status,
        step: 'none',
        token: null,
      });
      expect(await eventTypes(node.systemId)).toContain('agent_lookup');
    }
  });

  it('finds the node by any of its MACs, the first known one asked winning', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1, { macAddresses: [mac(1), mac(2)] }));
    expect((await as.agent.machine.lookup({ macAddresses: [mac(50), mac(2)] })).systemId).toBe(node.systemId);
  });

  it('hands the commissioning token out once, voiding the one the operator was shown; the status ending voids it', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1));
    const started = await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const first = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    expect(first).toMatchObject({ systemId: node.systemId, status: 'commissioning', step: 'commission', heartbeatSeconds: 10 });
    expect(first.token).toMatch(/^mlm_/);
    expect(first.token).not.toBe(started.machineToken);
    // Never again in this status: a second machine answering for these MACs gets nothing to report with.
    expect((await as.agent.machine.lookup({ macAddresses: node.macAddresses })).token).toBeNull();
    const details = (await yard!.app.events.list({ systemId: node.systemId, type: 'agent_lookup', limit: 100 })).items.map(
      (event) => event.details?.token,
    );
    expect(details).toEqual(['issued', 'withheld (handed out before)']);

    const report = { systemId: node.systemId, result: 'passed' as const, hardware: HARDWARE, tests: [] };
    await expectTRPCError(callerWith(yard!, `Bearer ${started.machineToken}`).machine.reportCommissioning(report), 'UNAUTHORIZED');
    const agent = callerWith(yard!, `Bearer ${first.token}`);
    expect(await agent.machine.reportCommissioning(report)).toEqual({ systemId: node.systemId, status: 'ready' });
    await expectTRPCError(agent.machine.heartbeat({ systemId: node.systemId, step: 'commission', message: 'late' }), 'UNAUTHORIZED');

    // A new commissioning is a new status: a new token, once.
    await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    expect((await as.agent.machine.lookup({ macAddresses: node.macAddresses })).token).toMatch(/^mlm_/);
  });

  it('hands the token to exactly one of many machines asking at once for the same MACs', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1));
    await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const answers = await Promise.all(Array.from({ length: 12 }, () => as.agent.machine.lookup({ macAddresses: node.macAddresses })));
    expect(answers.filter((answer) => answer.token !== null)).toHaveLength(1);
  });

  it('keeps only the token’s hash', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1));
    await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    const dump = JSON.stringify(await yard!.db.orm.em.fork().getConnection().execute('select * from node'));
    expect(dump).not.toContain(token!);
    const events = JSON.stringify(await yard!.db.orm.em.fork().getConnection().execute('select * from node_event'));
    expect(events).not.toContain(token!);
  });

  it('is the anonymous door: rate-limited per address', async () => {
    const as = await open({}, { limiter: new RateLimiter({ ratePerSecond: 0.001, burst: 2 }) });
    await as.agent.machine.lookup({ macAddresses: [mac(1)] });
    await as.agent.machine.lookup({ macAddresses: [mac(1)] });
    await expectTRPCError(as.agent.machine.lookup({ macAddresses: [mac(1)] }), 'TOO_MANY_REQUESTS');
  });

  it('counts an IPv6 caller as its /64: a fresh address in the same /64 spends the same budget', async () => {
    await open({}, { limiter: new RateLimiter({ ratePerSecond: 0.001, burst: 2 }) });
    const from = (address: string) => callerWith(yard!, null, address).machine.lookup({ macAddresses: [mac(1)] });
    await from('2001:db8:0:1::a');
    await from('2001:db8:0:1::b');
    await expectTRPCError(from('2001:db8:0:1:ffff::c'), 'TOO_MANY_REQUESTS', /2001:db8:0:1::\/64/);
    await from('2001:db8:0:2::a');
  });

  it('refuses a lookup without MACs', async () => {
    const as = await open();
    await expectTRPCError(as.agent.machine.lookup({ macAddresses: [] }), 'BAD_REQUEST', /at least one MAC/);
  });
});

describe('machine.heartbeat', () => {
  async function commissioning(as: Cast & { agent: Caller }) {
    const node = await as.admin.caller.protected.enlist(machine(1));
    await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    return { node, agent: callerWith(yard!, `Bearer ${token}`) };
  }

  it('records the agent’s progress on the node, with an event per phase change only', async () => {
    const as = await open();
    const { node, agent } = await commissioning(as);
    const beat = (message: string) => agent.machine.heartbeat({ systemId: node.systemId, step: 'commission', message });
    expect(await beat('reading hardware facts')).toEqual({ systemId: node.systemId, status: 'commissioning', proceed: true });
    yard!.clock.advance(10_000);
    await beat('reading hardware facts');
    await beat('reading hardware facts');
    yard!.clock.advance(5_000);
    await beat('testing memory');
    const seen = await as.admin.caller.protected.nodes.get({ systemId: node.systemId });
    expect(seen.agent).toEqual({ step: 'commission', message: 'testing memory', at: '2026-12-01T10:00:15.000Z' });
    const progress = await yard!.app.events.list({ systemId: node.systemId, type: 'agent_progress', limit: 100 });
    expect(progress.items.map((event) => event.details)).toEqual([
      { step: 'commission', message: 'reading hardware facts' },
      { step: 'commission', message: 'testing memory' },
    ]);
  });

  it('says proceed:false for another step than the node’s, and 401 once the step ended (the token is void)', async () => {
    const as = await open();
    const { node, agent } = await commissioning(as);
    expect(await agent.machine.heartbeat({ systemId: node.systemId, step: 'deploy', message: 'x' })).toEqual({
      systemId: node.systemId,
      status: 'commissioning',
      proceed: false,
    });
    await as.admin.caller.protected.nodes.abort({ systemId: node.systemId });
    await expectTRPCError(agent.machine.heartbeat({ systemId: node.systemId, step: 'commission', message: 'x' }), 'UNAUTHORIZED');
  });

  it('keeps the step alive; silence past METALYARD_AGENT_TIMEOUT fails it', async () => {
    const as = await open({ agent: { timeoutMs: 60_000 } });
    const { node, agent } = await commissioning(as);
    for (let i = 0; i < 5; i++) {
      yard!.clock.advance(50_000);
      await agent.machine.heartbeat({ systemId: node.systemId, step: 'commission', message: 'testing memory' });
      expect(await yard!.app.sweep()).toBe(0);
    }
    yard!.clock.advance(61_000);
    expect(await yard!.app.sweep()).toBe(1);
    const failed = await as.admin.caller.protected.nodes.get({ systemId: node.systemId });
    expect(failed.status).toBe('failed_commissioning');
    expect(failed.statusMessage).toMatch(
      /^commissioning timed out: the machine agent stopped heartbeating \(last heard 2026-12-01T10:04:10\.000Z/,
    );
  });
});

describe('commissioning reports', () => {
  it('stores the agent’s hardware facts (CPU model, disk sizes, models, serials, links) and returns them', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1));
    await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    await callerWith(yard!, `Bearer ${token}`).machine.reportCommissioning({
      systemId: node.systemId,
      result: 'passed',
      hardware: HARDWARE,
    });
    expect((await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).hardware).toEqual(HARDWARE);
  });

  it('a failed report moves to failed_commissioning with the reason, keeping the facts', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1));
    await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    const reason = 'failed tests: disk-read-vda: read 67108864 bytes of /dev/vda: I/O error';
    await callerWith(yard!, `Bearer ${token}`).machine.reportCommissioning({
      systemId: node.systemId,
      result: 'failed',
      hardware: HARDWARE,
      tests: [{ name: 'disk-read-vda', passed: false, output: 'I/O error' }],
      reason,
    });
    expect(await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'failed_commissioning',
      statusMessage: reason,
      hardware: HARDWARE,
    });
  });

  it('refuses a NIC link that is neither up nor down', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(1));
    const started = await as.admin.caller.protected.nodes.commission({ systemId: node.systemId });
    const hardware = { ...HARDWARE, nics: [{ name: 'eth0', mac: mac(1), link: 'sideways' }] };
    const fields = await expectInvalidInput(
      callerWith(yard!, `Bearer ${started.machineToken}`).machine.reportCommissioning({
        systemId: node.systemId,
        result: 'passed',
        hardware: hardware as never,
      }),
      'machine.reportCommissioning',
    );
    expect(fields).toEqual({ 'hardware.nics.0.link': ["must be 'up' or 'down'"] });
  });
});

describe('deploying with an image', () => {
  async function allocated(as: Cast) {
    const node = await as.admin.caller.protected.enlist(machine(1));
    await as.alice.caller.protected.nodes.acquire({ systemId: node.systemId });
    return node;
  }

  it('lists the images', async () => {
    const as = await open();
    expect(await as.alice.caller.protected.images.list()).toEqual(IMAGES);
  });

  it('writes the named image, or the first one; lookup gives the agent its URL, size and SHA-256', async () => {
    const as = await open();
    const node = await allocated(as);
    // The file name stands for the image too.
    const deploying = await as.alice.caller.protected.nodes.deploy({ systemId: node.systemId, image: 'ubuntu-24.04.raw' });
    expect(deploying).toMatchObject({ status: 'deploying', image: 'ubuntu-24.04' });
    const lookup = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    expect(lookup).toMatchObject({
      step: 'deploy',
      image: {
        name: 'ubuntu-24.04',
        url: `${BASE_URL}/boot/images/ubuntu-24.04`,
        sha256: 'b'.repeat(64),
        sizeBytes: 3_221_225_472,
      },
      erase: null,
    });
    await callerWith(yard!, `Bearer ${lookup.token}`).machine.reportDeployment({ systemId: node.systemId, result: 'passed' });
    await as.alice.caller.protected.nodes.release({ systemId: node.systemId });

    await as.alice.caller.protected.nodes.acquire({ systemId: node.systemId });
    // None named: the first by name.
    expect((await as.alice.caller.protected.nodes.deploy({ systemId: node.systemId })).image).toBe('debian-12');
  });

  it('takes METALYARD_DEFAULT_IMAGE when none is named', async () => {
    const as = await open({ agent: { defaultImage: 'ubuntu-24.04' } });
    const node = await allocated(as);
    expect((await as.alice.caller.protected.nodes.deploy({ systemId: node.systemId })).image).toBe('ubuntu-24.04');
  });

  it('refuses an image that is not there, naming it, and the node stays allocated', async () => {
    const as = await open();
    const node = await allocated(as);
    await expectTRPCError(
      as.alice.caller.protected.nodes.deploy({ systemId: node.systemId, image: 'windows.img' }),
      'NOT_FOUND',
      "image 'windows' does not exist",
    );
    await expectTRPCError(as.alice.caller.protected.nodes.deploy({ systemId: node.systemId, image: '../etc/passwd' }), 'BAD_REQUEST');
    expect((await as.alice.caller.protected.nodes.get({ systemId: node.systemId })).status).toBe('allocated');
  });

  it('without any image, deploys with none (the agent then fails the deployment)', async () => {
    const as = await open({}, { images: catalog([]) });
    const node = await allocated(as);
    expect((await as.alice.caller.protected.nodes.deploy({ systemId: node.systemId })).image).toBeNull();
    expect((await as.agent.machine.lookup({ macAddresses: node.macAddresses })).image).toBeNull();
  });

  it('opens the image download to the deploying node’s current token only', async () => {
    const as = await open();
    const node = await allocated(as);
    const started = await as.alice.caller.protected.nodes.deploy({ systemId: node.systemId, image: 'debian-12' });
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    expect(await yard!.app.boot.authorizeImage(token, 'debian-12', '10.0.0.9')).toEqual(IMAGES[0]);
    for (const [bearer, name] of [
      [token, 'ubuntu-24.04'],
      [token, '../debian-12'],
      [started.machineToken!, 'debian-12'],
      [null, 'debian-12'],
      [as.alice.token, 'debian-12'],
    ] as const) {
      await expect(yard!.app.boot.authorizeImage(bearer, name, '10.0.0.9')).rejects.toMatchObject({ kind: 'unauthenticated' });
    }
    expect(await eventTypes(node.systemId)).toContain('image_download');
  });

  it('a deployment whose agent never looked up waits; one whose agent went silent fails', async () => {
    const as = await open({ agent: { timeoutMs: 60_000 } });
    const first = await allocated(as);
    await as.alice.caller.protected.nodes.deploy({ systemId: first.systemId });
    yard!.clock.advance(3_600_000);
    expect(await yard!.app.sweep()).toBe(0);
    await as.agent.machine.lookup({ macAddresses: first.macAddresses });
    yard!.clock.advance(61_000);
    expect(await yard!.app.sweep()).toBe(1);
    expect(await as.alice.caller.protected.nodes.get({ systemId: first.systemId })).toMatchObject({
      status: 'failed_deployment',
      statusMessage: expect.stringMatching(/^deployment timed out: the machine agent stopped heartbeating/),
    });
  });

  it('a failed deployment report moves to failed_deployment with the reason', async () => {
    const as = await open();
    const node = await allocated(as);
    await as.alice.caller.protected.nodes.deploy({ systemId: node.systemId });
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    const reason = `checksum mismatch: expected ${'a'.repeat(64)}, got ${'c'.repeat(64)}`;
    await callerWith(yard!, `Bearer ${token}`).machine.reportDeployment({ systemId: node.systemId, result: 'failed', reason });
    expect(await as.alice.caller.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'failed_deployment',
      statusMessage: reason,
    });
  });
});

describe('release: a machine Metalyard powers is erased by its agent', () => {
  async function releasing(as: Cast & { agent: Caller }) {
    const server = await bmc();
    const node = await as.admin.caller.protected.enlist(machine(1, { powerType: 'webhook', powerParameters: server.parameters }));
    await as.alice.caller.protected.nodes.acquire({ systemId: node.systemId });
    const released = await as.alice.caller.protected.nodes.release({ systemId: node.systemId });
    return { node, server, released };
  }

  it('release boots it from the network into the eraser; lookup names the erase; a passing report makes it ready and off', async () => {
    const as = await open({ agent: { eraseMode: 'full' } });
    const { node, server, released } = await releasing(as);
    expect(released).toMatchObject({ status: 'releasing', owner: null });
    expect(released).not.toHaveProperty('machineToken');
    await until(() => server.power === 'on' && server.boot === 'pxe', 'the BMC to boot the machine from the network');
    expect((await yard!.app.boot.decide(node.macAddresses[0]!, '10.0.0.9')).environment).toBe('erase');
    const lookup = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    expect(lookup).toMatchObject({ status: 'releasing', step: 'erase', erase: { mode: 'full' }, image: null });
    const agent = callerWith(yard!, `Bearer ${lookup.token}`);
    expect(await agent.machine.heartbeat({ systemId: node.systemId, step: 'erase', message: 'erasing vda (full, 1 bytes)' })).toMatchObject(
      {
        proceed: true,
      },
    );
    expect(await agent.machine.reportErase({ systemId: node.systemId, result: 'passed' })).toEqual({
      systemId: node.systemId,
      status: 'ready',
    });
    await until(() => server.power === 'off', 'the BMC to power the machine off');
  });

  it('a failed erase is broken, with the reason', async () => {
    const as = await open();
    const { node } = await releasing(as);
    const { token } = await as.agent.machine.lookup({ macAddresses: node.macAddresses });
    await callerWith(yard!, `Bearer ${token}`).machine.reportErase({
      systemId: node.systemId,
      result: 'failed',
      reason: 'dd: writing /dev/vda: I/O error',
    });
    expect(await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'broken',
      statusMessage: 'erase failed: dd: writing /dev/vda: I/O error',
    });
  });

  it('an erase whose agent never came is broken after the commissioning timeout', async () => {
    const as = await open({ lifecycle: { commissioningTimeoutMs: 600_000 } });
    const { node } = await releasing(as);
    yard!.clock.advance(599_000);
    expect(await yard!.app.sweep()).toBe(0);
    yard!.clock.advance(2_000);
    expect(await yard!.app.sweep()).toBe(1);
    expect(await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).toMatchObject({
      status: 'broken',
      statusMessage: 'erase timed out: the machine agent did not ask for its erase within 10 minute(s)',
    });
  });

  it('a manual node’s erase stays simulated: ready at once, nothing for an agent', async () => {
    const as = await open();
    const node = await as.admin.caller.protected.enlist(machine(2));
    await as.alice.caller.protected.nodes.acquire({ systemId: node.systemId });
    expect((await as.alice.caller.protected.nodes.release({ systemId: node.systemId })).status).toBe('ready');
    expect(await as.agent.machine.lookup({ macAddresses: node.macAddresses })).toMatchObject({ step: 'none', token: null });
  });
});

describe('the boot decision', () => {
  it('by state: unknown and declared enlist, steps boot their environment, the rest the local disk; each an event', async () => {
    const as = await open();
    const decide = async (n: number) => (await yard!.app.boot.decide(mac(n), '10.0.0.9')).environment;
    expect(await decide(1)).toBe('enlist');
    await as.anonymous.enlist(machine(1));
    expect(await decide(1)).toBe('enlist');
    const ready = await as.admin.caller.protected.enlist(machine(2));
    expect(await decide(2)).toBe('local');
    await as.admin.caller.protected.nodes.commission({ systemId: ready.systemId });
    expect(await decide(2)).toBe('commission');
    const deployed = await as.admin.caller.protected.enlist(machine(3));
    await as.alice.caller.protected.nodes.acquire({ systemId: deployed.systemId });
    await as.alice.caller.protected.nodes.deploy({ systemId: deployed.systemId });
    expect(await decide(3)).toBe('deploy');
    const boots = await yard!.app.events.list({ systemId: ready.systemId, type: 'boot', limit: 100 });
    expect(boots.items.map((event) => event.details)).toEqual([
      { environment: 'local', mac: mac(2), address: '10.0.0.9' },
      { environment: 'commission', mac: mac(2), address: '10.0.0.9' },
    ]);
  });
});
