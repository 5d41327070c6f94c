import { closeSync, openSync, readSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUSYBOX, MIB, SKIP_REASON, lookupAnswer, pattern, runAgent, sha256, perTestWorld } from './harness.js';

const world = perTestWorld();
const machine = world.machine;

const TOKEN = 'mlm_deploy-token-77';

function readBytes(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, offset);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

interface DeployOptions {
  bytes: Buffer;
  announcedSha?: string;
  announcedSize?: number;
  served?: Buffer;
  rate?: number;
  truncateAt?: number;
  imageToken?: string;
  heartbeat?: (input: any, n: number) => any;
  heartbeatSeconds?: number;
}

function deployServer(options: DeployOptions) {
  const url = world.server.image('jammy.raw', {
    bytes: options.served ?? options.bytes,
    token: options.imageToken ?? TOKEN,
    ...(options.rate ? { rate: options.rate } : {}),
    ...(options.truncateAt !== undefined ? { truncateAt: options.truncateAt } : {}),
  });
  let beats = 0;
  world.server.handle('machine.lookup', () => ({
    data: lookupAnswer({
      status: 'deploying',
      step: 'deploy',
      token: TOKEN,
      heartbeatSeconds: options.heartbeatSeconds ?? 10,
      image: {
        name: 'jammy.raw',
        url,
        sha256: options.announcedSha ?? sha256(options.bytes),
        sizeBytes: options.announcedSize ?? options.bytes.length,
      },
    }),
  }));
  world.server.handle('machine.heartbeat', (input) =>
    options.heartbeat ? options.heartbeat(input, ++beats) : { data: { status: 'deploying', proceed: true } },
  );
  world.server.handle('machine.reportDeployment', (input) => ({
    data: { systemId: input.systemId, status: input.result === 'passed' ? 'deployed' : 'failed_deployment' },
  }));
}

const report = () => world.server.calls.find((call) => call.procedure === 'machine.reportDeployment')?.input as any;

const DISKS = [
  { name: 'sdb', sizeBytes: 32 * MIB, removable: true },
  { name: 'vda', sizeBytes: 64 * MIB },
  { name: 'vdb', sizeBytes: 32 * MIB },
];

describe.skipIf(!BUSYBOX)(`deployment ${SKIP_REASON}`, () => {
  it('streams the image to the first non-removable disk, verifies it, reports passed and reboots', async () => {
    // Not a whole number of MiB: the last block is partial.
    const image = pattern(5 * MIB + 4099, 7);
    deployServer({ bytes: image });
    const m = machine({ disks: DISKS });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'deploy' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toEqual({ systemId: 'abc234', result: 'passed' });
    expect(readBytes(m.disk('vda'), 0, image.length).equals(image)).toBe(true);
    // Nothing after the image, nothing on the other disks; the disk file kept its size.
    expect(readBytes(m.disk('vda'), image.length, MIB).every((byte) => byte === 0)).toBe(true);
    expect(readBytes(m.disk('vda'), 0, 128 * MIB).length).toBe(64 * MIB);
    expect(readBytes(m.disk('sdb'), 0, MIB).every((byte) => byte === 0)).toBe(true);
    expect(readBytes(m.disk('vdb'), 0, MIB).every((byte) => byte === 0)).toBe(true);
    expect(world.server.imageRequests).toEqual([{ name: 'jammy.raw', authorization: `Bearer ${TOKEN}` }]);
    expect(run.log).toContain(`image verified: sha256 ${sha256(image)}`);
    expect(run.log).not.toContain(TOKEN);
    expect(run.power).toEqual(['reboot']);
    const messages = world.server.calls.filter((call) => call.procedure === 'machine.heartbeat').map((call: any) => call.input.message);
    expect(messages).toEqual([`writing image jammy.raw (${image.length} bytes) to vda`, 'verifying image on vda']);
  });

  it('a corrupted write fails the checksum check: reports failed with the reason and powers off', async () => {
    const image = pattern(3 * MIB, 3);
    const corrupted = Buffer.from(image);
    corrupted[2 * MIB + 17] = corrupted[2 * MIB + 17]! ^ 0xff;
    deployServer({ bytes: image, served: corrupted });
    const m = machine({ disks: DISKS });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'deploy' });
    expect(run.code, run.log).toBe(0);
    const body = report();
    expect(body.result).toBe('failed');
    expect(body.reason).toBe(
      `checksum mismatch on vda: the first ${image.length} bytes hash to ${sha256(corrupted)}, the image's sha256 is ${sha256(image)}`,
    );
    expect(run.power).toEqual(['poweroff']);
  });

  it('a download cut short is retried a bounded number of times, then reported failed', async () => {
    const image = pattern(3 * MIB, 5);
    deployServer({ bytes: image, truncateAt: MIB + 100 });
    const run = await runAgent({
      machine: machine({ disks: DISKS }),
      url: world.server.url,
      env: 'deploy',
      extraEnv: { METALYARD_DOWNLOAD_ATTEMPTS: '2' },
    });
    expect(run.code, run.log).toBe(0);
    expect(world.server.imageRequests).toHaveLength(2);
    const body = report();
    expect(body.result).toBe('failed');
    expect(body.reason).toBe('download failed (HTTP 200): wget: connection closed prematurely');
    expect(run.log).toContain('attempt 1 of 2: download failed');
    expect(run.power).toEqual(['poweroff']);
  });

  it('an image shorter than its announced size is a short write', async () => {
    const image = pattern(2 * MIB, 13);
    deployServer({ bytes: image, announcedSize: 3 * MIB });
    const run = await runAgent({
      machine: machine({ disks: DISKS }),
      url: world.server.url,
      env: 'deploy',
      extraEnv: { METALYARD_DOWNLOAD_ATTEMPTS: '1' },
    });
    expect(run.code, run.log).toBe(0);
    expect(report().result).toBe('failed');
    expect(report().reason).toMatch(/^short write: 2\+0 blocks of 1 MiB .* reached .*vda, the image has 3145728 bytes$/);
  });

  it('an image the server refuses (401) is not retried', async () => {
    deployServer({ bytes: pattern(MIB), imageToken: 'mlm_other' });
    const run = await runAgent({ machine: machine({ disks: DISKS }), url: world.server.url, env: 'deploy' });
    expect(run.code, run.log).toBe(0);
    expect(world.server.imageRequests).toHaveLength(1);
    expect(report().result).toBe('failed');
    expect(report().reason).toContain('download failed (HTTP 401)');
  });

  it('an image larger than the disk is refused before writing anything', async () => {
    const image = pattern(MIB, 9);
    deployServer({ bytes: image, announcedSize: 65 * MIB });
    const m = machine({ disks: DISKS });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'deploy' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toEqual({
      systemId: 'abc234',
      result: 'failed',
      reason: `image jammy.raw (${65 * MIB} bytes) does not fit on vda (${64 * MIB} bytes)`,
    });
    expect(world.server.imageRequests).toHaveLength(0);
  });

  it('no image in the lookup answer: reports failed', async () => {
    world.server.handle('machine.lookup', () => ({
      data: lookupAnswer({ status: 'deploying', step: 'deploy', token: TOKEN, image: null }),
    }));
    world.server.handle('machine.heartbeat', () => ({ data: { status: 'deploying', proceed: true } }));
    world.server.handle('machine.reportDeployment', () => ({ data: { systemId: 'abc234', status: 'failed_deployment' } }));
    const run = await runAgent({ machine: machine(), url: world.server.url, env: 'deploy' });
    expect(run.code, run.log).toBe(0);
    expect(report().result).toBe('failed');
    expect(report().reason).toContain('named no image');
    expect(run.power).toEqual(['poweroff']);
  });

  it('proceed:false from a background heartbeat stops a long download at once: no report, powers off', async () => {
    const image = pattern(16 * MIB, 11);
    // 1 MiB/s: the download would last 16 s.
    deployServer({
      bytes: image,
      rate: MIB,
      heartbeatSeconds: 1,
      heartbeat: (_input, n) =>
        n >= 3 ? { data: { status: 'allocated', proceed: false } } : { data: { status: 'deploying', proceed: true } },
    });
    const m = machine({ disks: DISKS });
    const run = await runAgent({ machine: m, url: world.server.url, env: 'deploy' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toBeUndefined();
    expect(run.log).toContain('deploy stopped: the server says stop (status allocated)');
    expect(run.power).toEqual(['poweroff']);
    // Stopped after about 2 s of the 16 s download.
    expect(run.ms).toBeLessThan(10_000);
    expect(readBytes(m.disk('vda'), 15 * MIB, MIB).every((byte) => byte === 0)).toBe(true);
  });
});
