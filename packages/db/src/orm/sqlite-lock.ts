import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * One writer on a SQLite file: the server holds `<file>.lock` (created exclusively, holding its pid)
 * for as long as it runs. A second server finds it and refuses to start, naming the file and the
 * holder; a lock left by a process that is gone (kill -9, a crash, a reboot) is taken over.
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the SQLite database ${file} is in use by another Metalyard ${holder.purpose === 'server' ? 'server' : 'process migrating it'} (pid ${holder.pid}` +
        `${holder.host !== hostname() ? ` on ${holder.host}` : ''}, since ${holder.since}); SQLite serves one server process: ` +
        `stop that one first, or use PostgreSQL for several replicas (lock file: ${file}.lock)`,
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  /** Linux: the holder's start time in clock ticks since boot (/proc/PID/stat), to tell a reused pid. */
  start: string | null;
  /** `server` for as long as it runs; `migration`: a management command migrating a fresh file, for seconds. */
  purpose: LockPurpose;
}

export type LockPurpose = 'server' | 'migration';

/** How long a starter waits for a management command's migration lock to go. */
const MIGRATION_LOCK_WAIT_MS = 60_000;

export interface SqliteLock {
  readonly path: string;
  release(): void;
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which is in parentheses and may hold spaces).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** The holder a lock file names; null for garbage (a lock is written whole, so only damage makes it). */
function parseHolder(raw: string): LockHolder | null {
  try {
    const holder = JSON.parse(raw) as Partial<LockHolder>;
    if (typeof holder.pid !== 'number') return null;
    return {
      pid: holder.pid,
      host: holder.host ?? 'unknown',
      since: holder.since ?? 'unknown',
      start: holder.start ?? null,
      purpose: holder.purpose === 'migration' ? 'migration' : 'server',
    };
  } catch {
    return null;
  }
}

/** Whether the process that wrote the lock still runs (on this machine; another machine's lock counts as alive). */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid exists; after a reboot it may belong to another process.
  const start = startTimeOf(holder.pid);
  return !(holder.start && start && holder.start !== start);
}

/**
 * Takes the lock of the SQLite file `file` (a path, not `:memory:`), or throws DatabaseInUseError.
 * Released by `release()`; a process that dies leaves a stale lock the next start takes over. A
 * migration lock (a management command migrating a fresh file) is waited for, not refused.
 */
export async function lockSqliteFile(file: string, purpose: LockPurpose = 'server'): Promise<SqliteLock> {
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MS;
  for (;;) {
    try {
      return tryLock(file, purpose);
    } catch (error) {
      if (!(error instanceof DatabaseInUseError) || error.holder.purpose !== 'migration' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function tryLock(file: string, purpose: LockPurpose): SqliteLock {
  const path = `${file}.lock`;
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    start: startTimeOf(process.pid),
    purpose,
  };
  const content = `${JSON.stringify(mine)}\n`;
  // Written whole beside it, then linked into place: link() fails when the lock exists, and a
  // reader never sees a half-written lock.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o644 });
  try {
    for (let attempt = 0; ; attempt++) {
      if (attempt === 5) throw new Error(`could not take the lock ${path}: it keeps changing; is another server starting?`);
      try {
        linkSync(temporary, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let raw: string;
      try {
        raw = readFileSync(path, 'utf8');
      } catch {
        continue; // released meanwhile: try again
      }
      const holder = parseHolder(raw);
      if (holder && isAlive(holder)) throw new DatabaseInUseError(file, holder);
      // Stale: remove it — unless another starter replaced it meanwhile.
      try {
        if (readFileSync(path, 'utf8') === raw) unlinkSync(path);
      } catch {
        /* gone already */
      }
    }
  } finally {
    unlinkSync(temporary);
  }
  return {
    path,
    release() {
      try {
        if (readFileSync(path, 'utf8') === content) unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
