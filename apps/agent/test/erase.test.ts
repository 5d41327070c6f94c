import { closeSync, existsSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUSYBOX, MIB, SKIP_REASON, lookupAnswer, pattern, runAgent, perTestWorld } from './harness.js';

const world = perTestWorld();
const machine = world.machine;

const TOKEN = 'mlm_erase-token';

function eraseServer(mode: 'quick' | 'full' | null, heartbeat?: (input: any, n: number) => any) {
  let beats = 0;
  world.server.handle('machine.lookup', () => ({
    data: lookupAnswer({ status: 'releasing', step: 'erase', token: TOKEN, heartbeatSeconds: 1, erase: mode ? { mode } : null }),
  }));
  world.server.handle('machine.heartbeat', (input) =>
    heartbeat ? heartbeat(input, ++beats) : { data: { status: 'releasing', proceed: true } },
  );
  world.server.handle('machine.reportErase', (input) => ({
    data: { systemId: input.systemId, status: input.result === 'passed' ? 'ready' : 'broken' },
  }));
}
const report = () => world.server.calls.find((call) => call.procedure === 'machine.reportErase')?.input as any;

/** Writes non-zero bytes at these MiB offsets of a disk file (1 MiB each). */
function scribble(file: string, mibOffsets: number[]) {
  const fd = openSync(file, 'r+');
  try {
    for (const offset of mibOffsets) writeSync(fd, pattern(MIB, offset + 1), 0, MIB, offset * MIB);
  } finally {
    closeSync(fd);
  }
}
function isZero(file: string, mibOffset: number, mibs = 1): boolean {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(mibs * MIB);
    const read = readSync(fd, buffer, 0, buffer.length, mibOffset * MIB);
    return read === buffer.length && buffer.every((byte) => byte === 0);
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!BUSYBOX)(`erase ${SKIP_REASON}`, () => {
  it('quick: zeroes the first and last 8 MiB of every disk and the first 8 MiB of every partition, keeps the rest', async () => {
    eraseServer('quick');
    const m = machine({
      disks: [
        {
          name: 'vda',
          sizeBytes: 128 * MIB,
          partitions: [
            { name: 'vda1', startSector: (40 * MIB) / 512, sectors: (30 * MIB) / 512 },
            { name: 'vda2', startSector: (100 * MIB) / 512, sectors: (4 * MIB) / 512 },
          ],
        },
        { name: 'vdb', sizeBytes: 12 * MIB },
      ],
    });
    const everywhere = [0, 3, 7, 8, 20, 40, 47, 48, 60, 100, 103, 110, 119, 120, 127];
    scribble(m.disk('vda'), everywhere);
    scribble(m.disk('vdb'), [0, 5, 11]);
    const run = await runAgent({ machine: m, url: world.server.url, env: 'erase' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toEqual({ systemId: 'abc234', result: 'passed' });
    const vda = m.disk('vda');
    // Zeroed: the first 8 MiB, vda1's first 8 MiB (40-47), all of vda2 (100-103), the last 8 MiB (120-127).
    for (const offset of [0, 3, 7, 40, 47, 100, 103, 120, 127]) expect(isZero(vda, offset), `MiB ${offset}`).toBe(true);
    // Kept: everything else (a quick erase).
    for (const offset of [8, 20, 48, 60, 110, 119]) expect(isZero(vda, offset), `MiB ${offset}`).toBe(false);
    // A disk of at most 16 MiB is zeroed whole.
    for (const offset of [0, 5, 11]) expect(isZero(m.disk('vdb'), offset)).toBe(true);
    expect(run.log).toContain('erased vda (quick)');
    expect(run.power).toEqual(['poweroff']);
    const messages = world.server.calls.filter((call) => call.procedure === 'machine.heartbeat').map((call: any) => call.input.message);
    expect(messages.slice(0, 2)).toEqual([`erasing vda (quick, ${128 * MIB} bytes)`, `erasing vdb (quick, ${12 * MIB} bytes)`]);
  });

  it('quick is the default when the server names no mode', async () => {
    eraseServer(null);
    const m = machine({ disks: [{ name: 'vda', sizeBytes: 64 * MIB }] });
    scribble(m.disk('vda'), [0, 30, 63]);
    const run = await runAgent({ machine: m, url: world.server.url, env: 'erase' });
    expect(run.code, run.log).toBe(0);
    expect(report().result).toBe('passed');
    expect(isZero(m.disk('vda'), 0)).toBe(true);
    expect(isZero(m.disk('vda'), 30)).toBe(false);
    expect(isZero(m.disk('vda'), 63)).toBe(true);
  });

  it('full: zeroes the whole disk, in chunks', async () => {
    eraseServer('full');
    const m = machine({ disks: [{ name: 'vda', sizeBytes: 40 * MIB + 512 }] });
    scribble(m.disk('vda'), [0, 9, 17, 25, 33, 39]);
    const run = await runAgent({
      machine: m,
      url: world.server.url,
      env: 'erase',
      extraEnv: { METALYARD_ERASE_CHUNK_BYTES: String(8 * MIB) },
    });
    expect(run.code, run.log).toBe(0);
    expect(report().result).toBe('passed');
    expect(isZero(m.disk('vda'), 0, 40)).toBe(true);
    expect(run.log).toContain('erased vda (full)');
  });

  it('a disk that cannot be written fails the erase, with the disk named in the reason', async () => {
    eraseServer('quick');
    const m = machine({
      disks: [
        { name: 'vda', sizeBytes: 32 * MIB },
        { name: 'vdb', sizeBytes: 32 * MIB, noDevice: true },
      ],
    });
    rmSync(m.dev, { recursive: true });
    // The dev folder is gone: neither disk can be opened.
    const run = await runAgent({ machine: m, url: world.server.url, env: 'erase' });
    expect(run.code, run.log).toBe(0);
    const body = report();
    expect(body.result).toBe('failed');
    expect(body.reason).toMatch(/^could not erase vda: .*; vdb: /);
    expect(run.power).toEqual(['poweroff']);
  });

  it('proceed:false stops a full erase between two chunks: no report', async () => {
    eraseServer('full', (input) =>
      input.message.startsWith('erasing vdb')
        ? { data: { status: 'broken', proceed: false } }
        : { data: { status: 'releasing', proceed: true } },
    );
    const m = machine({
      disks: [
        { name: 'vda', sizeBytes: 16 * MIB },
        { name: 'vdb', sizeBytes: 16 * MIB },
      ],
    });
    scribble(m.disk('vdb'), [0]);
    const run = await runAgent({ machine: m, url: world.server.url, env: 'erase' });
    expect(run.code, run.log).toBe(0);
    expect(report()).toBeUndefined();
    expect(isZero(m.disk('vdb'), 0)).toBe(false);
    expect(run.log).toContain('erase stopped: the server says stop (status broken)');
    expect(run.power).toEqual(['poweroff']);
  });

  it('refuses to write to /dev outside the boot environment (METALYARD_DEV not set)', async () => {
    // A disk name that exists nowhere in this machine's /dev: had the guard failed, dd would only have
    // created a stray file there (removed below), never touched a real disk.
    const name = 'mltestdisk9';
    eraseServer('quick');
    const m = machine({ disks: [{ name, sizeBytes: 16 * MIB }] });
    try {
      const run = await runAgent({ machine: m, url: world.server.url, env: 'erase', extraEnv: { METALYARD_DEV: '' } });
      expect(run.code, run.log).toBe(0);
      expect(report()).toEqual({ systemId: 'abc234', result: 'failed', reason: 'refusing to write to /dev outside the boot environment' });
      expect(existsSync(`/dev/${name}`)).toBe(false);
    } finally {
      rmSync(`/dev/${name}`, { force: true });
    }
  });
});
