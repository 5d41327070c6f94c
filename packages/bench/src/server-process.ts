import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpClient } from './http-client.js';

/** The built Metalyard server and the bench's own baseline server. */
/** BENCH_SERVER: another build's apps/server/dist/main.js (a "before" to compare with), run by BENCH_SERVER_NODE. */
export const METALYARD_MAIN =
  process.env.BENCH_SERVER?.trim() || fileURLToPath(new URL('../../../apps/server/dist/main.js', import.meta.url));
export const BASELINE_MAIN = fileURLToPath(new URL('./baseline-server.js', import.meta.url));
/** The baseline in two processes on one file (node:cluster). */
export const BASELINE_CLUSTER_MAIN = fileURLToPath(new URL('./baseline-cluster.js', import.meta.url));

/**
 * Node.js flags for the Metalyard server under test: as `pnpm start` runs it (a 16 MiB young
 * generation; see docs/performance.md, "Memory").
 */
export const SERVER_NODE_FLAGS = '--max-semi-space-size=16';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef0123456789';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawning the process to /healthz answering 200. */
  startupMs: number;
  /** Peak resident memory so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** SIGKILL, as a crash would: nothing gets a chance to flush. */
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `main` (a server printing a JSON "listening" line with its url) on port 0 and waits for /healthz. */
export async function startServer(main: string, databasePath: string): Promise<ServerProcess> {
  const started = performance.now();
  const node = main === METALYARD_MAIN ? process.env.BENCH_SERVER_NODE?.trim() || process.execPath : process.execPath;
  // Metalyard as `pnpm start` runs it, or with BENCH_SERVER_NODE_FLAGS (e.g. V8 heap settings) to measure them; the baseline bare.
  const flags = main === METALYARD_MAIN ? (process.env.BENCH_SERVER_NODE_FLAGS ?? SERVER_NODE_FLAGS).split(' ').filter(Boolean) : [];
  const child = spawn(node, [...flags, main], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: databasePath,
      METALYARD_ADMIN_TOKEN: ADMIN_TOKEN,
      // The bench enlists from one address far beyond what the anonymous door lets through.
      METALYARD_ANON_RATE: '0',
      METALYARD_MAX_DECLARED: '1000000',
      // No BMC is ever asked anything during a measurement.
      METALYARD_POWER_SYNC_INTERVAL: '0',
      // The bench waits for the "listening" line, an info line; and it measures the request log too.
      METALYARD_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await listeningUrl(child, exited);
  await waitForHealth(url);
  const startupMs = performance.now() - started;
  const pid = child.pid!;
  return {
    url,
    pid,
    startupMs,
    peakRssMiB: () => peakRssMiB(pid),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function listeningUrl(child: ChildProcess, exited: Promise<number | null>): Promise<string> {
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        if (line.includes('"msg":"listening"')) {
          // From here on the log is read and dropped: the bench's own CPU goes to its clients.
          child.stdout!.off('data', onData).on('data', () => undefined);
          child.stderr!.off('data', onData).on('data', () => undefined);
          resolve((JSON.parse(line) as { url: string }).url);
          return;
        }
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.stderr!.setEncoding('utf8').on('data', onData);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output.join('\n')}`)));
  });
}

async function waitForHealth(url: string): Promise<void> {
  const client = new HttpClient(url, 1);
  try {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const reply = await client.get('/healthz').catch(() => undefined);
      if (reply?.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${url}/healthz did not answer 200 within 10 s`);
  } finally {
    client.close();
  }
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kib) / 1024;
}
