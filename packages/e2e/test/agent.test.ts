/**
 * The real machine agent (apps/agent, under busybox sh, on a fake machine's /proc, /sys and disk
 * files) against the real server: the contract of apps/agent/README.md, end to end, without a VM.
 * Enlist, commission, deploy an image from the images folder, and — for a machine Metalyard powers
 * (a webhook BMC here) — the agent's erase on release. Skipped where busybox is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BUSYBOX, MIB, SKIP_REASON, cleanup, makeMachine, pattern, runAgent, type Machine } from '../../../apps/agent/test/harness.js';
import { ADMIN_TOKEN, client, scratchDir, startServer, type ServerProcess } from './harness.js';

const MAC = '52:54:00:a9:00:01';
const dir = scratchDir();
const imagesDir = join(dir.path, 'images');
const IMAGE = pattern(2 * MIB + 4096, 3);
let server: ServerProcess;
let machine: Machine;
/** A BMC behind webhooks: the power state, the next boot device, every call. */
let bmc: { server: Server; url: string; power: string; boot: string; calls: string[] };

beforeAll(async () => {
  if (!BUSYBOX) return;
  mkdirSync(imagesDir);
  writeFileSync(join(imagesDir, 'tiny.raw'), IMAGE);
  const state = { power: 'off', boot: 'disk', calls: [] as string[] };
  const http = createServer((req, res) => {
    req.resume();
    const path = (req.url ?? '/').split('?')[0]!;
    state.calls.push(`${req.method} ${path}`);
    if (path === '/on' || path === '/cycle') state.power = 'on';
    if (path === '/off') state.power = 'off';
    if (path.startsWith('/boot/')) state.boot = path.slice('/boot/'.length);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ state: state.power }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  bmc = Object.assign(state, { server: http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` });
  server = await startServer(join(dir.path, 'metalyard.sqlite'), { METALYARD_IMAGES_DIR: imagesDir, METALYARD_AGENT_HEARTBEAT: '1' });
  machine = makeMachine({
    cpus: 2,
    cpuModel: 'QEMU Virtual CPU version 2.5+',
    memKb: 493_000,
    disks: [{ name: 'vda', sizeBytes: 64 * MIB, model: 'QEMU HARDDISK', serial: 'metalyard-disk0', serialAt: 'serial' }],
    nics: [
      { name: 'lo', mac: '00:00:00:00:00:00', operstate: 'unknown' },
      { name: 'eth0', mac: MAC, operstate: 'up', carrier: '1', speed: '1000' },
    ],
  });
});
afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => (bmc ? bmc.server.close(resolve) : resolve(undefined)));
  if (machine) cleanup(machine.root);
  dir.remove();
});

const agent = (env: string | null) =>
  runAgent({ machine, url: server.url, env, extraEnv: { METALYARD_BOOTIF: `01-${MAC.replaceAll(':', '-')}` }, timeoutMs: 50_000 });

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!BUSYBOX)('the machine agent against the real server', { timeout: 120_000 }, () => {
  if (!BUSYBOX) console.warn(`SKIPPED: ${SKIP_REASON}`);
  const admin = () => client(server.url, ADMIN_TOKEN);
  let systemId = '';

  it('an unknown machine enlists itself (declared) and powers off', async () => {
    const run = await agent(null);
    expect(run.log).toContain('this machine is unknown to the server: enlisting');
    expect(run.power).toEqual(['poweroff']);
    const page = await admin().protected.nodes.list.query({ mac: MAC });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.status).toBe('declared');
    systemId = page.items[0]!.systemId;
  });

  it('is commissioned: its facts and tests reported, its progress on the node, ready', async () => {
    await admin().protected.nodes.accept.mutate({ systemIds: [systemId] });
    await admin().protected.nodes.commission.mutate({ systemId });
    const run = await agent('commission');
    expect(run.log).toContain('machine.reportCommissioning delivered: the node is now ready');
    expect(run.log).not.toMatch(/mlm_[A-Za-z0-9_-]{20,}/);
    const node = await admin().protected.nodes.get.query({ systemId });
    expect(node.status).toBe('ready');
    expect(node.hardware).toEqual({
      cpuCount: 2,
      cpuModel: 'QEMU Virtual CPU version 2.5+',
      memoryMb: 481,
      storage: [{ name: 'vda', sizeGb: 0.07, sizeBytes: 64 * MIB, model: 'QEMU HARDDISK', serial: 'metalyard-disk0' }],
      nics: [{ name: 'eth0', mac: MAC, link: 'up', speedMbps: 1000 }],
    });
    expect(node.agent).toMatchObject({ step: 'commission', message: 'reporting' });
  });

  it('a boot after the step’s token was handed out gets none and does nothing', async () => {
    await admin().protected.nodes.commission.mutate({ systemId });
    // Someone else (another machine claiming these MACs) asked first.
    expect((await client(server.url).machine.lookup.mutate({ macAddresses: [MAC] })).token).toMatch(/^mlm_/);
    const second = await agent('commission');
    expect(second.log).toContain('no token for');
    expect(second.power.at(-1)).toBe('poweroff');
    expect((await admin().protected.nodes.get.query({ systemId })).status).toBe('commissioning');
    await admin().protected.nodes.abort.mutate({ systemId });
    await admin().protected.nodes.markBroken.mutate({ systemId, comment: 'reset for the next test' });
    await admin().protected.nodes.markFixed.mutate({ systemId });
  });

  it('is deployed: the image downloaded with its token, written to its disk, verified; it reboots', async () => {
    await admin().protected.nodes.acquire.mutate({ systemId });
    await admin().protected.nodes.deploy.mutate({ systemId, image: 'tiny' });
    const run = await agent('deploy');
    expect(run.log).toContain('machine.reportDeployment delivered: the node is now deployed');
    expect(run.power.at(-1)).toBe('reboot');
    expect(readFileSync(machine.disk('vda')).subarray(0, IMAGE.length).equals(IMAGE)).toBe(true);
    expect((await admin().protected.nodes.get.query({ systemId })).status).toBe('deployed');
  });

  it('a machine Metalyard powers is released into its agent’s erase: booted from the network, erased, ready and off', async () => {
    await admin().protected.nodes.update.mutate({
      systemId,
      powerType: 'webhook',
      powerParameters: {
        powerOnUrl: `${bmc.url}/on`,
        powerOffUrl: `${bmc.url}/off`,
        powerStatusUrl: `${bmc.url}/status`,
        powerCycleUrl: `${bmc.url}/cycle`,
        bootPxeUrl: `${bmc.url}/boot/pxe`,
        bootDiskUrl: `${bmc.url}/boot/disk`,
      },
    });
    expect((await admin().protected.nodes.release.mutate({ systemId })).status).toBe('releasing');
    await until(() => bmc.power === 'on' && bmc.boot === 'pxe', 'release to boot the machine from the network');
    const script = await (await fetch(`${server.url}/boot/ipxe?mac=${MAC}`)).text();
    expect(script).toContain('metalyard.env=erase');
    const run = await agent('erase');
    expect(run.log).toContain('machine.reportErase delivered: the node is now ready');
    expect(readFileSync(machine.disk('vda')).subarray(0, MIB).equals(Buffer.alloc(MIB))).toBe(true);
    expect((await admin().protected.nodes.get.query({ systemId })).status).toBe('ready');
    await until(() => bmc.power === 'off', 'the finished erase to power the machine off');
  });
});
