import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createMetalyardClient } from '@metalyard/sdk';
import { ADMIN_TOKEN, CLI_MAIN, adminCliSession, nextMac, type RunningCli } from './harness.js';

/** What follows the server live: --wait on actions, nodes list --watch, events follow. */
const session = adminCliSession({ METALYARD_ERASE_DURATION: '1s' });
const { cli, json, start } = session;
const mac = () => nextMac(0x0e);

interface NodeJson {
  systemId: string;
  hostname: string;
  status: string;
  statusMessage: string | null;
  machineToken?: string;
}

const enlistReady = (hostname: string) =>
  json<NodeJson>(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac(), '--hostname', hostname]);

/** The machine token a waiting command printed on stderr (the machine needs it to report). */
async function machineTokenOf(waiting: RunningCli): Promise<string> {
  await waiting.waitFor(/Machine token \(shown once; hand it to the machine\): \S+\n/);
  return /hand it to the machine\): (\S+)\n/.exec(waiting.output().stderr)![1]!;
}

/** The machine's own client, authenticated with its per-node token. */
const machine = (token: string) => createMetalyardClient({ url: session.server.url, token });

describe('--wait', () => {
  it('commission --wait returns once the machine reports passing tests: ready, exit 0', async () => {
    const node = await enlistReady('wait-commission');
    const waiting = start(['nodes', 'commission', node.systemId, '--wait', '--json']);
    const token = await machineTokenOf(waiting);
    await waiting.waitFor(`Waiting for ${node.systemId} to finish commissioning (at most 10m)`);
    expect(waiting.output().stdout).toBe('');
    await machine(token).machine.reportCommissioning.mutate({
      systemId: node.systemId,
      result: 'passed',
      hardware: { cpuCount: 8, memoryMb: 32_768 },
    });
    expect(await waiting.exited).toBe(0);
    expect(JSON.parse(waiting.output().stdout)).toMatchObject({ systemId: node.systemId, status: 'ready', machineToken: token });
    expect(waiting.output().stderr).toContain(`${node.systemId}: commissioning → ready`);
  });

  it('commission --wait exits 1 when commissioning fails, after printing the node and why', async () => {
    const node = await enlistReady('wait-commission-fails');
    const waiting = start(['nodes', 'commission', node.systemId, '--wait', '-o', 'value', '-c', 'status']);
    const token = await machineTokenOf(waiting);
    await machine(token).machine.reportCommissioning.mutate({ systemId: node.systemId, result: 'failed', reason: 'memory test failed' });
    expect(await waiting.exited).toBe(1);
    expect(waiting.output().stdout).toBe('failed_commissioning\n');
    expect(waiting.output().stderr).toMatch(
      new RegExp(`metalyard: ${node.systemId} is failed_commissioning, not ready: .*memory test failed`),
    );
  });

  it('deploy --wait (the earlier spelling too) follows the deployment to deployed, or exits 1 on failed_deployment', async () => {
    for (const [spelling, result, status, code] of [
      [['nodes', 'deploy'], 'passed', 'deployed', 0],
      [['deploy'], 'failed', 'failed_deployment', 1],
    ] as const) {
      const node = await enlistReady(`wait-deploy-${result}`);
      await json(['nodes', 'acquire', '--system-id', node.systemId]);
      const waiting = start([...spelling, node.systemId, '--wait', '--json']);
      const token = await machineTokenOf(waiting);
      await machine(token).machine.reportDeployment.mutate({ systemId: node.systemId, result });
      expect(await waiting.exited, spelling.join(' ')).toBe(code);
      expect(JSON.parse(waiting.output().stdout)).toMatchObject({ systemId: node.systemId, status });
    }
  });

  it('release --wait waits out the erase (1s here): ready, exit 0; without --wait it returns releasing', async () => {
    const node = await enlistReady('wait-release');
    await json(['nodes', 'acquire', '--system-id', node.systemId]);
    expect(await json(['nodes', 'release', node.systemId])).toMatchObject({ status: 'releasing' });
    const admin = createMetalyardClient({ url: session.server.url, token: ADMIN_TOKEN });
    await expect
      .poll(async () => (await admin.protected.nodes.get.query({ systemId: node.systemId })).status, { timeout: 30_000, interval: 200 })
      .toBe('ready');
    await json(['nodes', 'acquire', '--system-id', node.systemId]);
    const began = Date.now();
    const released = await cli(['nodes', 'release', node.systemId, '--wait', '-o', 'value', '-c', 'status']);
    expect(released.code).toBe(0);
    expect(released.stdout).toBe('ready\n');
    expect(released.stderr).toContain(`${node.systemId}: releasing → ready`);
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
  });

  it('--timeout: exit 1 when the node is still in its transient state; a bad duration is a usage error', async () => {
    const node = await enlistReady('wait-timeout');
    const result = await cli(['nodes', 'commission', node.systemId, '--wait', '--timeout', '1s']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`metalyard: timed out after 1s: ${node.systemId} is still commissioning`);
    expect((await json<NodeJson>(['nodes', 'show', node.systemId])).status).toBe('commissioning');
    const bad = await cli(['nodes', 'deploy', node.systemId, '--wait', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'soon' is not a duration");
  });
});

describe('nodes list --watch and events follow', () => {
  it('--watch -o json prints the list, then each change as it happens, until Ctrl-C (exit 0)', async () => {
    const before = await enlistReady('watch-before');
    const watching = start(['nodes', 'list', '--watch', '--hostname-prefix', 'watch-', '-o', 'json']);
    await watching.waitFor('Watching for changes');
    const added = await enlistReady('watch-added');
    await json(['nodes', 'acquire', '--system-id', added.systemId]);
    await json(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac(), '--hostname', 'elsewhere-1']);
    await json(['nodes', 'delete', before.systemId]);
    await watching.waitFor(`"type":"removed","node":{"systemId":"${before.systemId}"`, 'stdout');
    expect(await watching.interrupt()).toBe(0);
    const lines = watching
      .output()
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; node: NodeJson });
    const seen = lines.map(({ type, node }) => `${type} ${node.hostname} ${node.status}`);
    expect(seen).toEqual([
      'added watch-before ready',
      'added watch-added ready',
      'modified watch-added allocated',
      'removed watch-before ready',
    ]);
  });

  it('--watch -o value -c systemId --status ready streams the ids of nodes as they become ready', async () => {
    const node = await enlistReady('watch-ready');
    await json(['nodes', 'acquire', '--system-id', node.systemId]);
    const watching = start([
      'nodes',
      'list',
      '--watch',
      '--status',
      'ready',
      '--hostname-prefix',
      'watch-ready',
      '-o',
      'value',
      '-c',
      'systemId',
    ]);
    await watching.waitFor('Watching for changes');
    expect(watching.output().stdout).toBe('');
    await json(['nodes', 'release', node.systemId]);
    await watching.waitFor(`${node.systemId}\n`, 'stdout');
    expect(await watching.interrupt()).toBe(0);
    expect(watching.output().stdout).toBe(`${node.systemId}\n`);
  });

  it('events follow prints the chosen columns of each new event; --since replays the earlier ones first', async () => {
    const node = await enlistReady('follow-value');
    const following = start([
      'events',
      'follow',
      '--system-id',
      node.systemId,
      '--since',
      '2000-01-01',
      '-o',
      'value',
      '-c',
      'type',
      '-c',
      'toStatus',
    ]);
    await following.waitFor('Following events');
    await json(['nodes', 'mark-broken', node.systemId, '--comment', 'follow me']);
    await following.waitFor('markBroken broken\n', 'stdout');
    expect(await following.interrupt()).toBe(0);
    expect(following.output().stdout).toBe('enlist ready\nmarkBroken broken\n');
  });

  it('on a terminal, --watch redraws the whole table at each change; Ctrl-C ends it (exit 0)', async () => {
    // Hostnames of this attempt only (a retry finds the first attempt's machines still there).
    const tty = `tty${Date.now().toString(36)}-`;
    await enlistReady(`${tty}1`);
    // script(1) gives the CLI a terminal; a Ctrl-C typed into it reaches the CLI as from a keyboard, once.
    // (Not `timeout --foreground`: it forwards the Ctrl-C it gets as a second SIGINT, which can land while
    // the CLI is already exiting and end it by the signal, 130.) The timer below bounds the run: ending
    // script(1) closes the terminal, and the hangup ends the CLI.
    const command = `exec "${process.execPath}" "${CLI_MAIN}" nodes list --watch --hostname-prefix ${tty}`;
    const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, XDG_CONFIG_HOME: session.configHome, METALYARD_URL: '', METALYARD_TOKEN: '', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const bound = setTimeout(() => terminal.kill('SIGTERM'), 60_000);
    let screen = '';
    terminal.stdout.setEncoding('utf8').on('data', (chunk: string) => (screen += chunk));
    const exited = new Promise<number | null>((resolve) => terminal.once('exit', (code) => resolve(code))).finally(() =>
      clearTimeout(bound),
    );
    const draws = () => screen.split('\u001b[H\u001b[2J').slice(1);
    try {
      await expect.poll(() => screen, { timeout: 30_000 }).toContain('Watching for changes');
      expect(draws()).toHaveLength(1);
      const added = await enlistReady(`${tty}2`);
      // The terminal may hand over a screen in pieces: wait for the one that shows the new machine.
      const row = new RegExp(`\\r\\n${added.systemId} +${tty}2 +ready `);
      await expect.poll(() => draws().some((draw) => row.test(draw)), { timeout: 30_000 }).toBe(true);
      const shown = draws().findIndex((draw) => row.test(draw));
      expect(shown).toBeGreaterThan(0);
      expect(draws()[shown]).toMatch(/^2 nodes at .*; following changes \(Ctrl-C to stop\)\r\nSYSTEM ID +HOSTNAME/);
      expect(draws()[shown]).toMatch(new RegExp(`\\r\\n\\S+ +${tty}1 +ready `));
    } finally {
      terminal.stdin.write('\u0003');
    }
    expect(await exited).toBe(0);
  });
});
