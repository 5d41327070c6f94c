/**
 * The founding story on virtual machines that boot like physical ones: powered on through IPMI, they
 * PXE-boot from dnsmasq and Metalyard, enlist themselves and wait declared; accepted, Metalyard powers
 * them on to be commissioned with their real hardware; deployed, an image is on their disk; released,
 * the disk is erased. Needs root, QEMU, ipmi_sim, dnsmasq and `pnpm boot-image`; skips without them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetalyardClient, type Node, type NodeStatus } from '@metalyard/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chassisRequests,
  ipmiParametersOf,
  ipmitool,
  labUnavailable,
  startLab,
  waitFor,
  type Lab,
  type MachineInfo,
} from '../src/index.js';

const why = labUnavailable();
if (why) console.warn(`SKIPPED: the bare-metal lab: ${why}`);

const IMAGE_BYTES = 4 * 1024 * 1024;

/** A raw disk image: a recognisable pattern and an MBR signature. */
function makeImage(): Buffer {
  const image = Buffer.alloc(IMAGE_BYTES);
  for (let offset = 0; offset < IMAGE_BYTES; offset += 32) createHash('sha256').update(String(offset)).digest().copy(image, offset);
  image.write('METALYARD-LAB-IMAGE', 0x100, 'ascii');
  image[510] = 0x55;
  image[511] = 0xaa;
  return image;
}

function readDisk(machine: MachineInfo, bytes: number, offset = 0): Buffer {
  const fd = openSync(machine.disk, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    readSync(fd, buffer, 0, bytes, offset);
    return buffer;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(why !== null)('the bare-metal lab: machines that boot from the network', () => {
  let lab: Lab;
  let dir: string;
  let admin: ReturnType<typeof createMetalyardClient>;
  let anonymous: ReturnType<typeof createMetalyardClient>;
  const image = makeImage();
  const sha256 = createHash('sha256').update(image).digest('hex');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'metalyard-lab-test-'));
    const images = join(dir, 'images');
    mkdirSync(images);
    writeFileSync(join(images, 'lab-test.img'), image);
    lab = await startLab({
      dir: join(dir, 'lab'),
      namespace: `metalyard-lab-t${process.pid}`,
      machines: 2,
      imagesDir: images,
      serverEnv: { METALYARD_AGENT_TIMEOUT: '40s', METALYARD_POWER_SYNC_INTERVAL: '0' },
    });
    admin = createMetalyardClient({ url: lab.url, token: lab.adminToken });
    anonymous = createMetalyardClient({ url: lab.url });
  });

  afterAll(async () => {
    await lab?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const nodeOf = async (machine: MachineInfo): Promise<Node | undefined> =>
    (await admin.protected.nodes.list.query({ mac: machine.mac, limit: 1 })).items[0];

  async function reaches(machine: MachineInfo, status: NodeStatus, seconds: number): Promise<Node> {
    return waitFor(
      `${machine.name} to be ${status}`,
      seconds * 1000,
      async () => {
        const node = await nodeOf(machine);
        if (node && node.status !== status && node.status.startsWith('failed')) {
          throw new Error(`${machine.name} is ${node.status}: ${JSON.stringify(node.statusMessage ?? null)}`);
        }
        return node?.status === status ? node : undefined;
      },
      1000,
    );
  }

  const poweredOff = (machine: MachineInfo, seconds: number) =>
    waitFor(`${machine.name} to power off`, seconds * 1000, () => (lab.powerStatus(machine) === 'off' ? true : undefined), 1000);

  it('powered on through IPMI, each machine PXE-boots, enlists itself, waits declared with its MAC and powers off', async () => {
    for (const machine of lab.machines) {
      expect(await nodeOf(machine)).toBeUndefined();
      lab.powerOn(machine);
    }
    for (const machine of lab.machines) {
      const node = await reaches(machine, 'declared', 150);
      expect(node.macAddresses).toEqual([machine.mac]);
      expect(node.architecture).toBe('amd64/generic');
      await poweredOff(machine, 60);
      // The operator gives Metalyard the machine's BMC.
      await admin.protected.nodes.update.mutate({
        systemId: node.systemId,
        powerType: 'ipmi',
        powerParameters: ipmiParametersOf(machine),
      });
    }
    // What an unknown machine learns from a lookup: nothing secret.
    const stranger = await anonymous.machine.lookup.mutate({ macAddresses: ['52:54:00:ff:ff:01'] });
    expect(stranger).toMatchObject({ step: 'none', token: null });
  });

  it('accepted, a machine is powered on to boot from the network and commissioned with its real hardware, then ready and off', async () => {
    const machine = lab.machines[0]!;
    const before = chassisRequests(machine).length;
    const { systemId } = (await nodeOf(machine))!;
    await admin.protected.nodes.accept.mutate({ systemId });
    expect((await nodeOf(machine))!.status).toBe('commissioning');
    // Metalyard drives the BMC once the transition has committed: boot from the network, then power on.
    const requests = await waitFor(`${machine.name}'s BMC to be told to power on`, 30_000, () => {
      const since = chassisRequests(machine).slice(before);
      return since.includes('set power 1') ? since : undefined;
    });
    expect(requests).toContain('set boot pxe');
    expect(requests.indexOf('set boot pxe')).toBeLessThan(requests.lastIndexOf('set power 1'));

    const node = await reaches(machine, 'ready', 240);
    const hardware = node.hardware!;
    expect(hardware.cpuCount).toBe(machine.cpus);
    // MemTotal: what the kernel keeps for itself is missing from the VM's memory.
    expect(hardware.memoryMb).toBeGreaterThan(machine.memoryMb * 0.8);
    expect(hardware.memoryMb).toBeLessThanOrEqual(machine.memoryMb);
    expect(hardware.storage).toEqual([expect.objectContaining({ name: 'vda', sizeBytes: machine.diskBytes })]);
    expect(hardware.nics).toEqual([expect.objectContaining({ mac: machine.mac })]);
    await poweredOff(machine, 90);
  });

  it('acquired and deployed with an image, the image is on its disk; released, the disk is erased and it is ready and off', async () => {
    const machine = lab.machines[0]!;
    const { systemId } = (await nodeOf(machine))!;
    const images = await admin.protected.images.list.query();
    expect(images).toContainEqual(expect.objectContaining({ name: 'lab-test', sha256, sizeBytes: IMAGE_BYTES }));
    await admin.protected.nodes.acquire.mutate({ systemId });
    await admin.protected.nodes.deploy.mutate({ systemId, image: 'lab-test' });
    await reaches(machine, 'deployed', 240);
    expect(createHash('sha256').update(readDisk(machine, IMAGE_BYTES)).digest('hex')).toBe(sha256);

    await admin.protected.nodes.release.mutate({ systemId });
    expect((await nodeOf(machine))!.status).toBe('releasing');
    await reaches(machine, 'ready', 240);
    const start = readDisk(machine, 8 * 1024 * 1024);
    expect(start.equals(Buffer.alloc(start.length))).toBe(true);
    await poweredOff(machine, 90);
  });

  it('a machine whose agent stops reporting fails its step by timeout; a second lookup gets no token', async () => {
    const machine = lab.machines[1]!;
    const { systemId } = (await nodeOf(machine))!;
    await admin.protected.nodes.accept.mutate({ systemId });
    // The agent has its token once it reports progress.
    await waitFor(`${machine.name}'s agent to report`, 150_000, async () => ((await nodeOf(machine))?.agent ? true : undefined), 1000);
    const again = await anonymous.machine.lookup.mutate({ macAddresses: [machine.mac] });
    expect(again).toMatchObject({ systemId, step: 'commission', token: null });
    // The machine dies: power cut at its BMC, behind Metalyard's back.
    ipmitool(lab.network, machine, ['chassis', 'power', 'off']);
    const failed = await waitFor(
      `${machine.name} to fail commissioning`,
      150_000,
      async () => {
        const node = await nodeOf(machine);
        return node?.status === 'failed_commissioning' ? node : undefined;
      },
      2000,
    );
    expect(JSON.stringify(failed)).toMatch(/heartbeat|agent/i);
  });
});
