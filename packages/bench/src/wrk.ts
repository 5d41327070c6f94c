/**
 * Load from Debian's `wrk`, a C load generator: on a 2-core machine a Node.js client takes the CPU of
 * the server it measures (a bare server reads about 6,000/s under a Node.js client, 11,000/s under
 * wrk). A Lua script builds a unique enlistment per request; the report carries wrk's own CPU use
 * and the server's, so that a bottlenecked generator is visible.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function wrkAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0;
}

export interface WrkResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 2xx/3xx, and socket errors (connect, read, write, timeout). */
  non2xx: number;
  socketErrors: number;
  /** CPU time of wrk, and of the server, over the run's wall time, in % of one core. */
  wrkCpuPercent: number;
  serverCpuPercent: number;
}

/** Every script's summary: one JSON line wrk prints at the end. */
const DONE = `function done(summary, latency, requests)
  io.write(string.format('WRK-JSON {"requests":%d,"duration_us":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end`;

/** The Lua script: `GET path` with the token. */
function getScript(path: string, token: string): string {
  return `
wrk.method = "GET"
wrk.path = "${path}"
wrk.headers["Authorization"] = "Bearer ${token}"
${DONE}
`;
}

/** The Lua script: `POST path` with a unique MAC per request (02:<seed>:<thread>:<counter, 3 bytes>). */
function enlistScript(path: string, token: string | null, seed: number): string {
  const headers = [
    `wrk.headers["Content-Type"] = "application/json"`,
    ...(token ? [`wrk.headers["Authorization"] = "Bearer ${token}"`] : []),
  ];
  return `
local threads_started = 0
function setup(thread)
  thread:set("tid", threads_started)
  threads_started = threads_started + 1
end
local counter = 0
${headers.join('\n')}
function request()
  counter = counter + 1
  local c = counter
  local mac = string.format("02:%02x:%02x:%02x:%02x:%02x", ${seed % 256}, tid % 256, math.floor(c / 65536) % 256, math.floor(c / 256) % 256, c % 256)
  local body = '{"architecture":"amd64/generic","macAddresses":["' .. mac .. '"]}'
  return wrk.format("POST", "${path}", nil, body)
end
${DONE}`;
}

/** User + system CPU seconds so far of a process and its children, such as cluster workers (from /proc). */
export function cpuSeconds(pid: number): number {
  const own = (id: number) => {
    const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // No children file (an older kernel): the process alone.
  }
  return own(pid) + children.reduce((sum, child) => sum + (existsSync(`/proc/${child}/stat`) ? own(child) : 0), 0);
}

export interface WrkEnlistOptions {
  url: string;
  serverPid: number;
  /** `protected.enlist` with a token, or the anonymous `enlist`. */
  token: string | null;
  connections: number;
  seconds: number;
  /** Distinct per run, so that MACs never repeat across runs on one database. */
  seed: number;
  scratch: string;
}

export async function wrkEnlist(options: WrkEnlistOptions): Promise<WrkResult> {
  const path = options.token ? '/trpc/protected.enlist' : '/trpc/enlist';
  const script = join(options.scratch, `enlist-${options.seed}.lua`);
  writeFileSync(script, enlistScript(path, options.token, options.seed), { mode: 0o600 });
  return runWrk(script, options);
}

/** GET `path` (with the token) under wrk: a read-only load. */
export async function wrkGet(options: Omit<WrkEnlistOptions, 'token' | 'seed'> & { token: string; path: string }): Promise<WrkResult> {
  const script = join(options.scratch, `get-${options.connections}-${Date.now()}.lua`);
  writeFileSync(script, getScript(options.path, options.token), { mode: 0o600 });
  return runWrk(script, options);
}

async function runWrk(
  script: string,
  options: { url: string; serverPid: number; connections: number; seconds: number },
): Promise<WrkResult> {
  const threads = Math.min(2, options.connections);
  const command = `wrk -t${threads} -c${options.connections} -d${options.seconds}s --timeout 10s -s '${script}' '${options.url}'; times`;
  const serverBefore = cpuSeconds(options.serverPid);
  const started = performance.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text.slice(-500)}`))));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const serverSeconds = cpuSeconds(options.serverPid) - serverBefore;
  const json = /WRK-JSON (\{.*\})/.exec(output)?.[1];
  if (!json) throw new Error(`wrk printed no summary: ${output.slice(-500)}`);
  const summary = JSON.parse(json) as Record<string, number>;
  // bash's `times`: the second line is the children's user and system time, e.g. "0m1.234s 0m0.567s".
  const childTimes =
    output
      .trim()
      .split('\n')
      .at(-1)!
      .match(/(\d+)m([\d.]+)s/g) ?? [];
  const wrkSeconds = childTimes.reduce((sum, part) => {
    const [, minutes, seconds] = /(\d+)m([\d.]+)s/.exec(part)!;
    return sum + Number(minutes) * 60 + Number(seconds);
  }, 0);
  const duration = summary.duration_us! / 1e6;
  return {
    requests: summary.requests!,
    perSecond: summary.requests! / duration,
    p50Ms: summary.p50_us! / 1000,
    p99Ms: summary.p99_us! / 1000,
    non2xx: summary.status!,
    socketErrors: summary.connect! + summary.read! + summary.write! + summary.timeout!,
    wrkCpuPercent: (100 * wrkSeconds) / wallSeconds,
    serverCpuPercent: (100 * serverSeconds) / wallSeconds,
  };
}
