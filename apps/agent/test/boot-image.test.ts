/**
 * The built boot environment: its contents, its reuse, and (where QEMU is installed) a real boot of the
 * kernel + initramfs in a virtual machine that enlists, commissions, deploys and erases against the
 * test server.
 *
 * The image is built here with `pnpm boot-image --offline` into a temporary folder, from the Debian
 * packages already in the cache (data/boot-cache): tests never download. Without that cache (run
 * `pnpm boot-image` once) or without apt, these tests skip with the reason.
 *
 * The virtual machine's network is QEMU's user-mode network with restrict=on: the guest reaches nothing
 * but 10.0.2.100:80, which QEMU forwards (guestfwd, one `busybox nc` per connection) to the test
 * server on 127.0.0.1. No other address is ever a target.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCpioNewc } from '../scripts/boot-image-lib.mjs';
import { BUSYBOX, MIB, PACKAGE_DIR, cleanup, lookupAnswer, pattern, sha256, startServer, tempDir, type TestServer } from './harness.js';

const BUILDER = join(PACKAGE_DIR, 'scripts', 'build-boot-image.mjs');
const bootDir = tempDir('boot');
afterAll(() => cleanup(bootDir));

function runBuilder(extraEnv: Record<string, string> = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [BUILDER, '--offline'], {
    env: { ...process.env, METALYARD_BOOT_DIR: bootDir, ...extraEnv },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}`, ms: Date.now() - started };
}

const first = runBuilder();
const IMAGE_SKIP =
  first.status === 0 ? '' : `the boot image could not be built offline (run pnpm boot-image once): ${first.out.trim().split('\n').pop()}`;
if (IMAGE_SKIP) console.warn(`SKIPPED: ${IMAGE_SKIP}`);
else console.log(`boot image built offline in ${(first.ms / 1000).toFixed(1)} s`);

const QEMU = spawnSync('sh', ['-c', 'command -v qemu-system-x86_64'], { encoding: 'utf8' }).stdout.trim();
const QEMU_SKIP =
  IMAGE_SKIP ||
  (!QEMU ? 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)' : !BUSYBOX ? 'busybox is not installed' : '');
if (QEMU_SKIP && !IMAGE_SKIP) console.warn(`SKIPPED: QEMU smoke test: ${QEMU_SKIP}`);

function initrdEntries() {
  return readCpioNewc(gunzipSync(readFileSync(join(bootDir, 'initrd.img')))) as {
    name: string;
    mode: number;
    uid: number;
    gid: number;
    data: Buffer;
    rdevMajor: number;
  }[];
}

describe.skipIf(!!IMAGE_SKIP)(`the built boot image ${IMAGE_SKIP}`, () => {
  it('holds the kernel, the initramfs and the iPXE binaries, as its manifest says', () => {
    expect(first.out).toMatch(/wrote .*vmlinuz \([\d.]+ MiB\) and .*initrd\.img \([\d.]+ MiB\)/);
    const manifest = JSON.parse(readFileSync(join(bootDir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.files).sort()).toEqual([
      'initrd.img',
      'tftp/ipxe.efi',
      'tftp/snponly.efi',
      'tftp/undionly.kpxe',
      'vmlinuz',
    ]);
    for (const [name, info] of Object.entries<any>(manifest.files)) {
      const bytes = readFileSync(join(bootDir, name));
      expect(bytes.length, name).toBe(info.size);
      expect(sha256(bytes), name).toBe(info.sha256);
    }
    expect(manifest.kernel.package).toMatch(/^linux-image-\d.*-cloud-amd64$/);
    // No temporary files left behind.
    expect(readdirSync(bootDir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('the initramfs has /init, busybox, the agent, the modules in dependency order, all owned by root', () => {
    const entries = initrdEntries();
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect(byName.get('init')!.mode).toBe(0o100755);
    expect(byName.get('init')!.data.equals(readFileSync(join(PACKAGE_DIR, 'initramfs', 'init')))).toBe(true);
    expect(byName.get('bin/busybox')!.mode).toBe(0o100755);
    expect(byName.get('bin/sh')!.data.toString()).toBe('busybox');
    expect(byName.get('dev/console')!.rdevMajor).toBe(5);
    expect(byName.has('etc/metalyard/boot-environment')).toBe(true);
    expect(byName.get('etc/metalyard/udhcpc.script')!.mode).toBe(0o100755);
    expect(byName.get('usr/lib/metalyard-agent/metalyard-agent')!.mode).toBe(0o100755);
    for (const name of readdirSync(join(PACKAGE_DIR, 'agent', 'lib'))) {
      expect(
        byName.get(`usr/lib/metalyard-agent/lib/${name}`)!.data.equals(readFileSync(join(PACKAGE_DIR, 'agent', 'lib', name))),
        name,
      ).toBe(true);
    }
    for (const entry of entries) expect([entry.uid, entry.gid], entry.name).toEqual([0, 0]);

    const modules = byName
      .get('etc/metalyard/modules')!
      .data.toString()
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    const names = modules.map((path) => path.split('/').pop()!.replace(/\.ko$/, '').replace(/-/g, '_'));
    const virtio = [
      'virtio_ring',
      'virtio',
      'virtio_pci_modern_dev',
      'virtio_pci_legacy_dev',
      'virtio_pci',
      'failover',
      'net_failover',
      'virtio_net',
      'virtio_blk',
    ];
    expect(names.filter((name) => virtio.includes(name))).toEqual(virtio);
    for (const path of modules) {
      const entry = byName.get(path.replace(/^\//, ''));
      expect(entry, path).toBeDefined();
      expect(entry!.data.readUInt32BE(0), path).toBe(0x7f454c46);
    }
  });

  it('is reused when nothing changed, and rebuilt when an input changes', () => {
    const again = runBuilder();
    expect(again.status, again.out).toBe(0);
    expect(again.out).toContain('up to date in');
    const before = readFileSync(join(bootDir, 'initrd.img'));

    const changed = runBuilder({ METALYARD_BOOT_MODULES: 'loop' });
    expect(changed.status, changed.out).toBe(0);
    expect(changed.out).toContain('(cached)');
    expect(changed.out).toMatch(/modules, in load order: .* loop\b/);
    expect(readFileSync(join(bootDir, 'initrd.img')).equals(before)).toBe(false);
    expect(initrdEntries().some((entry) => entry.name.endsWith('/loop.ko'))).toBe(true);
  });
});

// --- booting it ------------------------------------------------------------------------------------

const MAC = '52:54:00:4d:4c:01';
const GUEST_URL = 'http://10.0.2.100';
const BOOT_LIMIT_MS = 90_000;

interface Boot {
  code: number | null;
  log: string;
  ms: number;
  firstCallMs: number | null;
}

let server: TestServer;
const diskDir = tempDir('vm');
const disk = join(diskDir, 'disk.img');
writeFileSync(disk, '');
truncateSync(disk, 64 * MIB);
afterAll(() => cleanup(diskDir));

/** Boots the image once; resolves when QEMU ends (the guest powered off or rebooted) or is killed at the limit. */
async function boot(env: string, cpus = 1): Promise<Boot> {
  const started = Date.now();
  const callsBefore = server.calls.length;
  const args = [
    '-accel',
    'tcg',
    '-m',
    '512',
    '-smp',
    String(cpus),
    '-nographic',
    '-no-reboot',
    '-nodefaults',
    '-serial',
    'stdio',
    '-kernel',
    join(bootDir, 'vmlinuz'),
    '-initrd',
    join(bootDir, 'initrd.img'),
    '-append',
    `console=ttyS0 metalyard.url=${GUEST_URL} metalyard.env=${env} BOOTIF=01-${MAC.replace(/:/g, '-')}`,
    '-netdev',
    `user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:${BUSYBOX} nc 127.0.0.1 ${server.port}`,
    '-device',
    `virtio-net-pci,netdev=n0,mac=${MAC}`,
    '-drive',
    `file=${disk},format=raw,if=none,id=d0`,
    '-device',
    'virtio-blk-pci,drive=d0,serial=MLSMOKE01',
  ];
  const qemu = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  qemu.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  qemu.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const timer = setTimeout(() => qemu.kill('SIGKILL'), BOOT_LIMIT_MS);
  const code = await new Promise<number | null>((done) => qemu.on('exit', (c) => done(c)));
  clearTimeout(timer);
  const firstCall = server.calls[callsBefore];
  return { code, log, ms: Date.now() - started, firstCallMs: firstCall ? firstCall.at - started : null };
}

const agentLines = (log: string) => log.split(/\r?\n/).filter((line) => line.startsWith('metalyard-'));

describe.skipIf(!!QEMU_SKIP)(`QEMU: the boot environment boots and its agent works ${QEMU_SKIP}`, () => {
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("enlists: the server receives enlist with the VM's MAC, then the VM powers itself off", async () => {
    server.handle('enlist', () => ({ data: { systemId: 'vm0001', status: 'declared' } }));
    const run = await boot('enlist');
    const lines = agentLines(run.log).join('\n');
    expect(run.code, lines || run.log.slice(-3000)).toBe(0);
    expect(server.calls.map((call) => call.procedure)).toEqual(['enlist']);
    expect(server.calls[0]!.input).toEqual({ architecture: 'amd64/generic', macAddresses: [MAC] });
    expect(lines).toContain('metalyard-agent: enlisted as vm0001 (declared)');
    expect(run.ms).toBeLessThan(BOOT_LIMIT_MS);
    console.log(
      `enlist boot: first HTTP call after ${((run.firstCallMs ?? 0) / 1000).toFixed(1)} s, powered off after ${(run.ms / 1000).toFixed(1)} s\n${lines}`,
    );
  });

  it("commissions: reports the VM's real CPUs, memory, disk (size, serial) and NIC", async () => {
    server.handle('machine.lookup', () => ({ data: lookupAnswer({ systemId: 'vm0001', token: 'mlm_vm-token' }) }));
    server.handle('machine.heartbeat', () => ({ data: { status: 'commissioning', proceed: true } }));
    server.handle('machine.reportCommissioning', () => ({ data: { systemId: 'vm0001', status: 'ready' } }));
    // Two virtual CPUs here (one elsewhere: TCG boots faster with one), to see the count is read, not assumed.
    const run = await boot('commission', 2);
    const lines = agentLines(run.log).join('\n');
    expect(run.code, lines || run.log.slice(-3000)).toBe(0);
    const report = server.calls.find((call) => call.procedure === 'machine.reportCommissioning')?.input as any;
    expect(report, lines).toBeDefined();
    expect(report.result, lines).toBe('passed');
    const { hardware } = report;
    expect(hardware.cpuCount).toBe(2);
    expect(hardware.cpuModel).toMatch(/\S/);
    expect(hardware.memoryMb).toBeGreaterThan(350);
    expect(hardware.memoryMb).toBeLessThanOrEqual(512);
    expect(hardware.storage).toEqual([{ name: 'vda', sizeGb: 0.07, sizeBytes: 64 * MIB, serial: 'MLSMOKE01' }]);
    expect(hardware.nics).toEqual([expect.objectContaining({ name: 'eth0', mac: MAC, link: 'up' })]);
    expect(report.tests.map((test: any) => [test.name, test.passed])).toEqual([
      ['memory-size', true],
      ['disk-read-vda', true],
    ]);
    console.log(`commission boot: ${(run.ms / 1000).toFixed(1)} s; hardware ${JSON.stringify(hardware)}`);
  });

  it("deploys: the image's bytes end up on the VM's disk file, then the VM reboots", async () => {
    const image = pattern(3 * MIB + 512, 21);
    server.image('smoke.raw', { bytes: image, token: 'mlm_vm-deploy' });
    server.handle('machine.lookup', () => ({
      data: lookupAnswer({
        systemId: 'vm0001',
        status: 'deploying',
        step: 'deploy',
        token: 'mlm_vm-deploy',
        image: { name: 'smoke.raw', url: `${GUEST_URL}/images/smoke.raw`, sha256: sha256(image), sizeBytes: image.length },
      }),
    }));
    server.handle('machine.heartbeat', () => ({ data: { status: 'deploying', proceed: true } }));
    server.handle('machine.reportDeployment', () => ({ data: { systemId: 'vm0001', status: 'deployed' } }));
    const run = await boot('deploy');
    const lines = agentLines(run.log).join('\n');
    expect(run.code, lines || run.log.slice(-3000)).toBe(0);
    expect(server.calls.find((call) => call.procedure === 'machine.reportDeployment')?.input, lines).toEqual({
      systemId: 'vm0001',
      result: 'passed',
    });
    expect(lines).toContain('metalyard-agent: rebooting: into the deployed system');
    const fd = openSync(disk, 'r');
    const onDisk = Buffer.alloc(image.length);
    readSync(fd, onDisk, 0, image.length, 0);
    closeSync(fd);
    expect(onDisk.equals(image)).toBe(true);
    console.log(`deploy boot: ${(run.ms / 1000).toFixed(1)} s`);
  });

  it('erases: the disk file no longer holds the image', async () => {
    server.handle('machine.lookup', () => ({
      data: lookupAnswer({ systemId: 'vm0001', status: 'releasing', step: 'erase', token: 'mlm_vm-erase', erase: { mode: 'quick' } }),
    }));
    server.handle('machine.heartbeat', () => ({ data: { status: 'releasing', proceed: true } }));
    server.handle('machine.reportErase', () => ({ data: { systemId: 'vm0001', status: 'ready' } }));
    const run = await boot('erase');
    const lines = agentLines(run.log).join('\n');
    expect(run.code, lines || run.log.slice(-3000)).toBe(0);
    expect(server.calls.find((call) => call.procedure === 'machine.reportErase')?.input, lines).toEqual({
      systemId: 'vm0001',
      result: 'passed',
    });
    const fd = openSync(disk, 'r');
    const head = Buffer.alloc(8 * MIB);
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    expect(head.every((byte) => byte === 0)).toBe(true);
    expect(existsSync(disk)).toBe(true);
    console.log(`erase boot: ${(run.ms / 1000).toFixed(1)} s`);
  });
});
