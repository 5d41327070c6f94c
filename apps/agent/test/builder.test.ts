import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cpioNewc,
  moduleDepends,
  moduleKey,
  moduleNameFromPath,
  readCpioNewc,
  readModinfo,
  resolveModuleOrder,
} from '../scripts/boot-image-lib.mjs';
import { BUSYBOX, PACKAGE_DIR, cleanup, tempDir } from './harness.js';

const dir = tempDir('builder');
afterAll(() => cleanup(dir));

/** A minimal ELF64 little-endian object with a .modinfo section holding these strings. */
function fakeModule(modinfo: string[]): Buffer {
  const info = Buffer.from(modinfo.map((entry) => `${entry}\0`).join(''), 'latin1');
  const shstrtab = Buffer.from('\0.shstrtab\0.modinfo\0', 'latin1');
  const headerSize = 64;
  const infoAt = headerSize;
  const strAt = infoAt + info.length;
  const shoff = (strAt + shstrtab.length + 7) & ~7;
  const sections = 3;
  const buffer = Buffer.alloc(shoff + sections * 64);
  buffer.writeUInt32BE(0x7f454c46, 0);
  buffer[4] = 2; // 64-bit
  buffer[5] = 1; // little-endian
  buffer[6] = 1;
  buffer.writeUInt16LE(1, 0x10); // ET_REL
  buffer.writeUInt16LE(62, 0x12); // x86-64
  buffer.writeBigUInt64LE(BigInt(shoff), 0x28);
  buffer.writeUInt16LE(64, 0x34);
  buffer.writeUInt16LE(64, 0x3a);
  buffer.writeUInt16LE(sections, 0x3c);
  buffer.writeUInt16LE(1, 0x3e); // .shstrtab is section 1
  info.copy(buffer, infoAt);
  shstrtab.copy(buffer, strAt);
  const section = (index: number, name: number, type: number, offset: number, size: number) => {
    const at = shoff + index * 64;
    buffer.writeUInt32LE(name, at);
    buffer.writeUInt32LE(type, at + 4);
    buffer.writeBigUInt64LE(BigInt(offset), at + 0x18);
    buffer.writeBigUInt64LE(BigInt(size), at + 0x20);
  };
  section(1, 1, 3, strAt, shstrtab.length);
  section(2, 11, 1, infoAt, info.length);
  return buffer;
}

describe('kernel modules', () => {
  it('reads depends= and other keys from a module .modinfo section', () => {
    const info = readModinfo(
      fakeModule([
        'license=GPL',
        'depends=virtio_ring,virtio,net_failover',
        'alias=virtio:d00000001v*',
        'alias=pci:v1AF4',
        'name=virtio_net',
        'vermagic=6.1.0 SMP',
      ]),
    );
    expect(info!.get('name')).toEqual(['virtio_net']);
    expect(info!.get('alias')).toEqual(['virtio:d00000001v*', 'pci:v1AF4']);
    expect(moduleDepends(info)).toEqual(['virtio_ring', 'virtio', 'net_failover']);
    expect(moduleDepends(readModinfo(fakeModule(['depends=', 'name=virtio_ring'])))).toEqual([]);
    // Dashes in depends= (pci-hyperv-intf) compare as underscores.
    expect(moduleDepends(readModinfo(fakeModule(['depends=pci-hyperv-intf,mlxfw'])))).toEqual(['pci_hyperv_intf', 'mlxfw']);
    expect(readModinfo(Buffer.from('not an elf file at all, just text to fill sixty-four bytes of room ...'))).toBeNull();
  });

  it('names modules from their file names, compressed or not', () => {
    expect(moduleNameFromPath('kernel/drivers/net/net_failover.ko')).toBe('net_failover');
    expect(moduleNameFromPath('kernel/drivers/block/xen-blkfront.ko.xz')).toBe('xen_blkfront');
    expect(moduleNameFromPath('kernel/drivers/nvme/host/nvme-core.ko.zst')).toBe('nvme_core');
    expect(moduleKey('pci-hyperv-intf')).toBe('pci_hyperv_intf');
  });

  const VIRTIO = new Map<string, { path: string; depends: string[] }>([
    ['virtio_ring', { path: 'virtio_ring.ko', depends: [] }],
    ['virtio', { path: 'virtio.ko', depends: [] }],
    ['virtio_pci_modern_dev', { path: 'virtio_pci_modern_dev.ko', depends: [] }],
    ['virtio_pci_legacy_dev', { path: 'virtio_pci_legacy_dev.ko', depends: [] }],
    ['virtio_pci', { path: 'virtio_pci.ko', depends: ['virtio_pci_modern_dev', 'virtio_pci_legacy_dev', 'virtio_ring', 'virtio'] }],
    ['failover', { path: 'failover.ko', depends: [] }],
    ['net_failover', { path: 'net_failover.ko', depends: ['failover'] }],
    ['virtio_net', { path: 'virtio_net.ko', depends: ['virtio_ring', 'virtio', 'net_failover'] }],
    ['virtio_blk', { path: 'virtio_blk.ko', depends: ['virtio', 'virtio_ring'] }],
    ['scsi_common', { path: 'scsi_common.ko', depends: [] }],
    ['scsi_mod', { path: 'scsi_mod.ko', depends: ['scsi_common'] }],
    ['sd_mod', { path: 'sd_mod.ko', depends: ['scsi_mod', 'scsi_common'] }],
    ['ahci', { path: 'ahci.ko', depends: ['libahci', 'libata'] }],
  ]);

  it('orders modules with their dependencies first: the virtio chain as the cloud kernel needs it', () => {
    const { order, skipped, missing } = resolveModuleOrder(['virtio_pci', 'virtio_net', 'virtio_blk'], VIRTIO);
    expect(order).toEqual([
      'virtio_pci_modern_dev',
      'virtio_pci_legacy_dev',
      'virtio_ring',
      'virtio',
      'virtio_pci',
      'failover',
      'net_failover',
      'virtio_net',
      'virtio_blk',
    ]);
    expect(skipped).toEqual([]);
    expect(missing).toEqual([]);
    // Every module comes after all it depends on.
    for (const [index, key] of order.entries())
      for (const dependency of VIRTIO.get(key)!.depends) expect(order.indexOf(dependency)).toBeLessThan(index);
  });

  it('skips modules the kernel lacks or has built in, and reports missing dependencies', () => {
    const result = resolveModuleOrder(['e1000e', 'nvme', 'sd_mod', 'ahci', 'sd_mod'], VIRTIO, new Set(['nvme', 'scsi_common']));
    expect(result.order).toEqual(['scsi_mod', 'sd_mod']);
    expect(result.skipped).toEqual(['e1000e']);
    expect(result.missing).toEqual(['libahci (needed by ahci)', 'libata (needed by ahci)']);
  });

  it('refuses a dependency cycle', () => {
    const cyclic = new Map([
      ['a', { path: 'a.ko', depends: ['b'] }],
      ['b', { path: 'b.ko', depends: ['a'] }],
    ]);
    expect(() => resolveModuleOrder(['a'], cyclic)).toThrow(/cycle/);
  });
});

describe('cpio', () => {
  const entries = [
    { path: '/bin', type: 'dir' },
    { path: '/dev', type: 'dir' },
    { path: '/tmp', type: 'dir', mode: 0o1777 },
    { path: '/bin/busybox', type: 'file', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
    { path: '/bin/sh', type: 'symlink', target: 'busybox' },
    { path: '/dev/console', type: 'char', major: 5, minor: 1 },
    { path: '/odd-length-name.txt', type: 'file', data: 'abc' },
    { path: '/empty', type: 'file', data: '' },
  ];

  it('writes a newc archive that reads back: modes, root owner, symlinks, device nodes, 4-byte alignment', () => {
    const archive: Buffer = cpioNewc(entries);
    expect(archive.length % 4).toBe(0);
    expect(archive.toString('ascii', 0, 6)).toBe('070701');
    const read = readCpioNewc(archive);
    expect(read.map((entry: any) => entry.name)).toEqual([
      'bin',
      'dev',
      'tmp',
      'bin/busybox',
      'bin/sh',
      'dev/console',
      'odd-length-name.txt',
      'empty',
    ]);
    const byName = new Map<string, any>(read.map((entry: any) => [entry.name, entry]));
    expect(byName.get('bin/busybox').mode).toBe(0o100755);
    expect(byName.get('bin/busybox').data.toString()).toBe('#!/bin/sh\necho hi\n');
    expect(byName.get('bin/sh').mode).toBe(0o120777);
    expect(byName.get('bin/sh').data.toString()).toBe('busybox');
    expect(byName.get('dev/console').mode).toBe(0o020600);
    expect([byName.get('dev/console').rdevMajor, byName.get('dev/console').rdevMinor]).toEqual([5, 1]);
    expect(byName.get('tmp').mode).toBe(0o041777);
    for (const entry of read) expect([entry.uid, entry.gid]).toEqual([0, 0]);
    // The same input gives the same bytes.
    expect(cpioNewc(entries).equals(archive)).toBe(true);
  });

  it.skipIf(!BUSYBOX)('busybox cpio reads the archive too', () => {
    const archive = cpioNewc(entries);
    const listing = spawnSync(BUSYBOX!, ['cpio', '-t'], { input: archive, encoding: 'utf8' });
    expect(listing.status, listing.stderr).toBe(0);
    expect(listing.stdout.split('\n').filter(Boolean)).toEqual([
      'bin',
      'dev',
      'tmp',
      'bin/busybox',
      'bin/sh',
      'dev/console',
      'odd-length-name.txt',
      'empty',
    ]);
    const out = join(dir, 'extract');
    mkdirSync(out);
    const extract = spawnSync(BUSYBOX!, ['cpio', '-i', '-d', 'odd-length-name.txt', 'bin/busybox'], {
      input: archive,
      cwd: out,
      encoding: 'utf8',
    });
    expect(extract.status, extract.stderr).toBe(0);
    expect(spawnSync(BUSYBOX!, ['cat', join(out, 'odd-length-name.txt')], { encoding: 'utf8' }).stdout).toBe('abc');
  });
});

describe('the builder command', () => {
  it('says clearly what is missing where apt-get is not installed', () => {
    // A PATH with node and sh only.
    const bin = join(dir, 'bin-no-apt');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const sh = spawnSync('sh', ['-c', 'command -v sh'], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(sh, join(bin, 'sh'));
    const result = spawnSync(process.execPath, [join(PACKAGE_DIR, 'scripts', 'build-boot-image.mjs')], {
      env: { PATH: bin, METALYARD_BOOT_DIR: join(dir, 'boot'), METALYARD_BOOT_CACHE: join(dir, 'cache') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^boot-image: apt-get, apt-cache, dpkg-deb not found\. The boot image is built from Debian packages/);
  });

  it('rejects unknown arguments', () => {
    const result = spawnSync(process.execPath, [join(PACKAGE_DIR, 'scripts', 'build-boot-image.mjs'), '--frobnicate'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown argument(s): --frobnicate');
  });

  it('--help prints the usage', () => {
    const result = spawnSync(process.execPath, [join(PACKAGE_DIR, 'scripts', 'build-boot-image.mjs'), '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('pnpm boot-image --offline');
    expect(result.stdout).not.toContain('import ');
    writeFileSync(join(dir, 'help.txt'), result.stdout);
  });
});
