import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';

const SERVER_DIST = fileURLToPath(new URL('../../server/dist/', import.meta.url));
export const CLI_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const ADMIN_TOKEN = 'cli-test-admin-token-0123456789abcdef0123';

/** A scratch folder, removed by `remove()`. */
export function scratchDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'metalyard-cli-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestServer {
  url: string;
  databaseUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The real server (the built apps/server) on a fresh SQLite file, on any free port; `env` adds settings. */
export function startServer(dir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const databaseUrl = join(dir, 'metalyard.sqlite');
  const child = spawn(process.execPath, [join(SERVER_DIST, 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, METALYARD_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.includes('"msg":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        databaseUrl,
        child,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
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

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Variables added to the CLI's environment (which starts without any METALYARD_* or colour setting). */
  env?: Record<string, string>;
  /** Written to the CLI's stdin, which is then closed. */
  input?: string;
  /** The executable to run instead of `node dist/main.js` (the installed binary, or pnpm). */
  command?: string;
  /** The folder to run it in (default: this process's). */
  cwd?: string;
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('METALYARD_') || name === 'NO_COLOR' || name === 'FORCE_COLOR' || name === 'XDG_CONFIG_HOME') delete env[name];
  }
  return env;
}

/** Runs the built CLI as a subprocess, as a user would. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const [command, commandArgs] = options.command ? [options.command, args] : [process.execPath, [CLI_MAIN, ...args]];
  const child = spawn(command, commandArgs, { env: { ...baseEnv(), ...options.env }, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A CLI bound to one config folder (XDG_CONFIG_HOME), so each test file has its own profiles. */
export function cliIn(configHome: string, shared: Record<string, string> = {}) {
  return (args: string[], options: CliOptions = {}) =>
    runCli(args, { ...options, env: { XDG_CONFIG_HOME: configHome, ...shared, ...options.env } });
}

export interface AdminCliSession {
  /** The CLI's config folder (XDG_CONFIG_HOME). */
  configHome: string;
  /** The CLI, logged in to the server as admin (its default profile 'admin'). */
  cli: ReturnType<typeof cliIn>;
  /** The running server: read it inside tests, once beforeAll has started it. */
  readonly server: TestServer;
  /** The token of alice, a plain user: read it inside tests. */
  readonly userToken: string;
  /** Options that run a command as alice. */
  asAlice(): CliOptions;
  /** Runs a command with --json, expects it to succeed with nothing on stderr, and parses what it prints. */
  json<T>(args: string[], options?: CliOptions): Promise<T>;
  /** Starts a long-running command (logged in as admin, as `cli` is); the test ends it. */
  start(args: string[], options?: CliOptions): RunningCli;
}

/**
 * For the calling test file: the real server (with `serverEnv` added to its settings) on a fresh database
 * in a scratch folder, the user alice, and the CLI logged in as admin; started before the file's tests,
 * stopped and removed after them.
 */
export function adminCliSession(serverEnv: Record<string, string> = {}): AdminCliSession {
  const scratch = scratchDir();
  const configHome = join(scratch.path, 'config');
  const cli = cliIn(configHome);
  const running: RunningCli[] = [];
  let started: { server: TestServer; userToken: string } | undefined;
  const ready = () => {
    if (!started) throw new Error('the test server starts in beforeAll: use it inside tests');
    return started;
  };

  beforeAll(async () => {
    const server = await startServer(scratch.path, serverEnv);
    started = { server, userToken: await manage(server.databaseUrl, 'createuser', '--username', 'alice') };
    expect((await cli(['login', 'admin', server.url, ADMIN_TOKEN])).code).toBe(0);
  });
  afterAll(async () => {
    // A test that failed half-way may have left a command waiting: end it (the ones this file started).
    await Promise.all(running.map((command) => command.interrupt()));
    await started?.server.stop();
    scratch.remove();
  });

  return {
    configHome,
    cli,
    get server() {
      return ready().server;
    },
    get userToken() {
      return ready().userToken;
    },
    asAlice: () => ({ env: { METALYARD_TOKEN: ready().userToken } }),
    async json<T>(args: string[], options: CliOptions = {}): Promise<T> {
      const result = await cli([...args, '--json'], options);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      return JSON.parse(result.stdout) as T;
    },
    start(args, options = {}) {
      const command = startCli(args, { ...options, env: { XDG_CONFIG_HOME: configHome, ...options.env } });
      running.push(command);
      return command;
    },
  };
}

let macCounter = 0;
/** A fresh MAC address, unique within the test file (the prefix keeps files apart). */
export function nextMac(prefix: number): string {
  macCounter += 1;
  const hex = (prefix * 2 ** 32 + macCounter).toString(16).padStart(12, '0').slice(-12);
  return hex.match(/../g)!.join(':');
}

/** The columns of each table line, split on runs of two or more spaces. */
export function tableRows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

/** The real server for the calling test file, on a fresh database in its own scratch folder; stopped and removed after. */
export function fileServer(env: Record<string, string> = {}): { scratch: string; server(): TestServer } {
  const scratch = scratchDir();
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer(scratch.path, env);
  });
  afterAll(async () => {
    await server?.stop();
    scratch.remove();
  });
  return {
    scratch: scratch.path,
    server: () => {
      if (!server) throw new Error('the test server starts in beforeAll: use it inside tests');
      return server;
    },
  };
}

/** Runs the CLI's bash completion on a command line (`metalyard nodes l`) and returns what it offers. */
export function bashCompleter(): (line: string) => string {
  const script = execFileSync(process.execPath, [CLI_MAIN, 'completion', 'bash'], { encoding: 'utf8' });
  return (line) =>
    execFileSync(
      'bash',
      ['-c', `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _metalyard; echo "\${COMPREPLY[*]}"`],
      {
        encoding: 'utf8',
      },
    ).trim();
}

/** The URL of a local port nothing listens on (it was free a moment ago). */
export async function unreachableUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

export interface RunningCli {
  /** What it has printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves once `text` has appeared on the stream (rejects if the CLI exits first). */
  waitFor(text: string | RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
  /** Resolves with the exit code when it ends on its own. */
  exited: Promise<number | null>;
}

/** Starts a long-running CLI command (--follow, --watch, --wait) as a subprocess; the caller ends it. */
export function startCli(args: string[], options: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], { env: { ...baseEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  return {
    output: () => ({ ...output }),
    async waitFor(text, stream = 'stderr', timeoutMs = 30_000) {
      const seen = () => (typeof text === 'string' ? output[stream].includes(text) : text.test(output[stream]));
      const deadline = Date.now() + timeoutMs;
      while (!seen()) {
        if (!running) throw new Error(`the CLI exited before printing ${String(text)}:\n${output.stderr}`);
        if (Date.now() > deadline) throw new Error(`no ${String(text)} on ${stream} within ${timeoutMs} ms:\n${output.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async interrupt() {
      if (running) child.kill('SIGINT');
      return exited;
    },
    exited,
  };
}
