import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ADMIN_TOKEN, cliIn, nextMac, scratchDir, startServer, type TestServer } from './harness.js';

interface ImportSummary {
  total: number;
  created: number;
  reenlisted: number;
  present: number;
  refused: number;
  rows: Array<{ row: number; hostname: string | null; outcome: string; systemId: string | null; reason: string | null }>;
}

const scratch = scratchDir();
const cli = cliIn(join(scratch.path, 'config'), { METALYARD_TOKEN: ADMIN_TOKEN });
const mac = () => nextMac(0x0b);
let server: TestServer;
const on = (target: TestServer) => ({ env: { METALYARD_URL: target.url } });
type CsvRecord = Record<string, string>;

/** 1,000 machines; rows 100–104 have a bad MAC, 200–204 an unknown architecture, 300–304 a hostname already used. */
function inventory(): { csv: string; firstMac: string; bad: Map<number, RegExp> } {
  const lines = ['hostname,architecture,macs,power_type,power.address,power.username,power.password'];
  const bad = new Map<number, RegExp>();
  let firstMac = '';
  for (let row = 1; row <= 1000; row++) {
    let hostname = `rack${Math.ceil(row / 40)}-n${row}`;
    let architecture = row % 3 === 0 ? 'arm64/generic' : 'amd64/generic';
    let macs = `${mac()};${mac().toUpperCase()}`;
    if (row >= 100 && row < 105) {
      macs = `not-a-mac-${row}`;
      bad.set(row, /is not a MAC address/);
    }
    if (row >= 200 && row < 205) {
      architecture = 'vax/generic';
      bad.set(row, /architecture: must be one of/);
    }
    if (row >= 300 && row < 305) {
      hostname = `rack1-n${row - 298}`;
      bad.set(row, new RegExp(`hostname '${hostname}' is taken by node`));
    }
    if (row === 1) firstMac = macs.split(';')[0]!;
    lines.push(`${hostname},${architecture},${macs},ipmi,127.1.${Math.floor(row / 250)}.${row % 250},admin,secret-${row}`);
  }
  return { csv: `${lines.join('\n')}\n`, firstMac, bad };
}

const file = join(scratch.path, 'machines.csv');
const { csv, firstMac, bad } = inventory();

beforeAll(async () => {
  server = await startServer(scratch.path);
  writeFileSync(file, csv);
});
afterAll(async () => {
  await server?.stop();
  scratch.remove();
});

describe('import', () => {
  it('enlists 1,000 rows, refuses the bad ones with the server’s reason, and accepts a declared node it finds', async () => {
    const declared = await cli(['enlist', '--anonymous', '--arch', 'amd64/generic', '--mac', firstMac, '--json'], on(server));
    const declaredId = (JSON.parse(declared.stdout) as { systemId: string }).systemId;

    const result = await cli(['nodes', 'import', file, '--json'], on(server));
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout) as ImportSummary;
    expect({ ...summary, rows: undefined }).toMatchObject({ total: 1000, created: 984, reenlisted: 1, present: 0, refused: 15 });
    expect(summary.rows[0]).toMatchObject({ row: 1, outcome: 'reenlisted', systemId: declaredId });
    const refused = summary.rows.filter((row) => row.outcome === 'refused');
    expect(refused.map((row) => row.row)).toEqual([...bad.keys()]);
    for (const row of refused) expect(row.reason).toMatch(bad.get(row.row)!);
    // Piped: plain progress lines on stderr, then why it failed.
    expect(result.stderr).toContain('imported 100/1000 rows: ');
    expect(result.stderr).toContain('imported 1000/1000 rows: 984 created, 1 re-enlisted, 0 already present, 15 refused');
    expect(result.stderr).toMatch(/"message":"15 of 1000 rows were refused","exitCode":1/);

    const nodes = JSON.parse((await cli(['nodes', 'list', '--json'], on(server))).stdout) as Array<{ status: string }>;
    expect(nodes).toHaveLength(985);
    expect(nodes.every((node) => node.status === 'ready')).toBe(true);
  }, 300_000);

  it('run again, creates nothing: every good row is already present, the bad ones are refused again', async () => {
    const result = await cli(['import', file, '--concurrency', '16'], on(server));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^Imported 1000 rows from .*machines\.csv: 0 created, 0 re-enlisted, 985 already present, 15 refused\.$/m,
    );
    expect(result.stdout).toMatch(/^ROW\s+HOSTNAME\s+REFUSED BECAUSE$/m);
    expect(result.stdout).toMatch(/^100\s+rack3-n100\s+invalid input: macAddresses\.0: 'not-a-mac-100' is not a MAC address/m);
    expect(result.stderr).toContain('metalyard: 15 of 1000 rows were refused');
    expect(JSON.parse((await cli(['nodes', 'list', '--json'], on(server))).stdout)).toHaveLength(985);
  });

  it('reads YAML, with power parameters as a map', async () => {
    const yamlFile = join(scratch.path, 'more.yaml');
    const macs = [mac(), mac()];
    writeFileSync(
      yamlFile,
      `- hostname: yaml-1\n  architecture: riscv64/generic\n  macs: [${macs[0]}]\n  power_type: redfish\n  power: { address: '127.0.9.1:8443', username: root, password: calvin }\n- architecture: riscv64/generic\n  macs: ${macs[1]}\n`,
    );
    const result = await cli(['nodes', 'import', yamlFile, '--json'], on(server));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ created: 2, refused: 0 });
    const node = JSON.parse(
      (await cli(['nodes', 'show', (JSON.parse(result.stdout) as ImportSummary).rows[0]!.systemId!, '--json'], on(server))).stdout,
    );
    expect(node).toMatchObject({
      hostname: 'yaml-1',
      powerType: 'redfish',
      powerParameters: { address: '127.0.9.1:8443', username: 'root', password: '********' },
    });
  });

  it('refuses a file it cannot use with exit code 2', async () => {
    const wrong = join(scratch.path, 'wrong.csv');
    writeFileSync(wrong, 'hostname,arch\nx,amd64/generic\n');
    const result = await cli(['import', wrong], on(server));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown column(s) arch');
    expect((await cli(['import', join(scratch.path, 'missing.csv')], on(server))).code).toBe(2);
  });
});

describe('export', () => {
  const exported = join(scratch.path, 'export.csv');

  it('writes every node back in the import format, without secrets', async () => {
    const result = await cli(['nodes', 'export', '--output', exported], on(server));
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Exported 987 nodes to ${exported}.\n`);
    const rows = parse(readFileSync(exported), { columns: true }) as CsvRecord[];
    expect(Object.keys(rows[0]!)).toEqual([
      'hostname',
      'architecture',
      'macs',
      'power_type',
      'zone',
      'pool',
      'tags',
      'power.address',
      'power.username',
    ]);
    expect(readFileSync(exported, 'utf8')).not.toContain('secret-');
    const byHostname = new Map(rows.map((row) => [row.hostname, row]));
    const good = (parse(csv, { columns: true }) as CsvRecord[]).filter((_, index) => index > 0 && !bad.has(index + 1));
    expect(good).toHaveLength(984);
    for (const original of good) {
      const row = byHostname.get(original.hostname!)!;
      expect(row, original.hostname).toMatchObject({
        architecture: original.architecture,
        power_type: 'ipmi',
        'power.address': original['power.address'],
        'power.username': 'admin',
      });
      expect(row.macs!.split(' ').sort()).toEqual(original.macs!.toLowerCase().split(';').sort());
    }
  });

  it('round-trips: importing the export changes nothing, and YAML says the same as CSV', async () => {
    const again = await cli(['import', exported], on(server));
    expect(again.stdout).toContain('0 created, 0 re-enlisted, 987 already present, 0 refused');
    expect(again.code).toBe(0);
    const fromYaml = parseYaml((await cli(['nodes', 'export', '--format', 'yaml'], on(server))).stdout) as Array<Record<string, unknown>>;
    const fromJson = JSON.parse((await cli(['export', '--json'], on(server))).stdout) as Array<Record<string, unknown>>;
    expect(fromYaml).toEqual(fromJson);
    expect(fromYaml.find((row) => row.hostname === 'yaml-1')).toEqual({
      hostname: 'yaml-1',
      architecture: 'riscv64/generic',
      macs: [expect.any(String)],
      power_type: 'redfish',
      power: { address: '127.0.9.1:8443', username: 'root' },
    });
  });
});

describe('zones, pools and tags', () => {
  it('import creates the missing ones, gives each node its own, and a second run changes nothing', async () => {
    const labelled = join(scratch.path, 'labelled.csv');
    const macs = [mac(), mac(), mac()];
    writeFileSync(
      labelled,
      `hostname,architecture,macs,zone,pool,tags\nlab-1,amd64/generic,${macs[0]},dc1,gpu,ssd fast\nlab-2,amd64/generic,${macs[1]},dc2,,ssd\nlab-3,amd64/generic,${macs[2]},,,\n`,
    );
    const first = await cli(['nodes', 'import', labelled], on(server));
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Created tags ssd, fast; zones dc1, dc2; pools gpu.');
    expect(first.stdout).toContain('3 created, 0 re-enlisted, 0 already present, 0 refused');
    const nodes = JSON.parse((await cli(['nodes', 'list', '--hostname-prefix', 'lab-', '--json'], on(server))).stdout) as Array<
      Record<string, unknown>
    >;
    const labels = nodes.map(({ hostname, zone, pool, tags }) => ({ hostname, zone, pool, tags }));
    expect(labels.sort((x, y) => String(x.hostname).localeCompare(String(y.hostname)))).toEqual([
      { hostname: 'lab-1', zone: 'dc1', pool: 'gpu', tags: ['fast', 'ssd'] },
      { hostname: 'lab-2', zone: 'dc2', pool: null, tags: ['ssd'] },
      { hostname: 'lab-3', zone: null, pool: null, tags: [] },
    ]);
    const second = JSON.parse((await cli(['import', labelled, '--json'], on(server))).stdout) as ImportSummary & {
      labelsCreated: Record<string, string[]>;
    };
    expect(second).toMatchObject({ created: 0, present: 3, refused: 0, labelsCreated: { tags: [], zones: [], pools: [] } });
    const exported = parse((await cli(['export', '--status', 'ready'], on(server))).stdout, { columns: true }) as CsvRecord[];
    expect(exported.find((row) => row.hostname === 'lab-1')).toMatchObject({ zone: 'dc1', pool: 'gpu', tags: 'fast ssd' });
  });
});
