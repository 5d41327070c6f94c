import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseInUseError, DatabaseUrlError, describePostgresTarget, lockSqliteFile, postgresTarget } from '../src/index.js';
import { DEFAULT_POSTGRES_SETTINGS, clientConfig } from '../src/orm/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'metalyard-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate, standing for a private CA (sslrootcert). */
function certificate(): string {
  const path = join(dir, 'ca.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      path,
      '-days',
      '1',
      '-subj',
      '/CN=metalyard-test',
    ],
    {
      stdio: 'ignore',
    },
  );
  return path;
}

describe('PostgreSQL URLs (pg-connection-string)', () => {
  it('reads user, password, host, port and database', () => {
    const target = postgresTarget('postgres://ops:s%40cret@db.example:6543/metalyard');
    expect(target).toMatchObject({ host: 'db.example', port: 6543, user: 'ops', password: 's@cret', database: 'metalyard', sslmode: null });
    expect(describePostgresTarget(target)).toBe('postgresql://ops@db.example:6543/metalyard');
  });

  it('accepts a Unix socket folder as the host (?host=/var/run/postgresql)', () => {
    const target = postgresTarget('postgres:///metalyard?host=/var/run/postgresql');
    expect(target).toMatchObject({ host: '/var/run/postgresql', database: 'metalyard', user: 'postgres' });
    expect(clientConfig(target, DEFAULT_POSTGRES_SETTINGS)).toMatchObject({ host: '/var/run/postgresql', database: 'metalyard' });
    expect(describePostgresTarget(target)).toBe('postgresql://postgres@/metalyard?host=/var/run/postgresql');
    expect(postgresTarget('postgresql://ops@%2Fvar%2Frun%2Fpostgresql/metalyard').host).toBe('/var/run/postgresql');
  });

  it('honours sslmode=verify-full: TLS with the certificate and the host name checked', () => {
    const target = postgresTarget('postgres://ops@db.example/metalyard?sslmode=verify-full');
    const ssl = clientConfig(target, DEFAULT_POSTGRES_SETTINGS).ssl;
    expect(ssl).toBeTruthy();
    expect(ssl).not.toMatchObject({ rejectUnauthorized: false });
    expect((ssl as { checkServerIdentity?: unknown }).checkServerIdentity).toBeUndefined();
    expect(describePostgresTarget(target)).toBe('postgresql://ops@db.example:5432/metalyard?sslmode=verify-full');
  });

  it('gives sslmode its libpq meaning, over METALYARD_DB_SSL', () => {
    const ssl = (url: string, setting: 'off' | 'require' | 'verify' = 'off') =>
      clientConfig(postgresTarget(url), { ...DEFAULT_POSTGRES_SETTINGS, ssl: setting }).ssl;
    expect(ssl('postgres://h/d?sslmode=disable', 'verify')).toBe(false);
    expect(ssl('postgres://h/d?sslmode=require')).toMatchObject({ rejectUnauthorized: false });
    expect(ssl('postgres://h/d?sslmode=no-verify')).toMatchObject({ rejectUnauthorized: false });
    expect(ssl('postgres://h/d', 'verify')).toEqual({ rejectUnauthorized: true });
    expect(ssl('postgres://h/d')).toBe(false);
    const ca = certificate();
    const verifyCa = ssl(`postgres://h/d?sslmode=verify-ca&sslrootcert=${ca}`) as { ca: string; checkServerIdentity: unknown };
    expect(verifyCa.ca).toBe(readFileSync(ca, 'utf8'));
    expect(typeof verifyCa.checkServerIdentity).toBe('function');
  });

  it.each([
    ['postgres://h/d?sslmode=sometimes', /sslmode must be one of disable, prefer, require, verify-ca, verify-full/],
    ['postgres://h/d?sslmode=verify-ca', /not a usable PostgreSQL URL/],
    ['postgres://h/d?sslrootcert=/nonexistent/ca.pem&sslmode=verify-full', /cannot read \/nonexistent\/ca\.pem/],
    ['postgres://h/d?connect_timeout=5', /parameter\(s\) Metalyard does not support: connect_timeout/],
    ['postgres://h/', /must name a host \(or a socket folder\) and a database/],
    ['postgres://user:hunter2@h:99999/d', /not a usable PostgreSQL URL|port must be/],
  ])('refuses %s with a message that never repeats the password', (url, message) => {
    let thrown: unknown;
    try {
      postgresTarget(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DatabaseUrlError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('hunter2');
  });
});

describe('the SQLite lock file', () => {
  it('lets one holder in, names it to the next, and is free again once released', async () => {
    const file = join(dir, 'one.sqlite');
    const lock = await lockSqliteFile(file);
    let thrown: unknown;
    try {
      await lockSqliteFile(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DatabaseInUseError);
    expect((thrown as Error).message).toContain(file);
    expect((thrown as Error).message).toContain(`pid ${process.pid}`);
    lock.release();
    (await lockSqliteFile(file)).release();
  });

  it('takes over a damaged lock file', async () => {
    const file = join(dir, 'damaged.sqlite');
    writeFileSync(`${file}.lock`, '{"pid":');
    (await lockSqliteFile(file)).release();
  });

  it('waits for a migration lock instead of refusing', async () => {
    const file = join(dir, 'migrating.sqlite');
    const migration = await lockSqliteFile(file, 'migration');
    setTimeout(() => migration.release(), 300);
    const started = Date.now();
    const lock = await lockSqliteFile(file);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    lock.release();
  });

  it('takes over the lock of a process that is gone', async () => {
    const file = join(dir, 'stale.sqlite');
    // A pid that existed and has exited: a child that ran `true`.
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: Number(child), host: hostname(), since: 'then', start: null }));
    const lock = await lockSqliteFile(file);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });
});
