/**
 * Test harness: runs the real agent under `busybox sh` (with a PATH holding only busybox's applets, so
 * nothing from the host sneaks in) against a small tRPC-shaped HTTP server on 127.0.0.1, with fake
 * /proc, /sys and /dev trees. Power-off and reboot are recorded by a stub; nothing touches this machine.
 */
import type { Socket } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const AGENT = join(PACKAGE_DIR, 'agent', 'metalyard-agent');
export const MIB = 1024 * 1024;

function findBusybox(): string | null {
  const candidates = [process.env.METALYARD_TEST_BUSYBOX, '/usr/bin/busybox', '/bin/busybox', '/usr/local/bin/busybox'];
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(join(dir, 'busybox'));
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate) && spawnSync(candidate, ['true']).status === 0) return candidate;
  }
  return null;
}

export const BUSYBOX = findBusybox();
export const SKIP_REASON = BUSYBOX ? '' : 'busybox is not installed (apt-get install busybox-static): the agent tests need it';
if (!BUSYBOX) console.warn(`SKIPPED: ${SKIP_REASON}`);

/** A temporary folder, removed by cleanup(). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `metalyard-agent-${prefix}-`));
}

let binDir: string | null = null;
/**
 * A folder of symlinks, one per busybox applet: the agent's whole PATH. One per busybox and user, kept
 * between runs (made under a temporary name and renamed, so parallel test files agree on it).
 */
export function busyboxBin(): string {
  if (binDir) return binDir;
  if (!BUSYBOX) throw new Error(SKIP_REASON);
  const applets = spawnSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const id = createHash('sha256')
    .update(`${BUSYBOX}\n${applets.join(',')}`)
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `metalyard-agent-busybox-${process.getuid?.() ?? 'user'}-${id}`);
  if (!existsSync(join(dir, 'sh'))) {
    const staging = tempDir('bin');
    for (const applet of applets) symlinkSync(BUSYBOX, join(staging, applet));
    try {
      renameSync(staging, dir);
    } catch {
      // Another test file made it first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  binDir = dir;
  return dir;
}

// --- fake machines -------------------------------------------------------------------------------

export interface FakeDisk {
  name: string;
  sizeBytes: number;
  model?: string;
  /** Where the serial lives: device/serial (NVMe), serial (virtio-blk) or the SCSI VPD page 0x80. */
  serial?: string;
  serialAt?: 'device/serial' | 'serial' | 'vpd_pg80';
  removable?: boolean;
  partitions?: { name: string; startSector: number; sectors: number }[];
  /** No file in /dev for it (reads fail). */
  noDevice?: boolean;
}
export interface FakeNic {
  name: string;
  mac: string;
  operstate?: string;
  carrier?: string;
  speed?: string;
}
export interface FakeMachine {
  cpus?: number;
  cpuModel?: string | null;
  memKb?: number;
  disks?: FakeDisk[];
  nics?: FakeNic[];
  /** Extra block devices to be skipped (loop0, ram0, sr0, ...). */
  otherBlock?: string[];
  cmdline?: string;
}

export interface Machine {
  root: string;
  proc: string;
  sys: string;
  dev: string;
  run: string;
  disk(name: string): string;
}

export function makeMachine(spec: FakeMachine = {}): Machine {
  const root = tempDir('machine');
  const proc = join(root, 'proc');
  const sys = join(root, 'sys');
  const dev = join(root, 'dev');
  const run = join(root, 'run');
  for (const dir of [proc, sys, dev, run, join(sys, 'block'), join(sys, 'class', 'net')]) mkdirSync(dir, { recursive: true });

  const cpus = spec.cpus ?? 2;
  const model = spec.cpuModel === undefined ? 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz' : spec.cpuModel;
  let cpuinfo = '';
  for (let i = 0; i < cpus; i++) {
    cpuinfo += `processor\t: ${i}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n`;
    if (model !== null) cpuinfo += `model name\t: ${model}\n`;
    cpuinfo += `cpu MHz\t\t: 2100.000\ncpu cores\t: ${cpus}\nflags\t\t: fpu vme de pse\n\n`;
  }
  writeFileSync(join(proc, 'cpuinfo'), cpuinfo);
  const memKb = spec.memKb ?? 4_028_836;
  writeFileSync(join(proc, 'meminfo'), `MemTotal:       ${memKb} kB\nMemFree:         3000000 kB\nMemAvailable:    3500000 kB\n`);
  writeFileSync(join(proc, 'cmdline'), `${spec.cmdline ?? 'console=ttyS0'}\n`);

  const disks = spec.disks ?? [{ name: 'vda', sizeBytes: 64 * MIB, serial: 'MLDISK1', serialAt: 'serial' }];
  for (const disk of disks) {
    const dir = join(sys, 'block', disk.name);
    mkdirSync(join(dir, 'device'), { recursive: true });
    writeFileSync(join(dir, 'size'), `${Math.floor(disk.sizeBytes / 512)}\n`);
    writeFileSync(join(dir, 'removable'), disk.removable ? '1\n' : '0\n');
    if (disk.model) writeFileSync(join(dir, 'device', 'model'), `${disk.model.padEnd(16)}\n`);
    if (disk.serial) {
      const at = disk.serialAt ?? 'device/serial';
      if (at === 'vpd_pg80') {
        const serial = Buffer.from(disk.serial.padStart(20));
        writeFileSync(join(dir, 'device', 'vpd_pg80'), Buffer.concat([Buffer.from([0, 0x80, 0, serial.length]), serial]));
      } else writeFileSync(join(dir, at), `${disk.serial}\n`);
    }
    for (const part of disk.partitions ?? []) {
      mkdirSync(join(dir, part.name), { recursive: true });
      writeFileSync(join(dir, part.name, 'partition'), '1\n');
      writeFileSync(join(dir, part.name, 'start'), `${part.startSector}\n`);
      writeFileSync(join(dir, part.name, 'size'), `${part.sectors}\n`);
    }
    if (!disk.noDevice) {
      const file = join(dev, disk.name);
      writeFileSync(file, '');
      truncateSync(file, disk.sizeBytes);
    }
  }
  for (const name of spec.otherBlock ?? []) {
    mkdirSync(join(sys, 'block', name), { recursive: true });
    writeFileSync(join(sys, 'block', name, 'size'), '2048\n');
    writeFileSync(join(dev, name), Buffer.alloc(1024 * 1024));
  }

  const nics = spec.nics ?? [
    { name: 'lo', mac: '00:00:00:00:00:00', operstate: 'unknown' },
    { name: 'eth0', mac: '52:54:00:12:34:56', operstate: 'up', carrier: '1', speed: '1000' },
  ];
  for (const nic of nics) {
    const dir = join(sys, 'class', 'net', nic.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'address'), `${nic.mac}\n`);
    if (nic.operstate !== undefined) writeFileSync(join(dir, 'operstate'), `${nic.operstate}\n`);
    if (nic.carrier !== undefined) writeFileSync(join(dir, 'carrier'), `${nic.carrier}\n`);
    if (nic.speed !== undefined) writeFileSync(join(dir, 'speed'), `${nic.speed}\n`);
  }
  return { root, proc, sys, dev, run, disk: (name) => join(dev, name) };
}

// --- the test server -----------------------------------------------------------------------------

export interface Call {
  procedure: string;
  /** The request path, e.g. /trpc/enlist (or /prefix/trpc/enlist). */
  path: string;
  input: unknown;
  authorization: string | undefined;
  contentType: string | undefined;
  at: number;
}
export type Answer =
  | { data: unknown }
  | { status: number; message: string; code?: string }
  /** Drop the connection without an answer. */
  | { hangUp: true };
export type Handler = (input: any, call: Call, calls: Call[]) => Answer | Promise<Answer>;

export interface ImageSpec {
  bytes: Buffer;
  token: string;
  /** Bytes per second; default as fast as possible. */
  rate?: number;
  /** Send only this many bytes, then close. */
  truncateAt?: number;
}

export interface TestServer {
  url: string;
  port: number;
  calls: Call[];
  imageRequests: { name: string; authorization: string | undefined }[];
  handle(procedure: string, handler: Handler): void;
  image(name: string, spec: ImageSpec): string;
  close(): Promise<void>;
}

const TRPC_CODES: Record<number, [string, number]> = {
  400: ['BAD_REQUEST', -32600],
  401: ['UNAUTHORIZED', -32001],
  403: ['FORBIDDEN', -32003],
  404: ['NOT_FOUND', -32004],
  409: ['CONFLICT', -32009],
  429: ['TOO_MANY_REQUESTS', -32029],
  500: ['INTERNAL_SERVER_ERROR', -32603],
  503: ['SERVICE_UNAVAILABLE', -32603],
};

export async function startServer(host = '127.0.0.1'): Promise<TestServer> {
  const calls: Call[] = [];
  const imageRequests: { name: string; authorization: string | undefined }[] = [];
  const handlers = new Map<string, Handler>();
  const images = new Map<string, ImageSpec>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const serveImage = (req: IncomingMessage, res: ServerResponse, name: string) => {
    imageRequests.push({ name, authorization: req.headers.authorization });
    const spec = images.get(name);
    if (!spec) return send(res, 404, { message: 'no such image' });
    if (req.headers.authorization !== `Bearer ${spec.token}`) return send(res, 401, { message: 'bad token' });
    const total = spec.bytes.length;
    const end = spec.truncateAt ?? total;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
    if (!spec.rate) {
      // Cut short: the connection closes once the first bytes have gone out.
      if (end < total) res.write(spec.bytes.subarray(0, end), () => res.destroy());
      else res.end(spec.bytes);
      return;
    }
    // Slow: a chunk every 100 ms.
    const chunk = Math.max(1, Math.floor(spec.rate / 10));
    let offset = 0;
    const tick = () => {
      if (res.destroyed) return;
      const next = Math.min(end, offset + chunk);
      res.write(spec.bytes.subarray(offset, next));
      offset = next;
      if (offset >= end) {
        if (end < total) res.destroy();
        else res.end();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick();
      }, 100);
      timers.add(timer);
    };
    tick();
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname.startsWith('/images/')) return serveImage(req, res, url.pathname.slice('/images/'.length));
      const match = /^(?:\/[A-Za-z0-9_-]+)*\/trpc\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
      if (req.method !== 'POST' || !match) return send(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
      const procedure = match[1]!;
      let input: unknown;
      try {
        input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(res, 400, { error: { message: 'the body is not JSON', code: -32700, data: { code: 'PARSE_ERROR', httpStatus: 400 } } });
      }
      const call: Call = {
        procedure,
        path: url.pathname,
        input,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        at: Date.now(),
      };
      calls.push(call);
      const handler = handlers.get(procedure);
      if (!handler) {
        return send(res, 404, {
          error: {
            message: `No procedure found on path "${procedure}"`,
            code: -32004,
            data: { code: 'NOT_FOUND', httpStatus: 404, path: procedure },
          },
        });
      }
      const answer = await handler(input, call, calls);
      if ('hangUp' in answer) return req.socket.destroy();
      if ('data' in answer) return send(res, 200, { result: { data: answer.data } });
      const [code, number] = TRPC_CODES[answer.status] ?? [answer.code ?? 'INTERNAL_SERVER_ERROR', -32603];
      send(res, answer.status, {
        error: { message: answer.message, code: number, data: { code: answer.code ?? code, httpStatus: answer.status, path: procedure } },
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    calls,
    imageRequests,
    handle: (procedure, handler) => handlers.set(procedure, handler),
    image: (name, spec) => {
      images.set(name, spec);
      return `${url}/images/${name}`;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

// --- running the agent ---------------------------------------------------------------------------

export interface AgentRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  /** What the power stub was asked to do, in order: 'poweroff', 'reboot'. */
  power: string[];
  ms: number;
}

export interface RunOptions {
  machine: Machine;
  url?: string;
  env?: string | null;
  extraEnv?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs the agent to its end; kills it (by its process group, which it leads) if it outlives timeoutMs. */
export async function runAgent(options: RunOptions): Promise<AgentRun> {
  if (!BUSYBOX) throw new Error(SKIP_REASON);
  const { machine } = options;
  const powerLog = join(machine.root, 'power.log');
  const env: Record<string, string> = {
    PATH: busyboxBin(),
    HOME: machine.root,
    METALYARD_PROC: machine.proc,
    METALYARD_SYS: machine.sys,
    METALYARD_DEV: machine.dev,
    METALYARD_RUN: machine.run,
    METALYARD_UNAME_M: 'x86_64',
    METALYARD_POWEROFF: `echo poweroff >> '${powerLog}'`,
    METALYARD_REBOOT: `echo reboot >> '${powerLog}'`,
    METALYARD_HTTP_BACKOFF: '0.05',
    METALYARD_HTTP_TIMEOUT: '10',
    ...(options.url ? { METALYARD_URL: options.url } : {}),
    ...(options.env ? { METALYARD_ENV: options.env } : {}),
    ...options.extraEnv,
  };
  const started = Date.now();
  const child = spawn(BUSYBOX, ['sh', AGENT], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs ?? 45_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (c, s) => done([c, s])));
  clearTimeout(timer);
  // Leftovers of the run (a heartbeat loop's last sleep): end them, by the group the agent leads.
  killGroup(child.pid);
  await new Promise<void>((done) => {
    if (child.stdout.closed && child.stderr.closed) return done();
    const t = setTimeout(done, 2000);
    child.on('close', () => {
      clearTimeout(t);
      done();
    });
  });
  const power = existsSync(powerLog) ? readFileSync(powerLog, 'utf8').split('\n').filter(Boolean) : [];
  return { code, signal, log, power, ms: Date.now() - started };
}

function killGroup(pid: number | undefined) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** Runs a snippet under busybox sh with the agent's libraries loaded (for unit-level checks). */
export function shell(
  script: string,
  env: Record<string, string> = {},
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  if (!BUSYBOX) throw new Error(SKIP_REASON);
  const lib = join(PACKAGE_DIR, 'agent', 'lib');
  const prelude = ['common', 'json', 'http', 'facts', 'disk', 'heartbeat', 'steps'].map((name) => `. '${lib}/${name}.sh'`).join('\n');
  const result = spawnSync(BUSYBOX, ['sh', '-c', `${prelude}\n${script}`], {
    env: { PATH: busyboxBin(), ...env },
    encoding: 'utf8',
    input,
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Deterministic bytes that are not zeros (an image stand-in). */
export function pattern(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  let i = 0;
  for (; i + 4 <= length; i += 4) bytes.writeUInt32LE(next(), i);
  for (; i < length; i++) bytes[i] = next() & 0xff;
  return bytes;
}

export function cleanup(...dirs: string[]) {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

export function writeExecutable(path: string, text: string) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** The lookup answer for a node in a step. */
export function lookupAnswer(over: Partial<Record<string, unknown>> = {}) {
  return {
    systemId: 'abc234',
    status: 'commissioning',
    step: 'commission',
    token: 'mlm_secret-token-0123456789',
    heartbeatSeconds: 10,
    image: null,
    erase: null,
    ...over,
  };
}

/**
 * What most agent tests share: a test server started before each test and closed after it, and the fake
 * machines a test made, removed after it. `world.server` is the current test's server.
 */
export function perTestWorld(): { readonly server: TestServer; machine(spec?: FakeMachine): Machine } {
  let server: TestServer | undefined;
  let machines: Machine[] = [];
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server?.close();
    cleanup(...machines.map((machine) => machine.root));
    machines = [];
  });
  return {
    get server() {
      if (!server) throw new Error('the test server starts before each test');
      return server;
    },
    machine(spec: FakeMachine = {}) {
      const made = makeMachine(spec);
      machines.push(made);
      return made;
    },
  };
}
