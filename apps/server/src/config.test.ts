import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, describeError, scrubSecrets } from './logger.js';

describe('loadConfig', () => {
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
    [{ PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    [{ METALYARD_ADMIN_TOKEN: 'short' }, /at least 32 characters/],
    [{ METALYARD_LOG_LEVEL: 'loud' }, /METALYARD_LOG_LEVEL must be one of/],
  ])('refuses %o with a message for the operator', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('logging', () => {
  it('masks BMC passwords and bearer tokens in what it writes', () => {
    const sql = `insert into node (power_parameters) values ('{"address":"10.0.0.1","password":"hunter2","bmc_secret":"s3"}')`;
    expect(scrubSecrets(sql)).toBe(`insert into node (power_parameters) values ('{"address":"10.0.0.1","password":"********","bmc_secret":"********"}')`);
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
});
