import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, runCli, scratchDir, startServer, type TestServer } from './harness.js';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { version: string };
const scratch = scratchDir();
const prefix = join(scratch.path, 'prefix');
const binary = join(prefix, 'bin', 'metalyard');
let tarball: string;
let server: TestServer;

beforeAll(async () => {
  execFileSync('pnpm', ['pack', '--pack-destination', scratch.path], { cwd: CLI_DIR, stdio: 'pipe' });
  tarball = join(
    scratch.path,
    readdirSync(scratch.path).find((name) => name.endsWith('.tgz'))!,
  );
  // The CLI's tarball alone, offline: everything it runs is inside it.
  const install = promisify(execFile)('npm', [
    'install',
    '--global',
    '--prefix',
    prefix,
    '--offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    tarball,
  ]);
  [server] = await Promise.all([startServer(scratch.path), install]);
}, 180_000);
afterAll(async () => {
  await server?.stop();
  scratch.remove();
});

it('packs a manifest without dependencies: the SDK and the libraries are bundled, with their licences', () => {
  expect(tarball.endsWith(`metalyard-cli-${version}.tgz`)).toBe(true);
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<
    string,
    unknown
  >;
  expect(manifest).toMatchObject({ name: '@metalyard/cli', version, bin: { metalyard: './main.js' } });
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
    expect(manifest[field], field).toBeUndefined();
  }
  expect(JSON.stringify(manifest)).not.toContain('workspace:');
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
  expect(files).toEqual(
    expect.arrayContaining(['package/main.js', 'package/package.json', 'package/README.md', 'package/THIRD-PARTY-LICENSES.txt']),
  );
  expect(
    files.filter((file) => !/^package\/(main\.js|package\.json|README\.md|THIRD-PARTY-LICENSES\.txt|chunks\/[\w-]+\.js)$/.test(file)),
  ).toEqual([]);
  const licences = execFileSync('tar', ['-xzOf', tarball, 'package/THIRD-PARTY-LICENSES.txt'], { encoding: 'utf8' });
  for (const bundled of ['@metalyard/sdk@', '@trpc/client@', 'commander@', 'eventsource@', 'yaml@']) expect(licences).toContain(bundled);
  expect(readdirSync(join(prefix, 'lib', 'node_modules'))).toEqual(['@metalyard']);
  expect(readdirSync(join(prefix, 'lib', 'node_modules', '@metalyard'))).toEqual(['cli']);
});

it('installs a working `metalyard` binary from the packed tarball alone', async () => {
  expect(statSync(binary).mode & 0o111).not.toBe(0);
  const help = await runCli(['--help'], { command: binary });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: metalyard /);
  expect(help.stdout).toContain('Exit codes:');
  for (const flag of ['--version', '-V'])
    expect(await runCli([flag], { command: binary })).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

it('runs a real command against the server with the installed binary', async () => {
  const env = { METALYARD_URL: server.url, METALYARD_TOKEN: ADMIN_TOKEN, XDG_CONFIG_HOME: join(scratch.path, 'config') };
  const enlisted = await runCli(['enlist', '--arch', 'amd64/generic', '--mac', '52:54:00:aa:bb:01', '--hostname', 'packed-1', '--json'], {
    command: binary,
    env,
  });
  expect(enlisted.code).toBe(0);
  const listed = await runCli(['nodes', 'list'], { command: binary, env });
  expect(listed.stdout).toMatch(/^[a-z2-7]{6}\s+packed-1\s+ready\s+unknown\s+amd64\/generic\s+52:54:00:aa:bb:01/m);
  // The server's management command is not part of the package: createadmin says where it runs.
  const createadmin = await runCli(['createadmin', '--username', 'x'], { command: binary, env });
  expect(createadmin.code).toBe(2);
  expect(createadmin.stderr).toContain("runs on the server's machine");
});
