import { describe, expect, it } from 'vitest';
import { BUSYBOX, MIB, SKIP_REASON, lookupAnswer, runAgent, perTestWorld } from './harness.js';

const world = perTestWorld();
const machine = world.machine;

const TOKEN = 'mlm_commissioning-token';

function commissioningServer(heartbeat: (input: any, n: number) => any = () => ({ data: { status: 'commissioning', proceed: true } })) {
  let beats = 0;
  world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ token: TOKEN }) }));
  world.server.handle('machine.heartbeat', (input) => heartbeat(input, ++beats));
  world.server.handle('machine.reportCommissioning', (input) => ({
    data: { systemId: input.systemId, status: input.result === 'passed' ? 'ready' : 'failed_commissioning' },
  }));
}

const report = () => world.server.calls.find((call) => call.procedure === 'machine.reportCommissioning')?.input as any;

describe.skipIf(!BUSYBOX)(`commissioning ${SKIP_REASON}`, () => {
  it('reports the facts of the machine: CPUs, memory, disks with size/model/serial, NICs with link', async () => {
    commissioningServer();
    const m = machine({
      cpus: 4,
      cpuModel: 'AMD EPYC 7302 16-Core Processor',
      memKb: 16_384_000,
      disks: [
        { name: 'vda', sizeBytes: 96 * MIB, serial: 'VIRTIO-SN-1', serialAt: 'serial' },
        { name: 'nvme0n1', sizeBytes: 80 * MIB, model: 'Samsung SSD 980 PRO 1TB', serial: 'S5GXNF0R123456', serialAt: 'device/serial' },
        { name: 'sda', sizeBytes: 72 * MIB, model: 'QEMU HARDDISK', serial: 'QM00001', serialAt: 'vpd_pg80' },
        { name: 'sdb', sizeBytes: 8 * MIB },
      ],
      otherBlock: ['loop0', 'ram0', 'zram0', 'sr0', 'fd0'],
      nics: [
        { name: 'lo', mac: '00:00:00:00:00:00', operstate: 'unknown' },
        { name: 'eno1', mac: 'AC:1F:6B:00:00:01', operstate: 'up', carrier: '1', speed: '25000' },
        { name: 'eno2', mac: 'ac:1f:6b:00:00:02', operstate: 'down', carrier: '0', speed: '-1' },
        { name: 'eth0', mac: '52:54:00:12:34:56', operstate: 'unknown', carrier: '1' },
        { name: 'eth1', mac: '52:54:00:12:34:57', operstate: 'unknown', speed: '0' },
      ],
    });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    const body = report();
    expect(body).toBeDefined();
    expect(body.systemId).toBe('abc234');
    expect(body.result, run.log).toBe('passed');
    expect(body.reason).toBeUndefined();
    expect(body.hardware).toEqual({
      cpuCount: 4,
      cpuModel: 'AMD EPYC 7302 16-Core Processor',
      memoryMb: 16_000,
      storage: [
        { name: 'nvme0n1', sizeGb: 0.08, sizeBytes: 80 * MIB, model: 'Samsung SSD 980 PRO 1TB', serial: 'S5GXNF0R123456' },
        { name: 'sda', sizeGb: 0.08, sizeBytes: 72 * MIB, model: 'QEMU HARDDISK', serial: 'QM00001' },
        { name: 'sdb', sizeGb: 0.01, sizeBytes: 8 * MIB },
        { name: 'vda', sizeGb: 0.1, sizeBytes: 96 * MIB, serial: 'VIRTIO-SN-1' },
      ],
      nics: [
        { name: 'eno1', mac: 'ac:1f:6b:00:00:01', link: 'up', speedMbps: 25000 },
        { name: 'eno2', mac: 'ac:1f:6b:00:00:02', link: 'down' },
        { name: 'eth0', mac: '52:54:00:12:34:56', link: 'up' },
        { name: 'eth1', mac: '52:54:00:12:34:57', link: 'down' },
      ],
    });
    expect(body.tests.map((test: any) => [test.name, test.passed])).toEqual([
      ['memory-size', true],
      ['disk-read-nvme0n1', true],
      ['disk-read-sda', true],
      ['disk-read-sdb', true],
      ['disk-read-vda', true],
    ]);
    expect(body.tests[0].output).toBe('MemTotal 16384000 kB = 16000 MiB (minimum 64 MiB)');
    // 64 MiB of the big disks, all of the small one.
    expect(body.tests[1].output).toContain(`read ${64 * MIB} bytes of`);
    expect(body.tests[3].output).toContain(`read ${8 * MIB} bytes of`);
    expect(body.tests[3].output).toContain(`${8 * MIB} bytes`);
    // Every call after the lookup carries the token; phases showed up as heartbeats in order.
    const after = world.server.calls.slice(1);
    expect(after.every((call) => call.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const messages = after.filter((call) => call.procedure === 'machine.heartbeat').map((call: any) => call.input.message);
    expect(messages).toEqual([
      'reading hardware facts',
      'testing memory',
      'reading disk nvme0n1',
      'reading disk sda',
      'reading disk sdb',
      'reading disk vda',
      'reporting',
    ]);
    for (const call of after.filter((c) => c.procedure === 'machine.heartbeat'))
      expect(Object.keys(call.input as object).sort()).toEqual(['message', 'step', 'systemId']);
    expect((after[0]!.input as any).step).toBe('commission');
    expect(run.log).toContain('machine.reportCommissioning delivered: the node is now ready');
    expect(run.power).toEqual(['poweroff']);
  });

  it('omits what it cannot know: no CPU model, no disk model or serial, no speed', async () => {
    commissioningServer();
    const m = machine({
      cpus: 1,
      cpuModel: null,
      disks: [{ name: 'vda', sizeBytes: 16 * MIB }],
      nics: [{ name: 'eth0', mac: '52:54:00:12:34:56' }],
    });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(report().hardware).toEqual({
      cpuCount: 1,
      memoryMb: 3934,
      storage: [{ name: 'vda', sizeGb: 0.02, sizeBytes: 16 * MIB }],
      nics: [{ name: 'eth0', mac: '52:54:00:12:34:56', link: 'down' }],
    });
  });

  it('fails commissioning when a test fails: too little memory, an unreadable disk', async () => {
    commissioningServer();
    const m = machine({
      memKb: 32 * 1024,
      disks: [
        { name: 'vda', sizeBytes: 16 * MIB },
        { name: 'vdb', sizeBytes: 16 * MIB, noDevice: true },
      ],
    });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    const body = report();
    expect(body.result).toBe('failed');
    expect(body.tests.map((test: any) => [test.name, test.passed])).toEqual([
      ['memory-size', false],
      ['disk-read-vda', true],
      ['disk-read-vdb', false],
    ]);
    expect(body.reason).toMatch(
      /^failed tests: memory-size: MemTotal 32768 kB = 32 MiB \(minimum 64 MiB\); disk-read-vdb: read 16777216 bytes of .*vdb/,
    );
    expect(body.hardware.memoryMb).toBe(32);
    expect(run.log).toContain('machine.reportCommissioning delivered: the node is now failed_commissioning');
    expect(run.power).toEqual(['poweroff']);
  });

  it('stops at proceed:false: no report, powers off', async () => {
    commissioningServer((input) =>
      input.message === 'testing memory'
        ? { data: { status: 'failed_commissioning', proceed: false } }
        : { data: { status: 'commissioning', proceed: true } },
    );
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toBeUndefined();
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['machine.lookup', 'machine.heartbeat', 'machine.heartbeat']);
    expect(run.log).toContain('commission stopped: the server says stop (status failed_commissioning)');
    expect(run.power).toEqual(['poweroff']);
  });

  it('stops at a 401 (the token is void): no report, powers off, and does not retry the heartbeat', async () => {
    commissioningServer(() => ({ status: 401, message: 'this machine token is not valid' }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toBeUndefined();
    expect(world.server.calls.map((call) => call.procedure)).toEqual(['machine.lookup', 'machine.heartbeat']);
    expect(run.log).toContain('commission stopped: the server no longer accepts this step');
    expect(run.log).toContain('this machine token is not valid');
    expect(run.power).toEqual(['poweroff']);
  });

  it('keeps working when heartbeats are not delivered (an older server without machine.heartbeat)', async () => {
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ token: TOKEN }) }));
    world.server.handle('machine.reportCommissioning', () => ({ data: { systemId: 'abc234', status: 'ready' } }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    expect(report().result).toBe('passed');
    expect(run.log).toContain('heartbeat not delivered (HTTP 404');
  });

  it('sends heartbeats in the background every heartbeatSeconds while a phase lasts', async () => {
    world.server.handle('machine.lookup', () => ({ data: lookupAnswer({ token: TOKEN, heartbeatSeconds: 1 }) }));
    world.server.handle('machine.heartbeat', async (input) => {
      // The phase heartbeat of the disk read answers slowly: the test of that disk lasts ~3.5 s.
      if (input.message === 'reading disk vda' && !slowed) {
        slowed = true;
        await new Promise((done) => setTimeout(done, 3500));
      }
      return { data: { status: 'commissioning', proceed: true } };
    });
    let slowed = false;
    world.server.handle('machine.reportCommissioning', () => ({ data: { systemId: 'abc234', status: 'ready' } }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'commission' });
    expect(run.code, run.log).toBe(0);
    const beats = world.server.calls.filter((call) => call.procedure === 'machine.heartbeat');
    // Phase heartbeats (4) plus background ones during the slow phase.
    expect(beats.length, JSON.stringify(beats.map((b: any) => b.input.message))).toBeGreaterThanOrEqual(6);
    expect(beats.length).toBeLessThanOrEqual(10);
    expect(beats.filter((call: any) => call.input.message === 'reading disk vda').length).toBeGreaterThanOrEqual(3);
  });
});
