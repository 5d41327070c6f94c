import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_TABLE_BEGIN, CONFIG_TABLE_END, ConfigError, SETTINGS, loadConfig, renderConfigTable } from './config.js';
import { formatDuration, parseDuration } from './settings-schema.js';
import { fileURLToPath } from 'node:url';
import { createLogger, describeError, scrubSecrets } from './logger.js';

describe('loadConfig', () => {
  it('defaults the boot settings: the Host of each request, the repository’s data/boot and data/images', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      bootUrl: null,
      defaultImage: null,
      agentTimeoutMs: 300_000,
      agentHeartbeatSeconds: 10,
      eraseMode: 'quick',
      bootConsole: 'ttyS0',
    });
    // Where `pnpm boot-image` writes (apps/agent/scripts/build-boot-image.mjs: data/boot under the repository).
    expect(config.bootDir).toBe(fileURLToPath(new URL('../../../data/boot', import.meta.url)));
    expect(config.imagesDir).toBe(fileURLToPath(new URL('../../../data/images', import.meta.url)));
  });

  it('reads the boot settings', () => {
    expect(
      loadConfig({
        METALYARD_BOOT_URL: 'http://192.168.50.1:5240/',
        METALYARD_AGENT_TIMEOUT: '90s',
        METALYARD_DEFAULT_IMAGE: 'debian-12.img',
        METALYARD_ERASE_MODE: 'full',
        METALYARD_BOOT_DIR: '/srv/boot',
      }),
    ).toMatchObject({
      bootUrl: 'http://192.168.50.1:5240',
      agentTimeoutMs: 90_000,
      defaultImage: 'debian-12',
      eraseMode: 'full',
      bootDir: '/srv/boot',
    });
    // A relative folder is relative to the repository, as for pnpm boot-image.
    expect(loadConfig({ METALYARD_BOOT_DIR: 'lab/boot' }).bootDir).toBe(fileURLToPath(new URL('../../../lab/boot', import.meta.url)));
  });

  it('defaults to 127.0.0.1:5240 and the SQLite file under ./data', () => {
    expect(loadConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 5240,
      databaseUrl: './data/metalyard.sqlite',
      adminToken: null,
      maxBodyBytes: 1024 * 1024,
    });
  });

  it('reads HOST, PORT, DATABASE_URL and the admin token', () => {
    const token = 'a'.repeat(40);
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '0', DATABASE_URL: ':memory:', METALYARD_ADMIN_TOKEN: token })).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      databaseUrl: ':memory:',
      adminToken: token,
    });
  });

  it.each([
    [{ PORT: 'http' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number \(decimal digits\) from 0 to 65535 \(not '70000'\)/],
    [{ PORT: '0x50' }, /PORT must be a whole number \(decimal digits\) from 0 to 65535 \(not '0x50'\)/],
    [{ PORT: '1e3' }, /PORT must be a whole number/],
    [{ PORT: '80.0' }, /PORT must be a whole number/],
    [{ METALYARD_MAX_BATCH: '0b11' }, /METALYARD_MAX_BATCH must be a whole number/],
    [{ METALYARD_DB_POOL_SIZE: '0x10' }, /METALYARD_DB_POOL_SIZE must be a whole number \(decimal digits\) from 1 to 1000/],
    [{ METALYARD_DB_STATEMENT_TIMEOUT: 'soon' }, /METALYARD_DB_STATEMENT_TIMEOUT must be a duration such as 500ms, 30s, 5m, 1h, 2d/],
    [{ METALYARD_COMMISSIONING_TIMEOUT: '-5m' }, /METALYARD_COMMISSIONING_TIMEOUT must be a duration/],
    [{ METALYARD_POWER_SYNC_INTERVAL: '30d' }, /METALYARD_POWER_SYNC_INTERVAL must be a duration .*at most 24d/],
    [{ METALYARD_DB_SSL: 'maybe' }, /METALYARD_DB_SSL must be one of `off`, `require`, `verify`/],
    [{ METALYARD_SQLITE_SYNCHRONOUS: 'extra' }, /METALYARD_SQLITE_SYNCHRONOUS must be one of `normal`, `full`/],
    [{ METALYARD_SECRET_KEY: 'abc' }, /METALYARD_SECRET_KEY must be 64 hex characters/],
    [{ DATABASE_URL: 'postgres://h/d?sslmode=sometimes' }, /DATABASE_URL sslmode must be one of/],
    [{ METALYARD_ADMIN_PASSWORD: 'long enough password' }, /METALYARD_ADMIN_PASSWORD goes with METALYARD_ADMIN_TOKEN/],
    [{ METALYARD_ADMIN_TOKEN: 'short' }, /at least 32 characters/],
    [{ METALYARD_LOG_LEVEL: 'loud' }, /METALYARD_LOG_LEVEL must be one of/],
    [{ METALYARD_BOOT_URL: 'tftp://x' }, /METALYARD_BOOT_URL must be an http/],
    [{ METALYARD_DEFAULT_IMAGE: '../x.img' }, /METALYARD_DEFAULT_IMAGE must be an image name/],
    [{ METALYARD_ERASE_MODE: 'shred' }, /METALYARD_ERASE_MODE must be one of `quick`, `full`/],
  ])('refuses %o with a message for the operator', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('one duration grammar for every duration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['5min', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90', 90_000],
    ['0', 0],
    [' 2M ', 120_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'h', '1 h 30', '1w', '-1s', '0x10s', '1e3', 'soon'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('formats what it parses', () => {
    for (const ms of [0, 500, 30_000, 1_800_000, 5_400_000, 172_800_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it('applies to every duration setting alike: 1h is an hour for the statement timeout as for commissioning', () => {
    const config = loadConfig({
      METALYARD_DB_STATEMENT_TIMEOUT: '1h',
      METALYARD_COMMISSIONING_TIMEOUT: '1h',
      METALYARD_ERASE_DURATION: '2d',
      METALYARD_POWER_SYNC_INTERVAL: '90',
      METALYARD_POWER_TIMEOUT: '500ms',
    });
    expect(config).toMatchObject({
      dbStatementTimeoutMs: 3_600_000,
      commissioningTimeoutMs: 3_600_000,
      eraseDelayMs: 172_800_000,
      powerSyncIntervalMs: 90_000,
      powerTimeoutMs: 500,
    });
  });
});

describe('the configuration schema', () => {
  it('reads every variable the server uses, the database ones included', () => {
    const key = 'ab'.repeat(32);
    const config = loadConfig({
      DATABASE_URL: 'postgres:///metalyard?host=/var/run/postgresql&sslmode=verify-full',
      METALYARD_DB_POOL_SIZE: '4',
      METALYARD_DB_SSL: 'verify',
      METALYARD_SQLITE_SYNCHRONOUS: 'FULL',
      METALYARD_SECRET_KEY: key,
      METALYARD_COMMISSIONING: 'on',
      METALYARD_ANON_RATE: '2.5',
    });
    expect(config).toMatchObject({
      dbPoolSize: 4,
      dbSsl: 'verify',
      sqliteSynchronous: 'full',
      secretKey: key,
      commissioning: true,
      anonRate: 2.5,
    });
  });

  it('reports every problem at once, each naming its variable, and never echoes a secret', () => {
    let thrown: unknown;
    try {
      loadConfig({
        PORT: '0x50',
        METALYARD_DB_STATEMENT_TIMEOUT: '1 hour',
        METALYARD_LOG_LEVEL: 'loud',
        METALYARD_SECRET_KEY: 'hunter2-not-a-key',
        DATABASE_URL: 'postgres://ops:hunter2@db/metalyard?connect_timeout=5',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const { problems, message } = thrown as ConfigError;
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'METALYARD_DB_STATEMENT_TIMEOUT',
      'METALYARD_LOG_LEVEL',
      'METALYARD_SECRET_KEY',
    ]);
    expect(message).toMatch(/^the configuration has 5 problems:/);
    expect(message).not.toContain('hunter2');
  });

  it('takes the admin password as written (spaces included)', () => {
    expect(loadConfig({ METALYARD_ADMIN_TOKEN: 'a'.repeat(40), METALYARD_ADMIN_PASSWORD: ' twelve chars ' }).adminPassword).toBe(
      ' twelve chars ',
    );
  });

  it('has one entry per variable', () => {
    const names = Object.values(SETTINGS).map((setting) => setting.env);
    expect(new Set(names).size).toBe(names.length);
  });

  it("is the README's configuration table (run `pnpm run docs` after changing it)", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf(CONFIG_TABLE_BEGIN);
    const end = readme.indexOf(CONFIG_TABLE_END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + CONFIG_TABLE_BEGIN.length, end).trim()).toBe(renderConfigTable());
    for (const setting of Object.values(SETTINGS)) expect(readme).toContain(`| \`${setting.env}\` |`);
  });
});

describe('logging', () => {
  it('masks BMC passwords and bearer tokens in what it writes', () => {
    const sql = `insert into node (power_parameters) values ('{"address":"10.0.0.1","password":"hunter2","bmc_secret":"s3"}')`;
    expect(scrubSecrets(sql)).toBe(
      `insert into node (power_parameters) values ('{"address":"10.0.0.1","password":"********","bmc_secret":"********"}')`,
    );
    expect(scrubSecrets('Authorization: Bearer mly_abcdef0123456789')).toBe('Authorization: Bearer ********');
  });

  it('writes JSON lines at or above its level, errors scrubbed', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.error('failed', describeError(new Error('bad "password":"hunter2"')));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, string>;
    expect(entry).toMatchObject({ level: 'error', msg: 'failed', error: 'Error' });
    expect(lines[0]).not.toContain('hunter2');
  });

  it('writes a plain line (the request line) in the same shape as the others, at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', (line) => lines.push(line));
    logger.plain('info', 'request', { status: 200 });
    logger.plain('warn', 'request', { requestId: 'r-1', status: 401, user: 'anonymous', aborted: true });
    logger.warn('request', { requestId: 'r-1', status: 401, user: 'anonymous', aborted: true });
    expect(lines).toHaveLength(2);
    const [plain, viaPino] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect({ ...plain, time: 'at' }).toEqual({ ...viaPino, time: 'at' });
    expect(new Date(plain!.time as string).toISOString()).toBe(plain!.time);
    expect(Object.keys(plain!)).toEqual(Object.keys(viaPino!));
    expect(plain).toMatchObject({ level: 'warn', msg: 'request', requestId: 'r-1', status: 401, aborted: true });
    expect(lines[0]!.endsWith('}\n')).toBe(true);
    const empty: string[] = [];
    createLogger('info', (line) => empty.push(line)).plain('info', 'bare', {});
    expect(JSON.parse(empty[0]!)).toMatchObject({ level: 'info', msg: 'bare' });
  });

  it('redacts credentials wherever a caller puts them', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    logger.debug('request', {
      headers: { authorization: 'Bearer mly_0123456789abcdef', cookie: 'session=abc', 'x-metalyard-metrics-token': 'm'.repeat(32) },
      password: 'hunter2',
      input: { username: 'alice', password: 'hunter3', powerParameters: { password: 'bmc-pass' } },
      note: 'Authorization: Bearer mly_fedcba9876543210',
    });
    expect(lines).toHaveLength(1);
    for (const secret of [
      'mly_0123456789abcdef',
      'session=abc',
      'm'.repeat(32),
      'hunter2',
      'hunter3',
      'bmc-pass',
      'mly_fedcba9876543210',
    ]) {
      expect(lines[0]).not.toContain(secret);
    }
    const entry = JSON.parse(lines[0]!) as { level: string; headers: Record<string, string>; input: { username: string } };
    expect(entry).toMatchObject({ level: 'debug', headers: { authorization: '[redacted]' }, input: { username: 'alice' } });
  });
});
