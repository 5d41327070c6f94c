#!/usr/bin/env node
/**
 * `pnpm lab up [N]`, `pnpm lab status`, `pnpm lab down` (as root): N virtual machines that PXE-boot
 * from a Metalyard of their own, each behind a simulated IPMI BMC, on a provisioning network in a
 * network namespace. The machines enlist themselves; the lab then gives Metalyard their BMCs, as an
 * operator would, and leaves them declared for you to accept in the admin app or with the CLI.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createMetalyardClient } from '@metalyard/sdk';
import { labUnavailable, readLabState, REPO_DIR, startLab, stopLab } from './lab.js';
import { ipmiParametersOf, machineRunning } from './machine.js';
import { waitFor } from './run.js';

const DIR = resolve(process.env.METALYARD_LAB_DIR ?? join(REPO_DIR, 'data', 'lab'));
const NAMESPACE = 'metalyard-lab';
const USAGE = `usage: pnpm lab up [MACHINES] [--memory MB] [--cpus N] [--disk MB] [--port PORT]
       pnpm lab status
       pnpm lab down

up      starts MACHINES (default 2, at most 8) virtual machines with their BMCs, dnsmasq and a
        Metalyard server on a provisioning network in the network namespace ${NAMESPACE}; the
        machines power on, PXE-boot and enlist; Metalyard gets their BMCs (ipmi). Needs root.
        The server is at http://127.0.0.1:PORT (default 5241) on this machine.
status  the lab's machines, their power and their state in Metalyard
down    removes every trace: processes, network namespace, the lab folder (${DIR})
`;

function option(args: string[], name: string, fallback: number, min: number, max: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const raw = args[at + 1] ?? '';
  args.splice(at, 2);
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
    fail(`${name} takes a whole number from ${min} to ${max}, not '${raw}'`);
  return Number(raw);
}

function fail(message: string): never {
  process.stderr.write(`lab: ${message}\n`);
  process.exit(2);
}

async function up(args: string[]): Promise<void> {
  const memoryMb = option(args, '--memory', 512, 128, 8192);
  const cpus = option(args, '--cpus', 1, 1, 8);
  const diskMb = option(args, '--disk', 128, 32, 65536);
  const port = option(args, '--port', 5241, 1, 65535);
  const count = args[0] === undefined ? 2 : Number(args[0]);
  if (!Number.isInteger(count) || count < 1 || count > 8) fail(`MACHINES is a whole number from 1 to 8, not '${args[0]}'`);
  const why = labUnavailable();
  if (why) fail(why);
  if (readLabState(DIR)) fail(`a lab is up already (${DIR}): pnpm lab down`);

  process.stderr.write(`lab: starting ${count} machine(s), their BMCs, dnsmasq and Metalyard…\n`);
  const lab = await startLab({ dir: DIR, namespace: NAMESPACE, machines: count, memoryMb, cpus, diskMb, hostPort: port });
  writeFileSync(join(DIR, 'admin-token'), `${lab.adminToken}\n`, { mode: 0o600 });
  const client = createMetalyardClient({ url: lab.url, token: lab.adminToken });
  for (const machine of lab.machines) lab.powerOn(machine);
  process.stderr.write('lab: machines powered on through their BMCs; waiting for them to PXE-boot and enlist (about 20-60 s)…\n');

  const rows: string[][] = [];
  for (const machine of lab.machines) {
    const node = await waitFor(
      `${machine.name} to enlist`,
      180_000,
      async () => {
        const page = await client.protected.nodes.list.query({ mac: machine.mac, limit: 1 });
        return page.items[0];
      },
      2000,
    );
    await client.protected.nodes.update.mutate({
      systemId: node.systemId,
      powerType: 'ipmi',
      powerParameters: ipmiParametersOf(machine),
    });
    rows.push([machine.name, machine.mac, node.systemId, node.status, `${machine.bmc.address}:${machine.bmc.port}`]);
  }
  const widths = [0, 1, 2, 3, 4].map((i) =>
    Math.max(...[['MACHINE', 'MAC', 'SYSTEM ID', 'STATUS', 'BMC (ipmi)'], ...rows].map((r) => r[i]!.length)),
  );
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    [
      `Metalyard: ${lab.url}  (admin app at /, API docs at /docs; the machines see it at ${lab.provisioningUrl})`,
      `Admin token: in ${join(DIR, 'admin-token')}`,
      '',
      line(['MACHINE', 'MAC', 'SYSTEM ID', 'STATUS', 'BMC (ipmi)']),
      ...rows.map(line),
      '',
      'Next: accept them (admin app, or: pnpm metalyard login lab ' + lab.url + ' and pnpm metalyard nodes accept --all);',
      'Metalyard powers each on to commission it, then acquire, deploy and release as with real servers.',
      `Consoles: ${DIR}/lab-N/console.log.  Remove everything: pnpm lab down`,
      '',
    ].join('\n'),
  );
}

async function status(): Promise<void> {
  const state = readLabState(DIR);
  if (!state) {
    process.stdout.write('no lab is up\n');
    return;
  }
  const client = createMetalyardClient({ url: state.url, token: state.adminToken });
  process.stdout.write(`Metalyard: ${state.url}\n`);
  for (const machine of state.machines) {
    const node = await client.protected.nodes.list.query({ mac: machine.mac, limit: 1 }).then(
      (page) => page.items[0],
      () => undefined,
    );
    process.stdout.write(
      `${machine.name}  ${machine.mac}  ${machineRunning(machine) ? 'on ' : 'off'}  ${node ? `${node.systemId} ${node.status}` : 'not enlisted'}\n`,
    );
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'up') await up(args);
  else if (command === 'down') {
    await stopLab(DIR);
    process.stdout.write('lab: down\n');
  } else if (command === 'status') await status();
  else if (command === undefined || command === '--help' || command === '-h') process.stdout.write(USAGE);
  else fail(`unknown command '${command}'\n${USAGE}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`lab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
