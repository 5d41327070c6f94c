import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, cliIn, fileServer, unreachableUrl, type TestServer } from './harness.js';

const files = fileServer();
const configHome = join(files.scratch, 'config');
const profilesFile = join(configHome, 'metalyard', 'profiles.json');
const cli = cliIn(configHome);
let server: TestServer;

beforeAll(() => {
  server = files.server();
});

describe('login', () => {
  it('refuses a token the server refuses, with exit code 3, and saves nothing', async () => {
    const result = await cli(['login', 'prod', server.url, 'not-a-real-token']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`the server at ${server.url} refused this token`);
    expect(() => statSync(profilesFile)).toThrow();
  });

  it('refuses a URL that is not http(s), with exit code 2', async () => {
    const result = await cli(['login', 'prod', 'ftp://example.org', ADMIN_TOKEN]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not an http(s) URL');
  });

  it('saves a checked token, owner-only, and makes the first profile the default', async () => {
    const result = await cli(['login', 'prod', server.url, ADMIN_TOKEN]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${server.url} as profile 'prod' (the default)`);
    expect(statSync(profilesFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(configHome, 'metalyard')).mode & 0o777).toBe(0o700);
    const saved = JSON.parse(readFileSync(profilesFile, 'utf8')) as {
      default: string;
      profiles: Record<string, { url: string; token: string }>;
    };
    expect(saved).toEqual({ default: 'prod', profiles: { prod: { url: server.url, token: ADMIN_TOKEN } } });
  });

  it('reads the token from stdin when it is not given; a second profile is not the default', async () => {
    const result = await cli(['login', 'lab', `${server.url}/`, '--json'], { input: `${ADMIN_TOKEN}\n` });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ profile: 'lab', url: server.url, default: false });
  });

  it('says so when stdin gives no token', async () => {
    const result = await cli(['login', 'empty', server.url], { input: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no token given');
  });
});

describe('profiles and logout', () => {
  it('lists profiles without their tokens', async () => {
    const table = await cli(['profiles']);
    expect(table.stdout).toMatch(/^PROFILE\s+URL\s+DEFAULT\n/);
    expect(table.stdout).toMatch(/prod\s+http:\/\/127\.0\.0\.1:\d+\s+\*/);
    expect(table.stdout).not.toContain(ADMIN_TOKEN);
    const json = JSON.parse((await cli(['profiles', '--json'])).stdout);
    expect(json).toEqual([
      { name: 'prod', url: server.url, default: true },
      { name: 'lab', url: server.url, default: false },
    ]);
  });

  it('uses --profile, and METALYARD_URL / METALYARD_TOKEN over the profile', async () => {
    expect((await cli(['--profile', 'lab', 'nodes', 'list'])).code).toBe(0);
    const unknown = await cli(['nodes', 'list', '--profile', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no profile 'nope'");
    const badToken = await cli(['nodes', 'list'], { env: { METALYARD_TOKEN: 'wrong' } });
    expect(badToken.code).toBe(3);
    const elsewhere = await cli(['nodes', 'list'], { env: { METALYARD_URL: await unreachableUrl() } });
    expect(elsewhere.code).toBe(6);
  });

  it('forgets a profile; the default moves to one that is left', async () => {
    const result = await cli(['logout', 'prod']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("The default profile is now 'lab'");
    expect(JSON.parse((await cli(['profiles', '--json'])).stdout)).toEqual([{ name: 'lab', url: server.url, default: true }]);
    expect((await cli(['logout', 'prod'])).code).toBe(4);
  });

  it('without any profile, says how to log in (exit code 2)', async () => {
    const cliElsewhere = cliIn(join(files.scratch, 'empty-config'));
    const result = await cliElsewhere(['nodes', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('metalyard login <profile> <url> [token]');
  });
});
