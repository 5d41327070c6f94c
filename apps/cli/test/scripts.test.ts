import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, fileServer, runCli, type CliOptions } from './harness.js';

/** The repository's own scripts, as the README runs them: `pnpm metalyard …` and `pnpm start`. */
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(REPO, 'apps', 'cli', 'package.json'), 'utf8')) as { version: string };
const { scratch, server } = fileServer();

const viaPnpm = (args: string[], options: CliOptions = {}) =>
  runCli(['metalyard', ...args], {
    ...options,
    command: 'pnpm',
    cwd: REPO,
    env: {
      METALYARD_URL: server().url,
      METALYARD_TOKEN: ADMIN_TOKEN,
      XDG_CONFIG_HOME: join(scratch, 'config'),
      TURBO_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
  });

describe('pnpm metalyard', () => {
  it('prints only the version on stdout; the build step talks on stderr', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await viaPnpm([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
      expect(result.stderr).toContain('turbo');
    }
  });

  it('--json through the script is JSON, and so is -o json; the exit code comes through', async () => {
    const enlisted = await viaPnpm([
      'nodes',
      'enlist',
      '--arch',
      'amd64/generic',
      '--mac',
      '52:54:00:cc:00:01',
      '--hostname',
      'via-pnpm',
      '--json',
    ]);
    expect(enlisted.code, enlisted.stderr).toBe(0);
    expect(JSON.parse(enlisted.stdout)).toMatchObject({ hostname: 'via-pnpm', status: 'ready' });
    const listed = await viaPnpm(['nodes', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ hostname: 'via-pnpm' })]);
    const values = await viaPnpm(['nodes', 'list', '-o', 'value', '-c', 'hostname']);
    expect(values.stdout).toBe('via-pnpm\n');
    const missing = await viaPnpm(['nodes', 'show', 'aaaaaa', '--json']);
    expect(missing.code).toBe(4);
    expect(missing.stdout).toBe('');
    expect(JSON.parse(missing.stderr.split('\n').find((line) => line.startsWith('{'))!)).toMatchObject({ error: { exitCode: 4 } });
  });
});

describe('pnpm start', () => {
  it('writes nothing but the server’s JSON log lines on stdout', async () => {
    // Its own process group, so the test can stop pnpm, its shell and the server together, by that id.
    const child = spawn('pnpm', ['start'], {
      cwd: REPO,
      detached: true,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(scratch, 'started.sqlite'), TURBO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await expect.poll(() => stdout, { timeout: 100_000, interval: 200 }).toContain('"msg":"listening"');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    const lines = stdout.trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), `${line}\n(stderr: ${stderr})`).not.toThrow();
    expect(lines[0]).toMatch(/^\{/);
    expect(stderr).toContain('turbo');
  }, 120_000);
});
