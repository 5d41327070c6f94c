import { writeSync } from 'node:fs';

/** What the server's log writes to: stdout or stderr. */
export interface LogDestination {
  write(line: string): void;
  /** Writes out what waits, blocking for at most `timeoutMs` (at exit). */
  flushSync(timeoutMs?: number): void;
  /** Bytes waiting for the reader, and lines dropped since the last note. */
  backlog(): { bytes: number; dropped: number };
}

export interface LogDestinationOptions {
  /** Bytes kept for a reader that has fallen behind; beyond them lines are dropped and counted. */
  maxPendingBytes?: number;
  /** The clock of the note that says how many lines were dropped. */
  now?: () => Date;
}

/** 8 MiB: tens of thousands of request lines, a few seconds of a saturated server. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;
/** Retries while the reader takes nothing: 1 ms, doubling to at most 50 ms. */
const FIRST_RETRY_MS = 1;
const LAST_RETRY_MS = 50;

/**
 * A log on a file descriptor that never stops the server. Each line is written at once while the
 * descriptor takes it (a file, a terminal, a pipe with room: one write, in order, nothing buffered).
 * When a pipe is full — its reader (journald, `| tee`, a test harness) fell behind — the line and
 * the ones after it wait in memory, in order, and go out as the reader takes them; past
 * `maxPendingBytes` new lines are dropped and counted, and a warning line says how many once the
 * pipe drains. (pino's synchronous destination slept 100 ms on the event loop at every full pipe,
 * and forever while the reader took nothing.) A reader that went away (EPIPE, EBADF) ends the log:
 * the server keeps serving. `flushSync` writes out what waits at exit, for a bounded time.
 */
export function fdDestination(fd: number, options: LogDestinationOptions = {}): LogDestination {
  const maxPendingBytes = options.maxPendingBytes ?? MAX_PENDING_BYTES;
  const now = options.now ?? (() => new Date());
  /** Lines, or the rest of one, waiting for the reader, in order. */
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let broken = false;
  let timer: NodeJS.Timeout | null = null;
  let retryMs = FIRST_RETRY_MS;

  /** True for a full pipe (try again later); an absent reader ends the log; anything else is thrown. */
  const full = (error: unknown): boolean => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return true;
    if (code !== 'EPIPE' && code !== 'EBADF') throw error;
    broken = true;
    pending.length = 0;
    pendingBytes = 0;
    if (timer) clearTimeout(timer);
    timer = null;
    return false;
  };

  const enqueue = (chunk: Buffer) => {
    if (pendingBytes + chunk.length > maxPendingBytes) {
      dropped += 1;
      return;
    }
    pending.push(chunk);
    pendingBytes += chunk.length;
    timer ??= setTimeout(drain, retryMs).unref();
  };

  /** Writes what waits until the pipe is full again; true when nothing waits any more. */
  const writePending = (): boolean => {
    while (pending.length > 0 && !broken) {
      const chunk = pending[0]!;
      let written: number;
      try {
        written = writeSync(fd, chunk);
      } catch (error) {
        // Full: later. Broken: nothing waits any more.
        return !full(error);
      }
      pendingBytes -= written;
      if (written < chunk.length) {
        pending[0] = chunk.subarray(written);
        return false;
      }
      pending.shift();
    }
    if (dropped > 0 && !broken) {
      const note = `${JSON.stringify({ level: 'warn', time: now().toISOString(), msg: 'log lines dropped: the log was not read fast enough', dropped })}\n`;
      dropped = 0;
      write(note);
      return pending.length === 0;
    }
    return true;
  };

  function drain(): void {
    timer = null;
    if (writePending()) {
      retryMs = FIRST_RETRY_MS;
      return;
    }
    if (broken) return;
    retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
    timer = setTimeout(drain, retryMs).unref();
  }

  function write(line: string): void {
    if (broken) return;
    if (pending.length > 0) return enqueue(Buffer.from(line));
    let written: number;
    try {
      written = writeSync(fd, line);
    } catch (error) {
      if (full(error)) enqueue(Buffer.from(line));
      return;
    }
    // A pipe with less room than the line takes part of it: the rest waits, in order.
    if (written < Buffer.byteLength(line)) enqueue(Buffer.from(line).subarray(written));
  }

  return {
    write,
    flushSync(timeoutMs = 2_000) {
      const deadline = performance.now() + timeoutMs;
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (!writePending() && !broken && performance.now() < deadline) Atomics.wait(pause, 0, 0, 5);
      if (timer) clearTimeout(timer);
      timer = null;
    },
    backlog: () => ({ bytes: pendingBytes, dropped }),
  };
}
