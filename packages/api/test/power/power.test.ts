/**
 * Power control against a real BMC simulator (openipmi's ipmi_sim) through the real ipmi driver
 * (ipmitool): the procedures, their permission and state rules, events, the sync, and the lifecycle
 * driving the BMC. Skipped, with a message, only where ipmi_sim or ipmitool is missing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PowerType } from '@metalyard/domain';
import { POWER_DRIVERS } from '@metalyard/power';
import { ipmiToolsMissing, startIpmiSim, type IpmiSim } from '@metalyard/power/testing';
import type { PowerDrivers, SettingsOverrides } from '@metalyard/usecases';
import { events, expectInvalidInput, expectTRPCError, machine, openYard, seed, type Cast, type Yard } from '../harness.js';

const drivers: PowerDrivers = {
  driverFor: (type: PowerType) => (type === 'ipmi' || type === 'redfish' || type === 'webhook' ? POWER_DRIVERS[type] : null),
};
const missing = ipmiToolsMissing();
if (missing) console.warn(`SKIPPED: power tests against ipmi_sim: ${missing}`);

let yard: Yard | undefined;
const sims: IpmiSim[] = [];
afterEach(async () => {
  await yard?.close();
  yard = undefined;
  for (const sim of sims.splice(0)) await sim.stop();
});

async function open(settings: SettingsOverrides = {}): Promise<Cast> {
  yard = await openYard({ power: drivers, settings: { power: { timeoutMs: 3_000, attempts: 2 }, ...settings } });
  return seed(yard);
}

async function bmc(options: Parameters<typeof startIpmiSim>[0] = {}): Promise<IpmiSim> {
  const sim = await startIpmiSim(options);
  sims.push(sim);
  return sim;
}

/** The node's power events as `type outcome`, oldest first. */
async function powerEvents(systemId: string): Promise<string[]> {
  const rows = await events(yard!);
  const details = await Promise.all(
    rows.filter((row) => row.system_id === systemId && /^(power|boot)/.test(row.type)).map(async (row) => row),
  );
  const page = await yard!.app.events.list({ systemId, limit: 1000 });
  const byId = new Map(page.items.map((event) => [event.id, event]));
  return details.map((row) => `${row.type} ${String(byId.get(row.id)?.details?.outcome ?? '')}`.trim());
}

/** Waits (at most 15 s) until `check` holds. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(missing !== null)('power control through ipmi_sim', { timeout: 60_000 }, () => {
  it('powers on, queries, cycles and powers off, recording each request and outcome', async () => {
    const as = await open();
    const sim = await bmc({ power: 'off' });
    const node = await as.admin.caller.protected.enlist(machine(1, { powerType: 'ipmi', powerParameters: sim.parameters }));
    expect(node.powerState).toBe('unknown');

    expect((await as.admin.caller.protected.nodes.powerOn({ systemId: node.systemId })).powerState).toBe('on');
    expect(sim.state().power).toBe('on');
    sim.setPower(false);
    const queried = await as.admin.caller.protected.nodes.powerQuery({ systemId: node.systemId });
    expect(queried.powerState).toBe('off');
    expect(queried.powerStateCheckedAt).not.toBeNull();
    expect((await as.admin.caller.protected.nodes.powerCycle({ systemId: node.systemId })).powerState).toBe('on');
    expect(sim.state().power).toBe('on');
    expect((await as.admin.caller.protected.nodes.powerOff({ systemId: node.systemId })).powerState).toBe('off');
    expect(sim.state().power).toBe('off');

    expect(await powerEvents(node.systemId)).toEqual([
      'power_on requested',
      'power_on succeeded',
      'power_cycle requested',
      'power_cycle succeeded',
      'power_off requested',
      'power_off succeeded',
    ]);
  });

  it('a wrong password is a 502 with a clear message and a failed event; the node is unchanged and the password appears nowhere', async () => {
    const as = await open();
    const sim = await bmc({ password: 'right-password' });
    const node = await as.admin.caller.protected.enlist(
      machine(2, { powerType: 'ipmi', powerParameters: { ...sim.parameters, password: 'wrong-password' } }),
    );
    const error = await expectTRPCError(as.admin.caller.protected.nodes.powerOn({ systemId: node.systemId }), 'BAD_GATEWAY');
    expect(error.message).toMatch(/power on failed for node/);
    expect(error.message).not.toContain('wrong-password');
    const after = await as.admin.caller.protected.nodes.get({ systemId: node.systemId });
    expect({ status: after.status, powerState: after.powerState }).toEqual({ status: 'ready', powerState: 'unknown' });
    expect(await powerEvents(node.systemId)).toEqual(['power_on requested', 'power_on failed']);
    const page = await yard!.app.events.list({ systemId: node.systemId, limit: 100 });
    expect(JSON.stringify(page.items)).not.toContain('wrong-password');
  });

  it('an unreachable BMC fails within the bounded time and attempts', async () => {
    const as = await open({ power: { timeoutMs: 1_500, attempts: 2 } });
    const node = await as.admin.caller.protected.enlist(
      machine(3, { powerType: 'ipmi', powerParameters: { address: '127.0.0.2', port: '9', username: 'admin', password: 'password' } }),
    );
    const started = Date.now();
    await expectTRPCError(as.admin.caller.protected.nodes.powerQuery({ systemId: node.systemId }), 'BAD_GATEWAY');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('runs the operations on one node one at a time', async () => {
    const as = await open();
    const sim = await bmc();
    const node = await as.admin.caller.protected.enlist(machine(4, { powerType: 'ipmi', powerParameters: sim.parameters }));
    await Promise.all([
      as.admin.caller.protected.nodes.powerOn({ systemId: node.systemId }),
      as.admin.caller.protected.nodes.powerOff({ systemId: node.systemId }),
      as.admin.caller.protected.nodes.powerOn({ systemId: node.systemId }),
    ]);
    // Serialized: each request's outcome comes before the next request.
    expect(await powerEvents(node.systemId)).toEqual([
      'power_on requested',
      'power_on succeeded',
      'power_off requested',
      'power_off succeeded',
      'power_on requested',
      'power_on succeeded',
    ]);
    expect(sim.state().power).toBe('on');
  });

  it('who and what: the owner of an acquired node or an admin; never a manual, declared or retired node', async () => {
    const as = await open();
    const sim = await bmc();
    const node = await as.admin.caller.protected.enlist(machine(5, { powerType: 'ipmi', powerParameters: sim.parameters }));
    await expectTRPCError(as.alice.caller.protected.nodes.powerOn({ systemId: node.systemId }), 'FORBIDDEN');
    await as.alice.caller.protected.nodes.acquire({ systemId: node.systemId });
    expect((await as.alice.caller.protected.nodes.powerOn({ systemId: node.systemId })).powerState).toBe('on');
    await expectTRPCError(as.bob.caller.protected.nodes.powerOff({ systemId: node.systemId }), 'FORBIDDEN');

    const manual = await as.admin.caller.protected.enlist(machine(6));
    await expectTRPCError(as.admin.caller.protected.nodes.powerOn({ systemId: manual.systemId }), 'CONFLICT', /power type manual/);
    const declared = await as.anonymous.enlist(machine(7, { powerType: 'ipmi', powerParameters: sim.parameters }));
    await expectTRPCError(as.admin.caller.protected.nodes.powerOn({ systemId: declared.systemId }), 'CONFLICT', /declared: accept it/);
    const retired = await as.admin.caller.protected.enlist(machine(8, { powerType: 'ipmi', powerParameters: sim.parameters }));
    await as.admin.caller.protected.nodes.retire({ systemId: retired.systemId });
    await expectTRPCError(as.admin.caller.protected.nodes.powerOn({ systemId: retired.systemId }), 'CONFLICT', /retired/);
  });

  it('the sync notices a change made behind Metalyard’s back', async () => {
    const as = await open();
    const sim = await bmc();
    const node = await as.admin.caller.protected.enlist(machine(9, { powerType: 'ipmi', powerParameters: sim.parameters }));
    await as.admin.caller.protected.nodes.powerOn({ systemId: node.systemId });
    sim.setPower(false);
    expect(await yard!.app.power.sync()).toEqual({ asked: 1, changed: 1, failed: 0 });
    expect((await as.admin.caller.protected.nodes.get({ systemId: node.systemId })).powerState).toBe('off');
    const changes = await as.admin.caller.protected.events.list({ systemId: node.systemId, type: 'power_state_changed' });
    expect(changes.items.map((event) => event.details)).toEqual([{ from: 'on', to: 'off' }]);
    expect(await yard!.app.power.sync()).toEqual({ asked: 1, changed: 0, failed: 0 });
  });

  it('commissioning boots the machine from the network; passing it powers the machine off', async () => {
    const as = await open({ lifecycle: { policy: { commissioning: true } } });
    const sim = await bmc({ power: 'off' });
    const node = await as.admin.caller.protected.enlist(machine(10, { powerType: 'ipmi', powerParameters: sim.parameters }));
    expect(node.status).toBe('commissioning');
    await until(() => sim.state().power === 'on', 'the BMC to power the machine on');
    expect(sim.state().boot).toBe('pxe');
    const hardware = { cpuCount: 2, memoryMb: 2048, storage: [], nics: [] };
    await yard!.app.machine.reportCommissioning(node.machineToken!, { systemId: node.systemId, result: 'passed', hardware, tests: [] });
    await until(() => sim.state().power === 'off', 'the BMC to power the machine off');
    // The BMC answers before the outcome is recorded: wait for the event too.
    await until(async () => (await powerEvents(node.systemId)).includes('power_off succeeded'), 'the power-off to be recorded');
    expect(await powerEvents(node.systemId)).toEqual([
      'boot_device requested',
      'boot_device succeeded',
      'power_cycle requested',
      'power_cycle succeeded',
      'power_off requested',
      'power_off succeeded',
    ]);
  });

  it('a manual node’s lifecycle drives nothing', async () => {
    const as = await open({ lifecycle: { policy: { commissioning: true } } });
    const node = await as.admin.caller.protected.enlist(machine(11));
    expect(node.status).toBe('commissioning');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await powerEvents(node.systemId)).toEqual([]);
  });
});

describe('power parameters are checked by the driver at enlistment', () => {
  it('an ipmi node without an address is a 400 naming the field', async () => {
    const as = await open();
    const fields = await expectInvalidInput(
      as.admin.caller.protected.enlist(machine(12, { powerType: 'ipmi', powerParameters: { username: 'admin' } })),
      'protected.enlist',
    );
    expect(fields).toEqual({ 'powerParameters.address': ['required for ipmi'] });
  });
});
