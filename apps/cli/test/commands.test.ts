import { describe, expect, it } from 'vitest';
import { adminCliSession, bashCompleter, nextMac, tableRows, unreachableUrl } from './harness.js';

interface NodeJson {
  systemId: string;
  hostname: string;
  status: string;
  architecture: string;
  macAddresses: string[];
  powerType: string;
  powerParameters?: Record<string, string>;
  powerState: string;
  powerStateCheckedAt: string | null;
  owner: string | null;
}

const session = adminCliSession();
const { cli, asAlice, json } = session;
const mac = () => nextMac(0x0a);

describe('enlist', () => {
  it('as the user: ready at once, shown field by field, power secrets masked', async () => {
    const [first, second] = [mac(), mac()];
    const result = await cli([
      'nodes',
      'enlist',
      '--arch',
      'amd64/generic',
      '--mac',
      first,
      '--mac',
      second.toUpperCase(),
      '--hostname',
      'rack1-n1',
      '--power-type',
      'ipmi',
      '--power-param',
      'address=127.0.0.1',
      '--power-param',
      'password=hunter2',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^system id\s+[a-z2-7]{6}$/m);
    expect(result.stdout).toMatch(/^hostname\s+rack1-n1$/m);
    expect(result.stdout).toMatch(/^status\s+ready$/m);
    expect(result.stdout).toMatch(/^power\.address\s+127\.0\.0\.1$/m);
    expect(result.stdout).toMatch(/^power\.password\s+\*{8}$/m);
    expect(result.stdout).not.toContain('hunter2');
    expect(result.stdout).toContain(`${first} ${second}`);
  });

  it('--anonymous: declared, and --json prints the API object', async () => {
    const address = mac();
    const node = await json<NodeJson>(['nodes', 'enlist', '--anonymous', '--arch', 'arm64/generic', '--mac', address]);
    expect(node).toMatchObject({
      status: 'declared',
      architecture: 'arm64/generic',
      macAddresses: [address],
      powerType: 'manual',
      owner: null,
    });
    // The API object as the server returns it: what `nodes show --json` prints too (plus what admins see).
    expect(await json<NodeJson>(['nodes', 'show', node.systemId])).toMatchObject(node);
  });

  it('usage errors exit with 2 before any request: a missing --arch, a bad --power-param, an unknown arch', async () => {
    for (const args of [
      ['nodes', 'enlist', '--mac', mac()],
      ['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', mac(), '--power-param', 'novalue'],
      ['nodes', 'enlist', '--arch', 'vax/generic', '--mac', mac()],
      ['enlist', '--arch', 'vax/generic', '--mac', mac()],
      ['nodes', 'frobnicate'],
      ['nodes', 'list', '-o', 'csv'],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/error: /);
    }
  });

  it('input the server refuses (400) exits with 2 and prints the server’s message', async () => {
    const result = await cli(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', 'zz:zz']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "metalyard: invalid input: macAddresses.0: 'zz:zz' is not a MAC address (use aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff)\n",
    );
  });

  it('a MAC of a ready node is a conflict (409): exit 5', async () => {
    const address = mac();
    await json(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', address]);
    const result = await cli(['nodes', 'enlist', '--arch', 'amd64/generic', '--mac', address, '--json']);
    expect(result.code).toBe(5);
    expect(JSON.parse(result.stderr)).toMatchObject({
      error: { exitCode: 5, httpStatus: 409, message: expect.stringContaining('MAC address already belongs to node') },
    });
  });
});

describe('nodes list and show', () => {
  it('lists every node in aligned columns, filtered by --status', async () => {
    const all = await json<NodeJson[]>(['nodes', 'list']);
    const table = tableRows((await cli(['nodes', 'list'])).stdout);
    expect(table[0]).toEqual(['SYSTEM ID', 'HOSTNAME', 'STATUS', 'POWER', 'ARCH', 'MACS', 'POWER TYPE', 'OWNER', 'ZONE', 'POOL', 'TAGS']);
    expect(table.slice(1).map((row) => row[0])).toEqual(all.map((node) => node.systemId));
    // The power state the API reports, in its own column (no BMC was asked yet, so: unknown).
    expect(table.slice(1).map((row) => row[3])).toEqual(all.map((node) => node.powerState));
    expect(all.map((node) => node.powerState)).toContain('unknown');
    const declared = await json<NodeJson[]>(['nodes', 'list', '--status', 'declared']);
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.every((node) => node.status === 'declared')).toBe(true);
    const bad = await cli(['nodes', 'list', '--status', 'sleeping']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Allowed choices are declared, .*ready/);
  });

  it('colours statuses only when asked (FORCE_COLOR) or on a terminal, never with NO_COLOR', async () => {
    const plain = await cli(['nodes', 'list']);
    expect(plain.stdout).not.toContain('\u001b[');
    const forced = await cli(['nodes', 'list'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[32mready\u001b[39m');
    const vetoed = await cli(['nodes', 'list'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(vetoed.stdout).not.toContain('\u001b[');
    expect((await cli(['nodes', 'list'], { env: { FORCE_COLOR: '0' } })).stdout).not.toContain('\u001b[');
  });

  it('shows one node; an unknown one exits with 4', async () => {
    const [node] = await json<NodeJson[]>(['nodes', 'list', '--status', 'ready']);
    expect(await json<NodeJson>(['nodes', 'show', node!.systemId])).toEqual(node);
    const shown = (await cli(['nodes', 'show', node!.systemId])).stdout;
    expect(shown).toMatch(new RegExp(`^system id\\s+${node!.systemId}$`, 'm'));
    expect(shown).toMatch(/^power state\s+unknown$/m);
    expect(shown).toMatch(
      node!.powerType === 'manual' ? /^power checked\s+- \(manual: powered by hand\)$/m : /^power checked\s+- \(not asked yet\)$/m,
    );
    const missing = await cli(['nodes', 'show', 'aaaaaa']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toBe("metalyard: node 'aaaaaa' does not exist\n");
  });
});

describe('accept, acquire, release', () => {
  it('accepts declared nodes (admin), and says which were already accepted', async () => {
    const declared = await json<NodeJson>(['nodes', 'enlist', '--anonymous', '--arch', 'i386/generic', '--mac', mac()]);
    expect(await json(['nodes', 'accept', declared.systemId])).toEqual({ accepted: [declared.systemId] });
    const again = await cli(['nodes', 'accept', declared.systemId]);
    expect(again.stdout).toBe(`Nothing to accept.\nAlready accepted: ${declared.systemId}\n`);
  });

  it('a user who is not an admin may not accept (403): exit 3; a bad token (401): exit 3', async () => {
    const declared = await json<NodeJson>(['nodes', 'enlist', '--anonymous', '--arch', 'i386/generic', '--mac', mac()]);
    const forbidden = await cli(['nodes', 'accept', declared.systemId], asAlice());
    expect(forbidden.code).toBe(3);
    const unauthenticated = await cli(['nodes', 'accept', declared.systemId], { env: { METALYARD_TOKEN: 'wrong-token' } });
    expect(unauthenticated.code).toBe(3);
    expect(unauthenticated.stderr).toMatch(/^metalyard: .+\n$/);
  });

  it('acquires by architecture and releases, in tables and JSON', async () => {
    const target = await json<NodeJson>(['nodes', 'enlist', '--arch', 's390x/generic', '--mac', mac(), '--hostname', 'mainframe-1']);
    const acquired = await cli(['nodes', 'acquire', '--arch', 's390x/generic'], asAlice());
    expect(acquired.code).toBe(0);
    const rows = tableRows(acquired.stdout);
    expect(rows[1]).toEqual([
      target.systemId,
      'mainframe-1',
      'allocated',
      'unknown',
      's390x/generic',
      target.macAddresses[0],
      'manual',
      'alice',
      '-',
      '-',
      '-',
    ]);
    const none = await cli(['nodes', 'acquire', '--arch', 's390x/generic'], asAlice());
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('no ready node');
    const released = await json<NodeJson>(['nodes', 'release', target.systemId]);
    expect(released).toMatchObject({ systemId: target.systemId, status: 'ready', owner: null });
    const byId = await json<NodeJson>(['nodes', 'acquire', '--system-id', target.systemId]);
    expect(byId).toMatchObject({ status: 'allocated', owner: 'admin' });
    expect(tableRows((await cli(['nodes', 'release', target.systemId])).stdout)[1]?.[2]).toBe('ready');
  });

  it('a server that is not there exits with 6', async () => {
    const result = await cli(['nodes', 'release', 'aaaaaa'], { env: { METALYARD_URL: await unreachableUrl() } });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^metalyard: cannot reach the server: .*ECONNREFUSED/);
  });
});

describe('help and completion', () => {
  it('documents the exit codes and the environment', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toMatch(/5\s+conflict \(409\)/);
    expect(help.stdout).toContain('METALYARD_TOKEN');
    expect((await cli(['nodes', 'export', '--help'])).stdout).toContain('Secrets are not exported');
  });

  it('completes commands, subcommands and option values in bash', () => {
    const complete = bashCompleter();
    expect(complete("metalyard ''").split(' ')).toEqual(expect.arrayContaining(['login', 'nodes', 'events', 'completion']));
    expect(complete("metalyard nodes ''").split(' ')).toEqual(expect.arrayContaining(['enlist', 'import', 'export']));
    expect(complete('metalyard nodes l')).toBe('list');
    expect(complete('metalyard nodes list --status rea')).toBe('ready');
    expect(complete('metalyard --json nodes list --')).toContain('--status');
    expect(complete('metalyard nodes enlist --arch arm')).toBe('arm64/generic armhf/generic');
    expect(complete('metalyard enlist --arch arm')).toBe('arm64/generic armhf/generic');
    expect(complete('metalyard completion z')).toBe('zsh');
  });

  it('prints a zsh script that registers the same completion', async () => {
    const zsh = await cli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef metalyard\n/);
    expect(zsh.stdout).toContain('compdef _metalyard metalyard');
    expect(zsh.stdout).toContain("'nodes') echo 'list show enlist import export accept commission acquire deploy release");
    expect((await cli(['completion', 'fish'])).code).toBe(2);
  });
});
