import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { fdDestination } from './log-destination.js';

/** A real pipe (a FIFO), both ends non-blocking, as a log reader that has fallen behind leaves it. */
function pipe() {
  const dir = mkdtempSync(join(tmpdir(), 'metalyard-log-'));
  const path = join(dir, 'log');
  execFileSync('mkfifo', [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const open = new Set([reader, writer]);
  let text = '';
  return {
    reader,
    writer,
    /** Reads what the pipe holds now. */
    read(): string {
      const buffer = Buffer.alloc(1 << 16);
      for (;;) {
        let count: number;
        try {
          count = readSync(reader, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
          throw error;
        }
        if (count === 0) break;
        text += buffer.toString('utf8', 0, count);
      }
      return text;
    },
    closeReader() {
      closeSync(reader);
      open.delete(reader);
    },
    close() {
      for (const fd of open) closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const lineOf = (index: number) => `${JSON.stringify({ level: 'info', msg: 'request', index, pad: 'é'.repeat(40) })}\n`;
const pipes: Array<ReturnType<typeof pipe>> = [];
afterEach(() => pipes.splice(0).forEach((each) => each.close()));

/** Reads the pipe while the destination's retries run, until `done` says so (bounded). */
async function readUntil(reader: ReturnType<typeof pipe>, done: (text: string) => boolean): Promise<string> {
  for (let turn = 0; turn < 2_000; turn++) {
    const text = reader.read();
    if (done(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return reader.read();
}

describe('the log on a pipe', { timeout: 30_000 }, () => {
  it('never waits for a reader that takes nothing, and hands over every line in order once it reads', async () => {
    const log = pipes[pipes.push(pipe()) - 1]!;
    const destination = fdDestination(log.writer);
    // Far more than a pipe holds (64 KiB): a destination that waited for room would never return here.
    for (let index = 0; index < 5_000; index++) destination.write(lineOf(index));
    expect(destination.backlog().bytes).toBeGreaterThan(0);
    const text = await readUntil(log, (read) => read.split('\n').length > 5_000);
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(5_000);
    expect(lines.map((line) => (JSON.parse(line) as { index: number }).index)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(destination.backlog()).toEqual({ bytes: 0, dropped: 0 });
  });

  it('keeps at most maxPendingBytes for a slow reader, then drops lines and says how many', async () => {
    const log = pipes[pipes.push(pipe()) - 1]!;
    const destination = fdDestination(log.writer, { maxPendingBytes: 32 * 1024, now: () => new Date('2026-12-01T00:00:00Z') });
    for (let index = 0; index < 3_000; index++) destination.write(lineOf(index));
    expect(destination.backlog().bytes).toBeLessThanOrEqual(32 * 1024);
    const { dropped } = destination.backlog();
    expect(dropped).toBeGreaterThan(1_000);
    const text = await readUntil(log, (read) => read.includes('log lines dropped'));
    const lines = text.split('\n').filter(Boolean);
    const note = JSON.parse(lines.at(-1)!) as { level: string; dropped: number; time: string };
    expect(note).toMatchObject({ level: 'warn', dropped, time: '2026-12-01T00:00:00.000Z' });
    // What was kept is whole and in order: the first lines, none cut.
    const indexes = lines.slice(0, -1).map((line) => (JSON.parse(line) as { index: number }).index);
    expect(indexes).toEqual(Array.from({ length: 3_000 - dropped }, (_, i) => i));
    // Once drained, lines go straight through again.
    destination.write(lineOf(9_999));
    expect(log.read().endsWith(lineOf(9_999))).toBe(true);
  });

  it('writes out what waits at exit (flushSync), blocking until a reader in another thread has taken it', async () => {
    const log = pipes[pipes.push(pipe()) - 1]!;
    const destination = fdDestination(log.writer);
    const expected = Array.from({ length: 2_000 }, (_, index) => lineOf(index)).join('');
    for (let index = 0; index < 2_000; index++) destination.write(lineOf(index));
    expect(destination.backlog().bytes).toBeGreaterThan(0);
    // This thread blocks in flushSync, as at exit; a worker thread reads the pipe meanwhile.
    const reader = new Worker(
      `const { readSync } = require('node:fs');
       const { workerData, parentPort } = require('node:worker_threads');
       const buffer = Buffer.alloc(1 << 16); const pause = new Int32Array(new SharedArrayBuffer(4));
       let bytes = 0; const chunks = []; const deadline = Date.now() + 10000;
       while (bytes < workerData.bytes && Date.now() < deadline) {
         try { const count = readSync(workerData.fd, buffer); chunks.push(Buffer.from(buffer.subarray(0, count))); bytes += count; }
         catch (error) { if (error.code !== 'EAGAIN') throw error; Atomics.wait(pause, 0, 0, 1); }
       }
       parentPort.postMessage(Buffer.concat(chunks).toString('utf8'));`,
      { eval: true, workerData: { fd: log.reader, bytes: Buffer.byteLength(expected) } },
    );
    const text = new Promise<string>((resolve, reject) => reader.once('message', resolve).once('error', reject));
    destination.flushSync(10_000);
    expect(destination.backlog().bytes).toBe(0);
    expect(await text).toBe(expected);
    await reader.terminate();
  });

  it('ends quietly when the reader goes away (EPIPE): nothing thrown, later lines dropped', () => {
    const log = pipes[pipes.push(pipe()) - 1]!;
    const destination = fdDestination(log.writer);
    destination.write(lineOf(1));
    log.closeReader();
    expect(() => destination.write(lineOf(2))).not.toThrow();
    expect(() => destination.write(lineOf(3))).not.toThrow();
    expect(destination.backlog()).toEqual({ bytes: 0, dropped: 0 });
  });
});
