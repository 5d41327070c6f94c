import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { imageNameOf } from '@metalyard/domain';
import { DEFAULT_DATABASE_URL, DatabaseUrlError, isPostgresUrl, postgresTarget, sqliteLocation } from '@metalyard/db';
import type { PostgresSettings, SqliteSettings } from '@metalyard/db';
import {
  checkedText,
  decimal,
  duration,
  integer,
  oneOf,
  onOff,
  optionalText,
  parsed,
  text,
  type Setting,
  type SettingValue,
} from './settings-schema.js';
import { TrustedProxies } from './client-address.js';

/** The repository's root (`pnpm boot-image` writes to data/boot under it), whatever the working directory. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** An http(s) URL without a trailing slash. */
function baseUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) return undefined;
  return url.href.replace(/\/+$/, '');
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const METRICS_ACCESS = ['loopback', 'token', 'open', 'off'] as const;
export type MetricsAccess = (typeof METRICS_ACCESS)[number];

function trustedProxiesProblem(list: string): string | null {
  try {
    TrustedProxies.parse(list);
    return null;
  } catch (error) {
    return `must be a comma list of addresses and CIDRs: ${(error as Error).message}`;
  }
}

function databaseUrlProblem(url: string): string | null {
  try {
    if (isPostgresUrl(url)) postgresTarget(url);
    else sqliteLocation(url);
    return null;
  } catch (error) {
    if (error instanceof DatabaseUrlError) return error.message.replace(/^DATABASE_URL:? ?/, '');
    return (error as Error).message.replace(/^DATABASE_URL:? ?/, '');
  }
}

/**
 * Every environment variable the server (and `metalyard` on its machine) reads: one entry each, keyed
 * by the ServerConfig field it fills, with its type, default, bounds and description. The README's
 * configuration table is generated from it (`pnpm run docs`); a test fails when the two differ.
 * A new setting is one entry here (and what it configures in usecases/src/settings.ts).
 */
export const SETTINGS = {
  host: text({
    env: 'HOST',
    default: '127.0.0.1',
    description: 'address to listen on; see [Listening for the provisioning network](#listening-for-the-provisioning-network)',
  }),
  port: integer({
    env: 'PORT',
    default: 5240,
    min: 0,
    max: 65535,
    description: 'port to listen on (`0`: any free port; the log says which)',
  }),
  databaseUrl: checkedText({
    env: 'DATABASE_URL',
    default: DEFAULT_DATABASE_URL,
    form: 'a SQLite file path (also `sqlite:PATH`, `file:PATH`) or `:memory:`, or a PostgreSQL URL',
    description:
      'a SQLite file path (also `sqlite:PATH`, `file:PATH`), or `:memory:`; the folder is created. Or PostgreSQL: ' +
      '`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (also `postgresql://`), a Unix socket as `postgres:///DATABASE?host=/var/run/postgresql`, ' +
      "with `sslmode` (`disable`, `require`, `verify-ca`, `verify-full`; libpq's meaning; `sslrootcert`, `sslcert`, `sslkey` name files) — for [several replicas](#running-several-replicas)",
    secret: true,
    check: databaseUrlProblem,
  }),
  dbPoolSize: integer({
    env: 'METALYARD_DB_POOL_SIZE',
    default: 10,
    min: 1,
    max: 1000,
    description: "PostgreSQL: connections each server process keeps at most (plus one that listens for the other replicas' events)",
  }),
  dbStatementTimeoutMs: duration({
    env: 'METALYARD_DB_STATEMENT_TIMEOUT',
    default: 30_000,
    zero: 'no limit',
    description: 'PostgreSQL: a statement running longer is cancelled and the request fails',
  }),
  dbSsl: oneOf({
    env: 'METALYARD_DB_SSL',
    default: 'off',
    values: ['off', 'require', 'verify'] as const,
    description:
      'PostgreSQL, when `DATABASE_URL` has no `sslmode` (which wins): `off`, `require` (TLS, certificate not checked) or `verify` (TLS with a certificate trusted by Node.js for that host; add a private CA with `NODE_EXTRA_CA_CERTS`)',
  }),
  adminToken: optionalText({
    env: 'METALYARD_ADMIN_TOKEN',
    pattern: /^[A-Za-z0-9._~+/=-]{32,512}$/,
    form: 'at least 32 characters of letters, digits and `._~+/=-` (try: `openssl rand -hex 32`)',
    secret: true,
    description: 'when set, user `admin` exists and this token authenticates as it; idempotent across restarts',
  }),
  adminPassword: optionalText({
    env: 'METALYARD_ADMIN_PASSWORD',
    pattern: /^[\s\S]{12,}$/,
    form: 'at least 12 characters, with `METALYARD_ADMIN_TOKEN`',
    secret: true,
    untrimmed: true,
    description: 'with the admin token: the password user `admin` signs in with',
  }),
  maxBodyBytes: integer({
    env: 'METALYARD_MAX_BODY_BYTES',
    default: 1024 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
    description: 'larger request bodies are refused with 413 before they are read',
  }),
  maxBatch: integer({
    env: 'METALYARD_MAX_BATCH',
    default: 50,
    min: 1,
    max: 10_000,
    description: 'at most this many calls in one batched request',
  }),
  anonRate: decimal({
    env: 'METALYARD_ANON_RATE',
    default: 20,
    min: 0,
    max: 1_000_000,
    description:
      'the anonymous door: calls per second each client (an IPv4 address, an IPv6 /64) may make to public procedures (`enlist`, `auth.login`, `machine.*`), refilled as a token bucket; `0` turns the limit off. Over it: 429 with `Retry-After`',
  }),
  anonBurst: integer({
    env: 'METALYARD_ANON_BURST',
    default: 40,
    min: 1,
    max: 1_000_000,
    description: "the bucket's size: calls an address may make at once (a rack booting together)",
  }),
  maxDeclared: integer({
    env: 'METALYARD_MAX_DECLARED',
    default: 10_000,
    min: 1,
    max: 100_000_000,
    description: 'at most this many machines wait in `declared`; beyond it anonymous `enlist` answers 503 and writes nothing',
  }),
  adminDir: text({
    env: 'METALYARD_ADMIN_DIR',
    default: fileURLToPath(new URL('../../admin/dist/', import.meta.url)),
    shown: '`apps/admin/dist`',
    description: "the admin web app's build, served at `/`",
  }),
  logLevel: oneOf({
    env: 'METALYARD_LOG_LEVEL',
    default: 'info',
    values: LOG_LEVELS,
    description:
      "the least severe level logged; logs are JSON lines on stdout (errors on stderr), one per request; `debug` adds each request's path, peer, user agent, sizes and headers (credentials redacted)",
  }),
  trustedProxies: checkedText({
    env: 'METALYARD_TRUSTED_PROXIES',
    default: '',
    shown: 'unset',
    form: 'a comma list of IPv4 and IPv6 addresses and CIDRs (`10.0.0.5, 10.1.0.0/16, fd00::/8`)',
    check: trustedProxiesProblem,
    description:
      "proxies or load balancers in front of Metalyard. Only for a request whose socket peer is one of them is the client taken from `X-Forwarded-For` or `Forwarded`: the rightmost hop that is not a trusted proxy (when both headers are sent and name different clients, neither is believed). Anyone else's header is ignored. The client address feeds the anonymous door, the login throttle, events (`anonymous@ADDRESS`) and the log",
  }),
  metrics: oneOf({
    env: 'METALYARD_METRICS',
    default: 'loopback',
    values: METRICS_ACCESS,
    description:
      "who may read `GET /metrics`: `loopback` (clients on 127.0.0.0/8 or ::1, after the trusted-proxy rule), `token` (an admin's bearer token or `METALYARD_METRICS_TOKEN`), `open`, or `off` (404)",
  }),
  metricsToken: optionalText({
    env: 'METALYARD_METRICS_TOKEN',
    pattern: /^[A-Za-z0-9._~+/=-]{32,512}$/,
    form: 'at least 32 characters of letters, digits and `._~+/=-` (try: `openssl rand -hex 32`)',
    secret: true,
    description: 'with `METALYARD_METRICS=token`: a bearer token for the scraper, compared in constant time',
  }),
  sqliteSynchronous: oneOf({
    env: 'METALYARD_SQLITE_SYNCHRONOUS',
    default: 'normal',
    values: ['normal', 'full'] as const,
    description: '`normal` keeps every committed write through a crash of the process; `full` also through power loss',
  }),
  commissioning: onOff({
    env: 'METALYARD_COMMISSIONING',
    default: false,
    description:
      '`on`: accepting a machine, or enlisting it as a user, starts commissioning; it becomes ready when it reports passing hardware tests',
  }),
  commissioningTimeoutMs: duration({
    env: 'METALYARD_COMMISSIONING_TIMEOUT',
    default: 30 * 60_000,
    min: 1000,
    description: 'a commissioning machine that has not reported by then fails commissioning',
  }),
  eraseDelayMs: duration({
    env: 'METALYARD_ERASE_DURATION',
    default: 0,
    zero: 'the release completes within the call',
    description:
      'how long the (simulated) disk erase of a release takes, for nodes Metalyard does not power (a powered one is erased by its agent)',
  }),
  secretKey: optionalText({
    env: 'METALYARD_SECRET_KEY',
    pattern: /^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=?)$/,
    form: '64 hex characters (`openssl rand -hex 32`)',
    secret: true,
    description:
      'the key BMC passwords and other secret power parameters are sealed with (AES-256-GCM); unset: a key file `metalyard.key` (mode 0600) created beside the SQLite file at first start (`./data/metalyard.key` with PostgreSQL; replicas on several machines share this variable instead)',
  }),
  powerTimeoutMs: duration({
    env: 'METALYARD_POWER_TIMEOUT',
    default: 20_000,
    min: 100,
    max: 10 * 60_000,
    description: 'one BMC call at most this long (each of at most 3 attempts when the BMC does not answer)',
  }),
  powerSyncIntervalMs: duration({
    env: 'METALYARD_POWER_SYNC_INTERVAL',
    default: 5 * 60_000,
    zero: 'never',
    description: 'how often every BMC Metalyard drives is asked for its power state',
  }),
  powerSyncConcurrency: integer({
    env: 'METALYARD_POWER_SYNC_CONCURRENCY',
    default: 8,
    min: 1,
    max: 1000,
    description: 'at most this many BMCs asked at once',
  }),
  bootUrl: parsed<string | null>({
    env: 'METALYARD_BOOT_URL',
    default: null,
    shown: "each request's Host",
    form: 'an http:// or https:// URL without query, fragment or credentials, e.g. `http://192.168.50.1:5240`',
    parse: baseUrl,
    description: 'the URL machines on the provisioning network reach this server at, for boot scripts and image URLs',
  }),
  bootDir: parsed<string>({
    env: 'METALYARD_BOOT_DIR',
    default: resolve(REPO_ROOT, 'data/boot'),
    shown: '`data/boot`',
    form: 'a folder (relative: to the repository, as `pnpm boot-image` reads it)',
    parse: (raw) => resolve(REPO_ROOT, raw),
    description: 'where `vmlinuz`, `initrd.img` and `tftp/` are (what `pnpm boot-image` builds); missing: the boot routes answer 503',
  }),
  imagesDir: parsed<string>({
    env: 'METALYARD_IMAGES_DIR',
    default: resolve(REPO_ROOT, 'data/images'),
    shown: '`data/images`',
    form: 'a folder (relative: to the repository)',
    parse: (raw) => resolve(REPO_ROOT, raw),
    description: 'the raw disk images deployments write: `NAME.img` or `NAME.raw`, each with its SHA-256 cached in `NAME.img.sha256`',
  }),
  defaultImage: parsed<string | null>({
    env: 'METALYARD_DEFAULT_IMAGE',
    default: null,
    shown: 'the first by name',
    form: 'an image name, or its file name `NAME.img` or `NAME.raw`',
    parse: (raw) => imageNameOf(raw) ?? undefined,
    description: 'the image a deployment writes when none is named',
  }),
  agentTimeoutMs: duration({
    env: 'METALYARD_AGENT_TIMEOUT',
    default: 5 * 60_000,
    min: 1000,
    description: 'a machine whose agent has not heartbeated for this long fails its step (commissioning, deployment, erase → broken)',
  }),
  agentHeartbeatSeconds: integer({
    env: 'METALYARD_AGENT_HEARTBEAT',
    default: 10,
    min: 1,
    max: 300,
    description: 'how often, in seconds, the agent heartbeats while it works',
  }),
  eraseMode: oneOf({
    env: 'METALYARD_ERASE_MODE',
    default: 'quick',
    values: ['quick', 'full'] as const,
    description:
      "how the agent erases a released machine's disks: `quick` zeroes the first and last 8 MiB and every partition's start; `full` every byte",
  }),
  bootConsole: parsed<string>({
    env: 'METALYARD_BOOT_CONSOLE',
    default: 'ttyS0',
    form: 'a kernel console such as `ttyS0` or `ttyS1,115200`',
    parse: (raw) => (/^[A-Za-z0-9,._-]{1,64}$/.test(raw) ? raw : undefined),
    description: "the boot environment's kernel `console=`",
  }),
} satisfies Record<string, Setting<unknown>>;

export type ServerConfig = { -readonly [K in keyof typeof SETTINGS]: SettingValue<(typeof SETTINGS)[K]> };

/** Every problem of the configuration at once, each naming its variable and the accepted form. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `the configuration has ${problems.length} problems:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const entries = Object.entries(SETTINGS) as [keyof ServerConfig, Setting<unknown>][];

const schema = z.object(Object.fromEntries(entries.map(([, setting]) => [setting.env, setting.schema]))).superRefine((values, ctx) => {
  if (values.METALYARD_ADMIN_PASSWORD !== null && values.METALYARD_ADMIN_TOKEN === null) {
    ctx.addIssue({ code: 'custom', path: ['METALYARD_ADMIN_PASSWORD'], message: 'goes with METALYARD_ADMIN_TOKEN, which is unset' });
  }
});

/** Reads the settings from the environment; every problem is in one ConfigError with a message for the operator. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const input = Object.fromEntries(entries.map(([, setting]) => [setting.env, env[setting.env]]));
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const setting = entries.find(([, candidate]) => candidate.env === name)?.[1];
      const raw = env[name];
      const shown = setting?.secret || raw === undefined ? '' : ` (not '${raw.trim()}')`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  return Object.fromEntries(entries.map(([key, setting]) => [key, result.data[setting.env]])) as ServerConfig;
}

/** What the database adapters take from the configuration. */
export function databaseOptions(config: ServerConfig): {
  url: string;
  secretKey?: string;
  postgres: PostgresSettings;
  sqlite: SqliteSettings;
} {
  return {
    url: config.databaseUrl,
    ...(config.secretKey ? { secretKey: config.secretKey } : {}),
    postgres: { poolSize: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs, ssl: config.dbSsl },
    sqlite: { synchronous: config.sqliteSynchronous },
  };
}

/** The README's configuration table, from the schema (`pnpm run docs` writes it between the config-table markers). */
export function renderConfigTable(): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const rows = entries.map(
    ([, setting]) => `| \`${setting.env}\` | ${escape(setting.shownDefault)} | ${escape(setting.form)} | ${escape(setting.description)} |`,
  );
  return ['| variable | default | accepted | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export const CONFIG_TABLE_BEGIN = '<!-- config-table:begin (generated from apps/server/src/config.ts: pnpm run docs) -->';
export const CONFIG_TABLE_END = '<!-- config-table:end -->';
