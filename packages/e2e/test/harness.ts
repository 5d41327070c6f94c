import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMetalyardClient, type MetalyardClient } from '@metalyard/sdk';

const SERVER_DIST = fileURLToPath(new URL('../../../apps/server/dist/', import.meta.url));
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef0123456789';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every line the server wrote to stdout and stderr. */
  output: string[];
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
}

/** A scratch folder removed at the end of the test file. */
export function scratchDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'metalyard-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Starts the real server (the built apps/server) on port 0 and waits for its "listening" line. */
export function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(SERVER_DIST, 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, METALYARD_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 20_000);
    const onLine = (line: string) => {
      output.push(line);
      if (!line.includes('"msg":"listening"')) return;
      clearTimeout(timer);
      const url = (JSON.parse(line) as { url: string }).url;
      resolve({
        url,
        child,
        output,
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        lines.forEach(onLine);
      });
    }
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.join('\n')}`));
    });
  });
}

/** Runs the server's management command (createadmin, createuser) and returns the token it prints. */
export async function manage(databaseUrl: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(SERVER_DIST, 'manage.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return stdout.trim();
}

export function client(url: string, token?: string): MetalyardClient {
  return createMetalyardClient({ url, token: token ?? null });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<{ status: number | undefined; code: string | undefined; message: string; data: Record<string, unknown> | undefined }> {
  try {
    await promise;
  } catch (error) {
    const data = (error as { data?: Record<string, unknown> }).data;
    return {
      status: data?.httpStatus as number | undefined,
      code: data?.code as string | undefined,
      message: (error as Error).message,
      data,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

let macCounter = 0;
/** A fresh MAC address in colon form, unique within the test run. */
export function nextMac(): string {
  macCounter += 1;
  const hex = (process.pid * 65536 + macCounter).toString(16).padStart(12, '0').slice(-12);
  return hex.match(/../g)!.join(':');
}
