import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, runCli, scratchDir, startServer, type TestServer } from './harness.js';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const SDK_DIR = fileURLToPath(new URL('../../../packages/sdk', import.meta.url));
const scratch = scratchDir();
const prefix = join(scratch.path, 'prefix');
const binary = join(prefix, 'bin', 'metalyard');
let server: TestServer;

function pack(dir: string): string {
  const before = new Set(readdirSync(scratch.path));
  execFileSync('pnpm', ['pack', '--pack-destination', scratch.path], { cwd: dir, stdio: 'pipe' });
  return join(scratch.path, readdirSync(scratch.path).find((name) => name.endsWith('.tgz') && !before.has(name))!);
}

beforeAll(async () => {
  // @metalyard/sdk is not on the registry: install its tarball beside the CLI's, which satisfies the dependency.
  const tarballs = [pack(SDK_DIR), pack(CLI_DIR)];
  const install = promisify(execFile)('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs]);
  [server] = await Promise.all([startServer(scratch.path), install]);
}, 180_000);
afterAll(async () => {
  await server?.stop();
  scratch.remove();
});

it('installs a working `metalyard` binary from the packed tarballs', async () => {
  expect(statSync(binary).mode & 0o111).not.toBe(0);
  const help = await runCli(['--help'], { command: binary });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: metalyard /);
  expect(help.stdout).toContain('Exit codes:');
});

it('runs a real command against the server with the installed binary', async () => {
  const env = { METALYARD_URL: server.url, METALYARD_TOKEN: ADMIN_TOKEN, XDG_CONFIG_HOME: join(scratch.path, 'config') };
  const enlisted = await runCli(['enlist', '--arch', 'amd64/generic', '--mac', '52:54:00:aa:bb:01', '--hostname', 'packed-1', '--json'], { command: binary, env });
  expect(enlisted.code).toBe(0);
  const listed = await runCli(['nodes', 'list'], { command: binary, env });
  expect(listed.stdout).toMatch(/^[a-z2-7]{6}\s+packed-1\s+ready\s+amd64\/generic\s+52:54:00:aa:bb:01/m);
});
