import { describe, expect, it } from 'vitest';
import { BUSYBOX, SKIP_REASON, lookupAnswer, runAgent, shell, perTestWorld } from './harness.js';

const world = perTestWorld();
const machine = world.machine;

const NODE = {
  systemId: 'k3v9qa',
  hostname: 'quiet-otter',
  status: 'declared',
  architecture: 'amd64/generic',
  macAddresses: ['52:54:00:12:34:56'],
  tags: [],
  hardware: null,
  annotations: {},
};

describe.skipIf(!BUSYBOX)(`enlistment ${SKIP_REASON}`, () => {
  it('enlists with its architecture and every MAC (BOOTIF first), logs the node and powers off', async () => {
    world.server.handle('enlist', () => ({ data: NODE }));
    const m = machine({
      cmdline: 'BOOT_IMAGE=vmlinuz console=ttyS0 BOOTIF=01-52-54-00-AB-CD-EF quiet',
      nics: [
        { name: 'lo', mac: '00:00:00:00:00:00' },
        { name: 'eth0', mac: '52:54:00:12:34:56', operstate: 'up' },
        { name: 'eth1', mac: '52:54:00:AB:CD:EF', operstate: 'down' },
        { name: 'dummy0', mac: '00:00:00:00:00:00' },
        { name: 'ib0', mac: '80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0b:f8:b1' },
      ],
    });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'enlist' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['enlist']);
    const [call] = world.server.calls;
    expect(call!.input).toEqual({ architecture: 'amd64/generic', macAddresses: ['52:54:00:ab:cd:ef', '52:54:00:12:34:56'] });
    expect(call!.contentType).toBe('application/json');
    expect(call!.authorization).toBeUndefined();
    expect(run.log).toContain('metalyard-agent: enlisted as k3v9qa (declared)');
    expect(run.power).toEqual(['poweroff']);
  });

  it('reads the URL and the environment from the kernel command line', async () => {
    world.server.handle('enlist', () => ({ data: NODE }));
    const m = machine({ cmdline: `console=ttyS0 metalyard.url=${world.server.url} metalyard.env=enlist BOOTIF=01-52-54-00-12-34-56` });
    const run = await runAgent({ machine: m });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['enlist']);
    expect(run.log).toContain(`env enlist, server ${world.server.url}, booted from 52:54:00:12:34:56`);
  });

  it('maps uname -m to Metalyard architectures', () => {
    const table: Record<string, string> = {
      x86_64: 'amd64/generic',
      aarch64: 'arm64/generic',
      i686: 'i386/generic',
      i386: 'i386/generic',
      armv7l: 'armhf/generic',
      ppc64le: 'ppc64el/generic',
      s390x: 's390x/generic',
      riscv64: 'riscv64/generic',
    };
    for (const [machineType, architecture] of Object.entries(table)) {
      expect(shell('facts_architecture', { METALYARD_UNAME_M: machineType }).stdout.trim()).toBe(architecture);
    }
    const unknown = shell('facts_architecture', { METALYARD_UNAME_M: 'vax' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("unknown machine type 'vax'");
  });

  it('a 409 (MAC of a node in another state) is not retried: it logs the message and powers off', async () => {
    world.server.handle('enlist', () => ({ status: 409, message: "MAC 52:54:00:12:34:56 belongs to node k3v9qa, which is 'ready'" }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'enlist' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls).toHaveLength(1);
    expect(run.log).toContain("refused the enlistment (HTTP 409): MAC 52:54:00:12:34:56 belongs to node k3v9qa, which is 'ready'");
    expect(run.power).toEqual(['poweroff']);
  });

  it('without any NIC it says so and exits 1 (init then powers off)', async () => {
    const run = await runAgent({
      machine: machine({ nics: [{ name: 'lo', mac: '00:00:00:00:00:00' }] }),
      url: world.server.url,
      env: 'enlist',
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain('no network interface with a MAC address');
    expect(world.server.calls).toHaveLength(0);
  });

  it('without a server URL it says how to give one', async () => {
    const run = await runAgent({ machine: machine(), env: 'enlist' });
    expect(run.code).toBe(1);
    expect(run.log).toContain('set metalyard.url=http://HOST:PORT');
  });
});

describe.skipIf(!BUSYBOX)(`lookup ${SKIP_REASON}`, () => {
  it('an unknown MAC: nothing to do, no token asked for again, power off', async () => {
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ systemId: null, status: null, step: 'none', token: null }) }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['machine.lookup']);
    expect(world.server.calls[0]!.input).toEqual({ macAddresses: ['52:54:00:12:34:56'] });
    expect(world.server.calls[0]!.authorization).toBeUndefined();
    expect(run.log).toContain('unknown to the server');
    expect(run.power).toEqual(['poweroff']);
  });

  it('an unknown MAC without metalyard.env enlists', async () => {
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ systemId: null, status: null, step: 'none', token: null }) }));
    world.server.handle('enlist', () => ({ data: NODE }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: null });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['machine.lookup', 'enlist']);
    expect(run.log).toContain('enlisted as k3v9qa (declared)');
  });

  it('a known node without a token (handed out before): says so, powers off, does nothing else', async () => {
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ token: null }) }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['machine.lookup']);
    expect(run.log).toContain('no token for abc234');
    expect(run.power).toEqual(['poweroff']);
  });

  it('step none: nothing to do', async () => {
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ status: 'ready', step: 'none', token: null }) }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'erase' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls).toHaveLength(1);
    expect(run.log).toContain('nothing to do for abc234 in status ready');
    expect(run.power).toEqual(['poweroff']);
  });

  it('with a token it works its step, and never prints the token', async () => {
    const token = 'mlm_do-not-print-me-3f9a';
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ token }) }));
    world.server.handle('machine.heartbeat', () => ({ data: { status: 'commissioning', proceed: true } }));
    world.server.handle('machine.reportCommissioning', () => ({ data: { systemId: 'abc234', status: 'ready' } }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.calls[0]!.procedure).toBe('machine.lookup');
    for (const call of world.server.calls.slice(1)) expect(call.authorization).toBe(`Bearer ${token}`);
    expect(world.server.calls.at(-1)!.procedure).toBe('machine.reportCommissioning');
    expect(run.log).not.toContain(token);
    expect(run.log).not.toContain('do-not-print');
    expect(run.log).toContain('looked up as abc234 (commissioning), step commission');
  });
});
