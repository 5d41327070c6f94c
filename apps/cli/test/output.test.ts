import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI_MAIN, adminCliSession, nextMac, tableRows } from './harness.js';

/** -o table|json|yaml|value and -c COLUMN, on every kind of output. */
const session = adminCliSession();
const { cli, json, asAlice } = session;
const mac = () => nextMac(0x0d);

interface NodeJson {
  systemId: string;
  hostname: string;
  status: string;
  zone: string | null;
}

async function enlist(hostname: string): Promise<NodeJson> {
  return json<NodeJson>(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac(), '--hostname', hostname]);
}

describe('-o and -c on lists', () => {
  it('value: bare system ids for a shell loop, in the list’s order', async () => {
    const nodes = [await enlist('out-1'), await enlist('out-2'), await enlist('out-3')];
    await json(['nodes', 'acquire', '--system-id', nodes[1]!.systemId]);
    const ready = await cli(['nodes', 'list', '--status', 'ready', '-o', 'value', '-c', 'systemId']);
    expect(ready.code).toBe(0);
    expect(ready.stderr).toBe('');
    expect(ready.stdout).toBe(`${nodes[0]!.systemId}\n${nodes[2]!.systemId}\n`);
    const loop = await new Promise<string>((resolve) => {
      const script = `for id in $("${process.execPath}" "${CLI_MAIN}" nodes list --status ready -o value -c systemId); do printf '<%s>' "$id"; done`;
      const child = spawn('sh', ['-c', script], {
        env: { ...process.env, XDG_CONFIG_HOME: session.configHome, METALYARD_URL: '', METALYARD_TOKEN: '' },
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.once('close', () => resolve(out));
    });
    expect(loop).toBe(`<${nodes[0]!.systemId}><${nodes[2]!.systemId}>`);
  });

  it('value with several columns: one row per line, separated by spaces; missing values are -', async () => {
    const node = await enlist('out-cols');
    const lines = (
      await cli(['nodes', 'list', '--hostname-prefix', 'out-cols', '-o', 'value', '-c', 'hostname', '-c', 'status', '-c', 'zone'])
    ).stdout;
    expect(lines).toBe('out-cols ready -\n');
    // Column names are the API's fields, or the table's headings, in any case or spelling.
    for (const name of ['systemId', 'SYSTEM ID', 'system-id', 'system_id', 'systemid']) {
      expect((await cli(['nodes', 'show', node.systemId, '-o', 'value', '-c', name])).stdout, name).toBe(`${node.systemId}\n`);
    }
  });

  it('table: -c chooses and orders the columns', async () => {
    const rows = tableRows((await cli(['nodes', 'list', '--hostname-prefix', 'out-1', '-c', 'status', '-c', 'hostname'])).stdout);
    expect(rows).toEqual([
      ['STATUS', 'HOSTNAME'],
      ['ready', 'out-1'],
    ]);
  });

  it('json and yaml: the API objects, whole or with the chosen fields only', async () => {
    const whole = await json<NodeJson[]>(['nodes', 'list', '--hostname-prefix', 'out-']);
    expect(JSON.parse((await cli(['nodes', 'list', '--hostname-prefix', 'out-', '-o', 'json'])).stdout)).toEqual(whole);
    expect(parseYaml((await cli(['nodes', 'list', '--hostname-prefix', 'out-', '-o', 'yaml'])).stdout)).toEqual(whole);
    const picked = JSON.parse(
      (await cli(['nodes', 'list', '--hostname-prefix', 'out-', '-o', 'json', '-c', 'hostname', '-c', 'zone'])).stdout,
    );
    expect(picked).toEqual(whole.map((node) => ({ hostname: node.hostname, zone: null })));
    const yaml = (await cli(['nodes', 'list', '--hostname-prefix', 'out-1', '-o', 'yaml', '-c', 'hostname'])).stdout;
    expect(yaml).toBe('- hostname: out-1\n');
  });

  it('an unknown column, an unknown format, or --json with another -o is a usage error (2) before any request', async () => {
    const unknown = await cli(['nodes', 'list', '-c', 'colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^metalyard: no column 'colour' here: use systemId, hostname, status, .*zone, pool, tags/);
    expect((await cli(['nodes', 'list', '-o', 'xml'])).code).toBe(2);
    const contradiction = await cli(['nodes', 'list', '--json', '-o', 'value']);
    expect(contradiction.code).toBe(2);
    expect(JSON.parse(contradiction.stderr)).toMatchObject({
      error: { exitCode: 2, message: expect.stringContaining('--json and -o value') },
    });
    expect((await cli(['nodes', 'list', '--json', '-o', 'json'])).code).toBe(0);
  });

  it('-o json makes errors JSON too, as --json does', async () => {
    const missing = await cli(['nodes', 'show', 'aaaaaa', '-o', 'json']);
    expect(missing.code).toBe(4);
    expect(JSON.parse(missing.stderr)).toEqual({ error: { message: "node 'aaaaaa' does not exist", exitCode: 4, httpStatus: 404 } });
  });
});

describe('-o and -c on other outputs', () => {
  it('one object: value prints each chosen column on its own line; a table with -c prints key and value', async () => {
    const node = await enlist('out-one');
    expect((await cli(['nodes', 'show', node.systemId, '-o', 'value', '-c', 'hostname', '-c', 'status'])).stdout).toBe('out-one\nready\n');
    expect((await cli(['nodes', 'show', node.systemId, '-c', 'status', '-c', 'zone'])).stdout).toMatch(/^status\s+ready\nzone\s+-\n$/);
    expect(parseYaml((await cli(['nodes', 'show', node.systemId, '-o', 'yaml'])).stdout)).toMatchObject({
      systemId: node.systemId,
      hostname: 'out-one',
    });
  });

  it('results of actions, tokens, labels, users, events and profiles take them too', async () => {
    const declared = await json<NodeJson>(['nodes', 'enlist', '--anonymous', '--arch', 'amd64/generic', '--mac', mac()]);
    expect((await cli(['nodes', 'accept', declared.systemId, '-o', 'value', '-c', 'accepted'])).stdout).toBe(`${declared.systemId}\n`);
    const secret = (await cli(['tokens', 'create', 'out-ci', '-o', 'value', '-c', 'token'], asAlice())).stdout.trim();
    expect((await cli(['whoami', '-o', 'value', '-c', 'username'], { env: { METALYARD_TOKEN: secret } })).stdout).toBe('alice\n');
    const tokens = (await cli(['tokens', 'list', '-o', 'value', '-c', 'name', '-c', 'current'], { env: { METALYARD_TOKEN: secret } }))
      .stdout;
    expect(tokens.split('\n')).toContain('out-ci *');
    await json(['tags', 'create', 'out-tag', '--description', 'for output']);
    expect((await cli(['tags', 'list', '-o', 'value', '-c', 'name', '-c', 'nodes'])).stdout).toBe('out-tag 0\n');
    expect((await cli(['users', 'list', '-o', 'value', '-c', 'username'])).stdout.split('\n')).toEqual(
      expect.arrayContaining(['admin', 'alice']),
    );
    const change = await cli(['events', '--system-id', declared.systemId, '-o', 'value', '-c', 'type', '-c', 'change']);
    expect(change.stdout).toBe('enlist - → declared\naccept declared → ready\n');
    expect((await cli(['profiles', '-o', 'value', '-c', 'name'])).stdout).toBe('admin\n');
    expect((await cli(['nodes', 'delete', declared.systemId, '-o', 'json'])).stdout).toBe(`{\n  "deleted": "${declared.systemId}"\n}\n`);
  });

  it('a reader that goes away before the output is written (| head, | true) ends the CLI quietly, exit 0', async () => {
    await enlist('out-pipe');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      // `true` exits at once, long before the CLI has its answer from the server: the write meets a closed pipe.
      const script = `"${process.execPath}" "${CLI_MAIN}" nodes list -o value -c hostname | true`;
      const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
        env: { ...process.env, XDG_CONFIG_HOME: session.configHome, METALYARD_URL: '', METALYARD_TOKEN: '' },
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('close', (code) => resolve({ code, stderr }));
    });
    expect(result).toEqual({ code: 0, stderr: '' });
  });
});
