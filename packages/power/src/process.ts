/** Runs a program with an argument array (never a shell), a minimal environment, bounded output and the caller's signal. */
import { spawn } from 'node:child_process';
import { PowerDriverError } from './driver.js';

export interface RunOptions {
  signal: AbortSignal;
  /** Added to a minimal environment (PATH and a C locale); the parent's environment is not passed on. */
  env?: Record<string, string>;
  /** stdout and stderr together; past it the child is killed and the call fails. Default 64 KiB. */
  maxOutputBytes?: number;
  /** Told the child's pid once it runs (tests read /proc/<pid>/cmdline). */
  onSpawn?: (pid: number) => void;
  /** How to install the program, for the message when it is missing. */
  installHint?: string;
  /** Run in a session of its own, with no controlling terminal: it can never prompt (ipmitool's getpass). */
  detached?: boolean;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const name = (file: string) => file.split('/').pop() ?? file;

export function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { signal, maxOutputBytes = 64 * 1024 } = options;
  const started = performance.now();
  const aborted = () =>
    new PowerDriverError(
      'timeout',
      `${name(file)} did not finish before the deadline (stopped after ${Math.round(performance.now() - started)} ms)`,
    );
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
      detached: options.detached ?? false,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const onAbort = () => {
      kill();
      finish(() => reject(aborted()));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxOutputBytes) {
        kill();
        finish(() => reject(new PowerDriverError('protocol', `${name(file)} printed more than ${maxOutputBytes} bytes; stopped`)));
      } else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    child.on('spawn', () => {
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = options.installHint ? ` (${options.installHint})` : '';
      const message =
        error.code === 'ENOENT'
          ? `${name(file)} is not installed or not on PATH${hint}`
          : `cannot run ${name(file)}: ${error.code ?? error.message}`;
      finish(() => reject(new PowerDriverError('config', message)));
    });
    child.on('close', (code) => {
      finish(() =>
        resolve({
          code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          ms: performance.now() - started,
        }),
      );
    });
  });
}
