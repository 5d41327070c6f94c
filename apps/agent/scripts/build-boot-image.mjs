#!/usr/bin/env node
// pnpm boot-image: builds Metalyard's boot environment, vmlinuz + initrd.img, into METALYARD_BOOT_DIR
// (default data/boot under the repository), from Debian packages fetched with `apt-get download`:
//   - the kernel (METALYARD_KERNEL_PACKAGE, default linux-image-cloud-amd64, resolved to its current
//     linux-image-<release> package), with the NIC and disk modules the initramfs loads;
//   - busybox-static, whose busybox is the initramfs's only program;
//   - ipxe, whose undionly.kpxe / ipxe.efi / snponly.efi go to <boot dir>/tftp for dnsmasq's TFTP chain;
// plus the agent (apps/agent/agent) and /init (apps/agent/initramfs). Packages are cached under
// METALYARD_BOOT_CACHE (default data/boot-cache); a build whose inputs (package versions, agent and
// init files, module list) have not changed is reused. Files are written atomically (tmp + rename),
// manifest.json last. Needs apt-get, apt-cache and dpkg-deb; root is not needed.
//
//   pnpm boot-image            build, or say it is up to date
//   pnpm boot-image --force    build even when up to date
//   pnpm boot-image --offline  use only packages already in the cache (tests: no network)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpioNewc, moduleDepends, moduleKey, moduleNameFromPath, readModinfo, resolveModuleOrder, sha256Hex } from './boot-image-lib.mjs';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = resolve(PACKAGE_DIR, '..', '..');
const FORMAT = 1;

/** Modules the initramfs loads, in this order (each with its dependencies first), where the kernel has them. */
export const WANTED_MODULES = [
  // The virtio bus and devices (QEMU/KVM and most clouds).
  'virtio_ring',
  'virtio',
  'virtio_pci_modern_dev',
  'virtio_pci_legacy_dev',
  'virtio_pci',
  'virtio_mmio',
  'failover',
  'net_failover',
  'virtio_net',
  'virtio_blk',
  'virtio_scsi',
  // NICs of real servers and other hypervisors.
  'e1000',
  'e1000e',
  'igb',
  'igc',
  'ixgbe',
  'ixgbevf',
  'i40e',
  'iavf',
  'ice',
  'bnxt_en',
  'tg3',
  'bnx2',
  'bnx2x',
  'r8169',
  'be2net',
  'qede',
  'sfc',
  'cxgb4',
  'atlantic',
  'mlx4_en',
  'mlx5_core',
  'ena',
  'gve',
  'mana',
  'vmxnet3',
  'hv_vmbus',
  'hv_netvsc',
  'xen_netfront',
  // Disk controllers and disks.
  'sd_mod',
  'ahci',
  'ata_piix',
  'ata_generic',
  'nvme',
  'megaraid_sas',
  'mpt3sas',
  'mpi3mr',
  'hpsa',
  'smartpqi',
  'aacraid',
  'vmw_pvscsi',
  'hv_storvsc',
  'xen_blkfront',
  // Raw sockets for udhcpc, where not built in.
  'af_packet',
];

const say = (message) => console.log(`boot-image: ${message}`);
class BuildError extends Error {}
const fail = (message) => {
  throw new BuildError(message);
};

const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const shown = (path) => relative(process.cwd(), path) || '.';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0)
    fail(
      `${command} ${args.join(' ')} failed (exit ${result.status}): ${(result.stderr || result.stdout || '').trim().split('\n').slice(-5).join(' / ')}`,
    );
  return result.stdout;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

function checkTools() {
  const missing = ['apt-get', 'apt-cache', 'dpkg-deb'].filter((name) => !hasCommand(name));
  if (missing.length === 0) return;
  fail(
    `${missing.join(', ')} not found. The boot image is built from Debian packages (the kernel, busybox-static, ipxe) ` +
      `fetched with apt-get download: run pnpm boot-image on Debian (bookworm or later) or a Debian-based system with apt. ` +
      `Without it the server still runs; its boot routes answer 503 until vmlinuz and initrd.img are in the boot folder.`,
  );
}

/** The candidate records of packages, from apt's local lists (no network), in the order asked. */
function aptShow(...names) {
  const result = spawnSync('apt-cache', ['show', '--no-all-versions', ...names], { encoding: 'utf8' });
  const records = [];
  let record = {};
  for (const line of `${result.stdout ?? ''}\n`.split('\n')) {
    if (line === '') {
      if (record.Package) records.push(record);
      record = {};
      continue;
    }
    const match = /^([A-Za-z-]+): (.*)$/.exec(line);
    if (match) record[match[1]] = match[2];
  }
  return names.map((name) => {
    const wanted = name.split(':')[0];
    const found = records.find((candidate) => candidate.Package === wanted && candidate.Version);
    if (!found) {
      const why = (result.stderr ?? '').trim().split('\n')[0];
      fail(
        `apt does not know the package ${wanted}${why ? ` (${why})` : ''}: run apt-get update (as root) first, on Debian bookworm or later (main)`,
      );
    }
    return {
      name: found.Package,
      version: found.Version,
      arch: found.Architecture,
      depends: found.Depends ?? '',
      size: Number(found.Size ?? 0),
    };
  });
}

/** linux-image-cloud-amd64 (a metapackage) → linux-image-6.1.0-57-cloud-amd64, the kernel it names. */
function kernelPackageName(name) {
  if (/^linux-image-\d/.test(name)) return name;
  const [meta] = aptShow(name);
  const dependency = meta.depends
    .split(',')
    .map((item) => item.trim().split(/[\s|]/)[0])
    .find((item) => /^linux-image-\d/.test(item));
  if (!dependency) fail(`${name} does not depend on a linux-image-<version> package (Depends: ${meta.depends || 'none'})`);
  return dependency;
}

function debFileName(pkg) {
  return `${pkg.name}_${pkg.version.replace(/:/g, '%3a')}_${pkg.arch}.deb`;
}

/** Downloads a package's .deb into the cache (once per version); removes other versions of it. */
function fetchDeb(pkg, debDir, offline) {
  mkdirSync(debDir, { recursive: true });
  const file = join(debDir, debFileName(pkg));
  for (const name of readdirSync(debDir)) {
    if (name.startsWith(`${pkg.name}_`) && name.endsWith('.deb') && join(debDir, name) !== file)
      rmSync(join(debDir, name), { force: true });
  }
  if (existsSync(file) && (!pkg.size || statSync(file).size === pkg.size)) return { file, downloaded: false };
  rmSync(file, { force: true });
  if (offline)
    fail(
      `${pkg.name} ${pkg.version} is not in ${shown(debDir)} and --offline forbids downloading it: run pnpm boot-image once without --offline`,
    );
  run('apt-get', ['download', '-q', `${pkg.name}:${pkg.arch}=${pkg.version}`], { cwd: debDir });
  if (!existsSync(file)) fail(`apt-get download ${pkg.name} did not leave ${debFileName(pkg)} in ${shown(debDir)}`);
  return { file, downloaded: true };
}

/** Extracts a .deb into the cache (once per version; an interrupted extraction starts over). */
function extractDeb(pkg, deb, extractDir) {
  const dir = join(extractDir, debFileName(pkg).replace(/\.deb$/, ''));
  const marker = join(dir, '.metalyard-extracted');
  if (existsSync(marker)) return dir;
  mkdirSync(extractDir, { recursive: true });
  for (const name of readdirSync(extractDir)) {
    if (name.startsWith(`${pkg.name}_`) && join(extractDir, name) !== dir) rmSync(join(extractDir, name), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  run('dpkg-deb', ['-x', deb, dir]);
  writeFileSync(marker, `${pkg.name} ${pkg.version}\n`);
  return dir;
}

/** Serializes builds that share a cache (a test and an operator, say). */
function lockCache(cacheDir) {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, '.lock');
  const deadline = Date.now() + 10 * 60 * 1000;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(lock, 'utf8').trim());
    let alive;
    try {
      if (holder > 0) process.kill(holder, 0);
      alive = holder > 0;
    } catch {
      alive = false;
    }
    if (!alive) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) fail(`another build (pid ${holder}) holds ${shown(lock)} for more than 10 minutes`);
    spawnSync('sleep', ['1']);
  }
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** A module file's bytes, decompressed (busybox's insmod reads plain ELF only). */
function moduleBytes(path, busybox) {
  if (path.endsWith('.ko')) return readFileSync(path);
  if (path.endsWith('.ko.xz')) {
    const tool = hasCommand('xz') ? ['xz', ['-dc', path]] : [busybox, ['xz', '-dc', path]];
    return spawnSyncBuffer(...tool);
  }
  if (path.endsWith('.ko.zst')) {
    if (!hasCommand('zstd')) fail(`${path} is zstd-compressed and zstd is not installed (apt-get install zstd)`);
    return spawnSyncBuffer('zstd', ['-dc', path]);
  }
  if (path.endsWith('.ko.gz')) return spawnSyncBuffer('gzip', ['-dc', path]);
  fail(`unknown module format: ${path}`);
}

function spawnSyncBuffer(command, args) {
  const result = spawnSync(command, args, { maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} failed: ${String(result.stderr).trim()}`);
  return result.stdout;
}

/** The kernel's modules: key → { path, depends (read lazily from .modinfo) }. */
function moduleIndex(modulesDir, busybox) {
  const paths = new Map();
  for (const path of walk(join(modulesDir, 'kernel'))) {
    if (/\.ko(\.(xz|zst|gz))?$/.test(path)) paths.set(moduleNameFromPath(path), path);
  }
  const cache = new Map();
  return {
    size: paths.size,
    get(key) {
      if (cache.has(key)) return cache.get(key);
      const path = paths.get(key);
      if (!path) return undefined;
      const bytes = moduleBytes(path, busybox);
      const modinfo = readModinfo(bytes);
      if (!modinfo) fail(`${path} is not an ELF kernel module`);
      const module = { path, bytes, depends: moduleDepends(modinfo) };
      cache.set(key, module);
      return module;
    },
  };
}

function builtinModules(modulesDir) {
  const file = join(modulesDir, 'modules.builtin');
  const keys = new Set();
  if (!existsSync(file)) return keys;
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) keys.add(moduleNameFromPath(line.trim()));
  return keys;
}

/** The files of the agent and /init, as [path in the repository, bytes]. */
function localInputs() {
  const files = [];
  const add = (path) => files.push([relative(REPO_DIR, path), readFileSync(path)]);
  add(join(PACKAGE_DIR, 'agent', 'metalyard-agent'));
  for (const name of readdirSync(join(PACKAGE_DIR, 'agent', 'lib')).sort())
    if (name.endsWith('.sh')) add(join(PACKAGE_DIR, 'agent', 'lib', name));
  add(join(PACKAGE_DIR, 'initramfs', 'init'));
  add(join(PACKAGE_DIR, 'initramfs', 'udhcpc.script'));
  add(join(PACKAGE_DIR, 'scripts', 'build-boot-image.mjs'));
  add(join(PACKAGE_DIR, 'scripts', 'boot-image-lib.mjs'));
  return files;
}

function agentVersion(files) {
  const hash = sha256Hex(
    Buffer.concat(files.filter(([path]) => path.includes('/agent/')).flatMap(([path, bytes]) => [Buffer.from(path), bytes])),
  );
  return hash.slice(0, 12);
}

/** Writes a file atomically: a temporary file in the same folder, fsync, rename. */
function writeAtomic(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function readManifest(bootDir) {
  try {
    return JSON.parse(readFileSync(join(bootDir, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

function manifestStillValid(manifest, bootDir, inputsHash) {
  if (!manifest || manifest.format !== FORMAT || manifest.inputsHash !== inputsHash) return false;
  return Object.entries(manifest.files ?? {}).every(([name, info]) => {
    const path = join(bootDir, name);
    return existsSync(path) && statSync(path).size === info.size;
  });
}

function initramfsEntries({ busybox, release, modules, agentFiles, version, buildId }) {
  const files = [];
  const file = (path, data, mode = 0o644) => files.push({ path, type: 'file', data, mode });
  file('/init', readFileSync(join(PACKAGE_DIR, 'initramfs', 'init')), 0o755);
  file('/bin/busybox', readFileSync(busybox), 0o755);
  files.push({ path: '/bin/sh', type: 'symlink', target: 'busybox' });
  files.push({ path: '/dev/console', type: 'char', major: 5, minor: 1, mode: 0o600 });
  files.push({ path: '/dev/null', type: 'char', major: 1, minor: 3, mode: 0o666 });
  file('/etc/metalyard/udhcpc.script', readFileSync(join(PACKAGE_DIR, 'initramfs', 'udhcpc.script')), 0o755);
  file('/etc/metalyard/boot-environment', `Metalyard boot environment ${buildId}\n`);
  file('/etc/metalyard/build-id', `${buildId}\n`);
  file('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  file('/etc/group', 'root:x:0:\n');
  const moduleLines = [];
  for (const module of modules) {
    const path = `/lib/modules/${release}/${module.relative.replace(/\.(xz|zst|gz)$/, '')}`;
    file(path, module.bytes);
    moduleLines.push(path);
  }
  file(
    '/etc/metalyard/modules',
    `# Loaded by /init in this order (dependencies first), resolved at build time.\n${moduleLines.join('\n')}\n`,
  );
  for (const [path, bytes] of agentFiles) {
    const inside = path.replace(/^apps\/agent\/agent\//, '');
    file(`/usr/lib/metalyard-agent/${inside}`, bytes, inside === 'metalyard-agent' ? 0o755 : 0o644);
  }
  file('/usr/lib/metalyard-agent/VERSION', `${version}\n`);

  // Every folder a file lives in, and the mount points, parents first.
  const dirs = new Set(['/dev', '/proc', '/sys', '/run', '/tmp', '/root', '/mnt', '/var', '/var/run', '/sbin', '/usr/bin', '/usr/sbin']);
  for (const entry of files) {
    for (let dir = dirname(entry.path); dir !== '/'; dir = dirname(dir)) dirs.add(dir);
  }
  const dirEntries = [...dirs].sort().map((path) => ({ path, type: 'dir', mode: path === '/tmp' ? 0o1777 : 0o755 }));
  return [...dirEntries, ...files.sort((a, b) => (a.path < b.path ? -1 : 1))];
}

export async function build({ force = false, offline = false } = {}) {
  const started = Date.now();
  const bootDir = resolve(REPO_DIR, process.env.METALYARD_BOOT_DIR || 'data/boot');
  const cacheDir = resolve(REPO_DIR, process.env.METALYARD_BOOT_CACHE || 'data/boot-cache');
  const kernelMeta = process.env.METALYARD_KERNEL_PACKAGE || 'linux-image-cloud-amd64';
  const extraModules = (process.env.METALYARD_BOOT_MODULES || '').split(/[\s,]+/).filter(Boolean);
  checkTools();

  const [kernel, busyboxPkg, ipxe] = aptShow(kernelPackageName(kernelMeta), 'busybox-static:amd64', 'ipxe');
  const inputs = localInputs();
  const version = agentVersion(inputs);
  const wanted = [...WANTED_MODULES, ...extraModules];
  const inputsHash = sha256Hex(
    JSON.stringify({
      format: FORMAT,
      packages: [kernel, busyboxPkg, ipxe].map((pkg) => `${pkg.name}=${pkg.version}`),
      files: inputs.map(([path, bytes]) => [path, sha256Hex(bytes)]),
      wanted,
    }),
  );
  const buildId = `${kernel.name.replace(/^linux-image-/, '')} agent ${version} build ${inputsHash.slice(0, 12)}`;

  const previous = readManifest(bootDir);
  if (!force && manifestStillValid(previous, bootDir, inputsHash)) {
    say(
      `up to date in ${shown(bootDir)}: kernel ${kernel.name} ${kernel.version}, busybox ${busyboxPkg.version}, agent ${version} (nothing changed; --force rebuilds)`,
    );
    return { bootDir, reused: true, manifest: previous };
  }

  const unlock = lockCache(cacheDir);
  try {
    const debDir = join(cacheDir, 'debs');
    const extractDir = join(cacheDir, 'extract');
    const roots = {};
    for (const [label, pkg] of [
      ['kernel', kernel],
      ['busybox', busyboxPkg],
      ['ipxe', ipxe],
    ]) {
      const { file, downloaded } = fetchDeb(pkg, debDir, offline);
      say(`${label}: ${pkg.name} ${pkg.version} (${downloaded ? `downloaded ${mib(statSync(file).size)}` : 'cached'})`);
      roots[label] = extractDeb(pkg, file, extractDir);
    }

    // The kernel: boot/vmlinuz-<release> and lib/modules/<release>.
    const modulesRoot = existsSync(join(roots.kernel, 'lib', 'modules'))
      ? join(roots.kernel, 'lib', 'modules')
      : join(roots.kernel, 'usr', 'lib', 'modules');
    const releases = existsSync(modulesRoot) ? readdirSync(modulesRoot) : [];
    if (releases.length !== 1) fail(`expected one kernel release in ${kernel.name}, found ${releases.join(', ') || 'none'}`);
    const release = releases[0];
    const vmlinuz = join(roots.kernel, 'boot', `vmlinuz-${release}`);
    if (!existsSync(vmlinuz)) fail(`${kernel.name} has no boot/vmlinuz-${release}`);
    const busybox = join(roots.busybox, 'bin', 'busybox');
    if (!existsSync(busybox)) fail(`busybox-static has no bin/busybox`);

    const modulesDir = join(modulesRoot, release);
    const index = moduleIndex(modulesDir, busybox);
    const builtin = builtinModules(modulesDir);
    const { order, skipped, missing } = resolveModuleOrder(wanted, index, builtin);
    if (missing.length) fail(`module dependencies not in ${kernel.name}: ${missing.join(', ')}`);
    const modules = order.map((key) => {
      const module = index.get(key);
      return { key, bytes: module.bytes, relative: relative(modulesDir, module.path) };
    });
    const builtinWanted = wanted.filter((name) => builtin.has(moduleKey(name)));
    say(`${modules.length} modules, in load order: ${order.join(' ')}`);
    if (builtinWanted.length) say(`built into the kernel: ${builtinWanted.join(' ')}`);
    if (skipped.length) say(`not in this kernel (skipped): ${skipped.join(' ')}`);

    const entries = initramfsEntries({
      busybox,
      release,
      modules,
      agentFiles: inputs.filter(([path]) => path.startsWith('apps/agent/agent/')),
      version,
      buildId,
    });
    const initrd = gzipSync(cpioNewc(entries), { level: 9 });
    const kernelBytes = readFileSync(vmlinuz);

    const outputs = [
      ['vmlinuz', kernelBytes],
      ['initrd.img', initrd],
    ];
    for (const [name, candidates] of [
      ['undionly.kpxe', ['usr/lib/ipxe/undionly.kpxe']],
      ['ipxe.efi', ['usr/lib/ipxe/ipxe.efi', 'boot/ipxe.efi']],
      ['snponly.efi', ['usr/lib/ipxe/snponly.efi']],
    ]) {
      const found = candidates.map((path) => join(roots.ipxe, path)).find((path) => existsSync(path));
      if (found) outputs.push([`tftp/${name}`, readFileSync(found)]);
      else if (name !== 'snponly.efi') fail(`the ipxe package has no ${candidates.join(' or ')}`);
    }
    mkdirSync(bootDir, { recursive: true });
    // The manifest goes last: while files change, an old manifest no longer matches them.
    rmSync(join(bootDir, 'manifest.json'), { force: true });
    const files = {};
    for (const [name, data] of outputs) {
      writeAtomic(join(bootDir, name), data);
      files[name] = { size: data.length, sha256: sha256Hex(data) };
    }
    const manifest = {
      format: FORMAT,
      buildId,
      inputsHash,
      builtAt: new Date().toISOString(),
      kernel: { package: kernel.name, version: kernel.version, release },
      busybox: { package: busyboxPkg.name, version: busyboxPkg.version },
      ipxe: { package: ipxe.name, version: ipxe.version },
      agent: { version },
      modules: order,
      files,
    };
    writeAtomic(join(bootDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(
      `wrote ${shown(join(bootDir, 'vmlinuz'))} (${mib(kernelBytes.length)}) and ${shown(join(bootDir, 'initrd.img'))} (${mib(initrd.length)}), ` +
        `and ${outputs
          .filter(([name]) => name.startsWith('tftp/'))
          .map(([name]) => name.slice(5))
          .join(', ')} in ${shown(join(bootDir, 'tftp'))}, in ${seconds} s`,
    );
    return { bootDir, reused: false, manifest };
  } finally {
    unlock();
  }
}

const invoked = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .slice(1);
    const header = lines.slice(
      0,
      lines.findIndex((line) => !line.startsWith('//')),
    );
    console.log(header.map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
    process.exit(0);
  }
  const unknown = args.filter((arg) => arg !== '--force' && arg !== '--offline');
  if (unknown.length) {
    console.error(`boot-image: unknown argument(s): ${unknown.join(' ')} (try --help)`);
    process.exit(2);
  }
  build({ force: args.includes('--force'), offline: args.includes('--offline') }).catch((error) => {
    console.error(`boot-image: ${error instanceof BuildError ? error.message : (error.stack ?? error)}`);
    process.exit(1);
  });
}
