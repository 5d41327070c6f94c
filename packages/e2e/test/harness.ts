import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll } from 'vitest';
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

/**
 * `pnpm test:pg` sets METALYARD_TEST_PG_URL (a PostgreSQL URL whose user may create databases) and
 * the suite runs on PostgreSQL: each SQLite path a test hands to startServer or manage stands for a
 * PostgreSQL database of its own, created on first use and dropped when the test file ends.
 */
export const PG_ADMIN_URL = process.env.METALYARD_TEST_PG_URL?.trim() || undefined;
export const onPostgres = PG_ADMIN_URL !== undefined;

/** SQLite path → the PostgreSQL database standing in for it. */
const pgDatabases = new Map<string, Promise<{ name: string; url: string }>>();

async function pgAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** The DATABASE_URL the server gets for `databaseUrl`: itself, or on PostgreSQL the URL of the database standing in for that file. */
export async function databaseUrlFor(databaseUrl: string): Promise<string> {
  if (!PG_ADMIN_URL || databaseUrl === ':memory:' || /^postgres(ql)?:\/\//i.test(databaseUrl)) return databaseUrl;
  let database = pgDatabases.get(databaseUrl);
  if (!database) {
    const name = `metalyard_e2e_${randomBytes(6).toString('hex')}`;
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    database = pgAdmin((admin) => admin.query(`create database ${name}`)).then(() => ({ name, url: url.toString() }));
    pgDatabases.set(databaseUrl, database);
  }
  return (await database).url;
}

afterAll(async () => {
  if (pgDatabases.size === 0) return;
  const names = await Promise.all([...pgDatabases.values()].map(async (database) => (await database).name));
  await pgAdmin(async (admin) => {
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
  });
});

/** Starts the real server (the built apps/server) on port 0 and waits for its "listening" line. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [join(SERVER_DIST, 'main.js')], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: await databaseUrlFor(databaseUrl),
      METALYARD_ADMIN_TOKEN: ADMIN_TOKEN,
      METALYARD_ANON_RATE: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${output.join('\n')}`)), 60_000);
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

/** The JSON lines a server wrote (every line must be one), those with `msg` when given. */
export function logLines(server: ServerProcess, msg?: string): Record<string, unknown>[] {
  const lines = server.output.map((line) => JSON.parse(line) as Record<string, unknown>);
  return msg === undefined ? lines : lines.filter((line) => line.msg === msg);
}

/** Waits until the server has logged a line matching `test` (lines are written after the answer). */
export async function logged(server: ServerProcess, test: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const found = logLines(server).find(test);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no such log line in:\n${server.output.join('\n')}`);
}

/** Runs the server's management command and returns what it wrote; rejects (with stdout, stderr, code) when it fails. */
export async function manageOutput(databaseUrl: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(SERVER_DIST, 'manage.js'), ...args], {
    env: { ...process.env, DATABASE_URL: await databaseUrlFor(databaseUrl) },
  });
}

/** Runs the server's management command (createadmin, createuser) and returns the token it prints. */
export async function manage(databaseUrl: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(SERVER_DIST, 'manage.js'), ...args], {
    env: { ...process.env, DATABASE_URL: await databaseUrlFor(databaseUrl) },
  });
  return stdout.trim();
}

export function client(url: string, token?: string): MetalyardClient {
  return createMetalyardClient({ url, token: token ?? null });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ status: number | undefined; code: string | undefined; message: string; data: Record<string, unknown> | undefined }> {
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

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request (any body, any bytes), for inputs the SDK would never send. */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; body?: string; headers?: Record<string, string>; agent?: Agent; localAddress?: string },
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.body !== undefined) headers['content-length'] = Buffer.byteLength(options.body);
    let answered = false;
    const req = httpRequest(
      new URL(options.path, url),
      { method: options.method ?? 'POST', headers, agent: options.agent, localAddress: options.localAddress },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    // A server refusing a body may answer and hang up while it is still being sent: the answer counts.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    req.end(options.body);
  });
}

/** The system id of every node, read page by page through `protected.nodes.list` as the admin. */
export async function allSystemIds(url: string): Promise<Set<string>> {
  const admin = client(url, ADMIN_TOKEN);
  const ids = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { items: { systemId: string }[]; nextCursor: string | null } = await admin.protected.nodes.list.query({
      limit: 1000,
      cursor,
    });
    for (const node of page.items) ids.add(node.systemId);
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}
