/**
 * Network boot through the real server: the iPXE scripts by node state, the boot environment's files
 * (503 until `pnpm boot-image` has built them), and a machine agent's whole conversation over HTTP —
 * lookup, heartbeats, reports, the image download for its token only — as apps/agent/README.md has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN, client, failure, manage, nextMac, rawRequest, scratchDir, startServer, type ServerProcess } from './harness.js';

const dir = scratchDir();
const bootDir = join(dir.path, 'boot');
const imagesDir = join(dir.path, 'images');
const IMAGE = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
let server: ServerProcess;

beforeAll(async () => {
  mkdirSync(imagesDir);
  writeFileSync(join(imagesDir, 'tiny.img'), IMAGE);
  server = await startServer(join(dir.path, 'metalyard.sqlite'), { METALYARD_BOOT_DIR: bootDir, METALYARD_IMAGES_DIR: imagesDir });
});
afterAll(async () => {
  await server?.stop();
  dir.remove();
});

const get = (path: string, headers: Record<string, string> = {}) => rawRequest(server.url, { method: 'GET', path, headers });

describe('the boot routes', () => {
  it('GET /boot/ipxe chains to the per-MAC script on this server', async () => {
    const reply = await get('/boot/ipxe');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(reply.body.startsWith('#!ipxe\n')).toBe(true);
    expect(reply.body).toContain(`chain --autofree ${server.url}/boot/ipxe?mac=\${netX/mac}`);
  });

  it('names the server by the Host the machine used', async () => {
    const reply = await get('/boot/ipxe', { host: 'boot.lab:5240' });
    expect(reply.body).toContain('chain --autofree http://boot.lab:5240/boot/ipxe?mac=');
  });

  it('sends an unknown machine to enlist, with the agent’s kernel command line', async () => {
    const mac = nextMac();
    const reply = await get(`/boot/ipxe?mac=${mac.replaceAll(':', '-')}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain(
      `kernel ${server.url}/boot/vmlinuz initrd=initrd.img metalyard.url=${server.url} metalyard.env=enlist BOOTIF=01-${mac.replaceAll(':', '-')} console=ttyS0`,
    );
  });

  it('refuses a MAC that is not one', async () => {
    expect((await get('/boot/ipxe?mac=nope')).status).toBe(400);
  });

  it('answers 503 for the kernel and initrd until pnpm boot-image has built them, then serves them', async () => {
    for (const file of ['vmlinuz', 'initrd.img']) {
      const reply = await get(`/boot/${file}`);
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('run pnpm boot-image');
    }
    mkdirSync(bootDir, { recursive: true });
    writeFileSync(join(bootDir, 'vmlinuz'), 'a kernel');
    writeFileSync(join(bootDir, 'initrd.img'), 'an initrd');
    const kernel = await get('/boot/vmlinuz');
    expect(kernel).toMatchObject({ status: 200, body: 'a kernel' });
    expect(kernel.headers['content-length']).toBe('8');
    expect((await get('/boot/initrd.img')).body).toBe('an initrd');
  });
});

describe('the boot routes are the anonymous door too', () => {
  it('rate-limits the per-MAC scripts per address with 429 and Retry-After, and answers only GET', async () => {
    const limited = await startServer(join(dir.path, 'limited.sqlite'), { METALYARD_ANON_RATE: '0.01', METALYARD_ANON_BURST: '2' });
    try {
      const ask = () => rawRequest(limited.url, { method: 'GET', path: `/boot/ipxe?mac=${nextMac()}` });
      expect((await ask()).status).toBe(200);
      expect((await ask()).status).toBe(200);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // The first script holds nothing about any node: it is not counted.
      expect((await rawRequest(limited.url, { method: 'GET', path: '/boot/ipxe' })).status).toBe(200);
      expect((await rawRequest(limited.url, { method: 'POST', path: '/boot/ipxe', body: '' })).status).toBe(405);
    } finally {
      await limited.stop();
    }
  });
});

describe('a machine agent’s conversation', () => {
  it('enlists, is commissioned, deployed with an image it may download, and boots from its disk', async () => {
    const admin = client(server.url, ADMIN_TOKEN);
    const anonymous = client(server.url);
    const mac = nextMac();
    const script = async () => (await get(`/boot/ipxe?mac=${mac}`)).body;

    const enlisted = await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [mac] });
    const { systemId } = enlisted;
    expect(await script()).toContain('metalyard.env=enlist');
    await admin.protected.nodes.accept.mutate({ systemIds: [systemId] });
    expect(await script()).toContain('sanboot --no-describe --drive 0x80');

    // Commissioning: the agent looks up its step and token, heartbeats, reports.
    await admin.protected.nodes.commission.mutate({ systemId });
    expect(await script()).toContain('metalyard.env=commission');
    const commission = await anonymous.machine.lookup.mutate({ macAddresses: [mac] });
    expect(commission).toMatchObject({ systemId, status: 'commissioning', step: 'commission', heartbeatSeconds: 10, image: null });
    expect((await anonymous.machine.lookup.mutate({ macAddresses: [mac] })).token).toBeNull();
    const agent = client(server.url, commission.token!);
    expect(await agent.machine.heartbeat.mutate({ systemId, step: 'commission', message: 'testing memory' })).toEqual({
      systemId,
      status: 'commissioning',
      proceed: true,
    });
    expect((await admin.protected.nodes.get.query({ systemId })).agent).toMatchObject({ step: 'commission', message: 'testing memory' });
    const hardware = {
      cpuCount: 2,
      cpuModel: 'QEMU Virtual CPU',
      memoryMb: 481,
      storage: [{ name: 'vda', sizeGb: 0.07, sizeBytes: 67_108_864, serial: 'disk0' }],
      nics: [{ name: 'eth0', mac, link: 'up' as const }],
    };
    expect(await agent.machine.reportCommissioning.mutate({ systemId, result: 'passed', hardware })).toEqual({ systemId, status: 'ready' });
    expect((await admin.protected.nodes.get.query({ systemId })).hardware).toEqual(hardware);

    // Deployment: the image, its URL on this server, downloadable with the step's token only.
    expect(await admin.protected.images.list.query()).toEqual([
      { name: 'tiny', sizeBytes: IMAGE.length, sha256: createHash('sha256').update(IMAGE).digest('hex') },
    ]);
    await admin.protected.nodes.acquire.mutate({ systemId });
    expect((await failure(admin.protected.nodes.deploy.mutate({ systemId, image: 'other.img' }))).status).toBe(404);
    await admin.protected.nodes.deploy.mutate({ systemId, image: 'tiny' });
    expect(await script()).toContain('metalyard.env=deploy');
    const deploy = await anonymous.machine.lookup.mutate({ macAddresses: [mac] });
    expect(deploy.image).toEqual({
      name: 'tiny',
      url: `${server.url}/boot/images/tiny`,
      sizeBytes: IMAGE.length,
      sha256: createHash('sha256').update(IMAGE).digest('hex'),
    });
    const path = new URL(deploy.image!.url).pathname;
    expect((await get(path)).status).toBe(401);
    expect((await get(path, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(401);
    const download = await fetch(deploy.image!.url, { headers: { authorization: `Bearer ${deploy.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(IMAGE.length));
    expect(Buffer.from(await download.arrayBuffer()).equals(IMAGE)).toBe(true);
    const installer = client(server.url, deploy.token!);
    expect(await installer.machine.reportDeployment.mutate({ systemId, result: 'passed' })).toEqual({ systemId, status: 'deployed' });
    expect(await script()).toContain('sanboot --no-describe --drive 0x80');
    // The token ended with the step: no more downloads.
    expect((await get(path, { authorization: `Bearer ${deploy.token}` })).status).toBe(401);

    const events = await admin.protected.events.list.query({ systemId, limit: 1000 });
    const types = events.items.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['boot', 'agent_lookup', 'agent_progress', 'image_download']));
    expect(JSON.stringify(events)).not.toContain(deploy.token!);
    expect(server.output.join('\n')).not.toContain(deploy.token!);
  });

  it('answers the REST twins too (the lookup at /api/v1/machine/lookup)', async () => {
    const reply = await rawRequest(server.url, {
      path: '/api/v1/machine/lookup',
      body: JSON.stringify({ macAddresses: [nextMac()] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ systemId: null, step: 'none', token: null });
  });
});

describe('metalyard dhcp-config', () => {
  it('prints a dnsmasq configuration for the server’s boot script, with the boot folder’s TFTP root', async () => {
    const config = await manage(
      join(dir.path, 'metalyard.sqlite'),
      'dhcp-config',
      '--proxy',
      '192.168.50.0',
      '--url',
      'http://192.168.50.1:5240',
      '--tftp-root',
      '/srv/tftp',
    );
    expect(config.split('\n')).toEqual(
      expect.arrayContaining([
        'dhcp-range=192.168.50.0,proxy',
        'dhcp-boot=tag:ipxe,http://192.168.50.1:5240/boot/ipxe',
        'enable-tftp',
        'tftp-root=/srv/tftp',
      ]),
    );
  });

  it('refuses to guess where machines reach the server', async () => {
    await expect(manage(join(dir.path, 'metalyard.sqlite'), 'dhcp-config', '--proxy', '192.168.50.0')).rejects.toThrow(
      /--url http:\/\/HOST:PORT/,
    );
  });
});
