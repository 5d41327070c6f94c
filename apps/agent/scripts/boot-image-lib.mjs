// Pieces of the boot-image builder that need no network and no Debian: reading a kernel module's
// .modinfo, ordering modules by their dependencies, and writing a newc cpio archive (the initramfs).
import { createHash } from 'node:crypto';

// --- kernel modules ------------------------------------------------------------------------------

/** Module names use _ and - interchangeably (file names, depends= lists): compare them with _. */
export function moduleKey(name) {
  return name.replace(/-/g, '_');
}

/** The name a module file stands for: .../net_failover.ko(.xz|.zst|.gz) → net_failover. */
export function moduleNameFromPath(path) {
  const base = path.split('/').pop() ?? path;
  return moduleKey(base.replace(/\.ko(\.(xz|zst|gz))?$/, ''));
}

/**
 * The key=value strings of an ELF module's .modinfo section (ELF32/64, either byte order). Keys may
 * repeat (alias=, parm=): each value is kept in order. Returns null for something that is not ELF.
 */
export function readModinfo(buffer) {
  if (buffer.length < 64 || buffer.readUInt32BE(0) !== 0x7f454c46) return null;
  const is64 = buffer[4] === 2;
  const little = buffer[5] === 1;
  const u16 = (at) => (little ? buffer.readUInt16LE(at) : buffer.readUInt16BE(at));
  const u32 = (at) => (little ? buffer.readUInt32LE(at) : buffer.readUInt32BE(at));
  const word = (at) => (is64 ? Number(little ? buffer.readBigUInt64LE(at) : buffer.readBigUInt64BE(at)) : u32(at));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  if (!shoff || !shnum || shstrndx >= shnum || shoff + shnum * shentsize > buffer.length) return null;
  const section = (index) => {
    const at = shoff + index * shentsize;
    return { name: u32(at), offset: word(at + (is64 ? 0x18 : 0x10)), size: word(at + (is64 ? 0x20 : 0x14)) };
  };
  const names = section(shstrndx);
  const nameAt = (offset) => {
    const start = names.offset + offset;
    const end = buffer.indexOf(0, start);
    return buffer.toString('latin1', start, end < 0 ? start : end);
  };
  const info = new Map();
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (nameAt(s.name) !== '.modinfo') continue;
    for (const entry of buffer.toString('latin1', s.offset, s.offset + s.size).split('\0')) {
      const eq = entry.indexOf('=');
      if (eq <= 0) continue;
      const key = entry.slice(0, eq);
      const list = info.get(key) ?? [];
      list.push(entry.slice(eq + 1));
      info.set(key, list);
    }
    return info;
  }
  return info;
}

/** The modules a module needs loaded first, from its .modinfo depends= (names normalized). */
export function moduleDepends(modinfo) {
  const depends = modinfo?.get('depends')?.[0] ?? '';
  return depends
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map(moduleKey);
}

/**
 * The load order for the wanted modules: each module after everything it depends on, in the order
 * wanted (dependencies first, depth-first), each once. `available` maps a module key to
 * { path, depends }; `builtin` holds the keys built into the kernel (nothing to load). Wanted modules
 * that are neither are skipped (the kernel does not have them); a missing dependency is reported.
 */
export function resolveModuleOrder(wanted, available, builtin = new Set()) {
  const order = [];
  const done = new Set();
  const skipped = [];
  const missing = [];
  const visiting = new Set();
  const visit = (key, neededBy) => {
    if (done.has(key) || builtin.has(key)) return true;
    const module = available.get(key);
    if (!module) {
      if (neededBy) missing.push(`${key} (needed by ${neededBy})`);
      else skipped.push(key);
      return false;
    }
    if (visiting.has(key)) throw new Error(`module dependency cycle through ${key}`);
    visiting.add(key);
    let ok = true;
    for (const dependency of module.depends) ok = visit(dependency, key) && ok;
    visiting.delete(key);
    if (!ok) return false;
    done.add(key);
    order.push(key);
    return true;
  };
  for (const name of wanted) visit(moduleKey(name), null);
  return { order, skipped, missing };
}

// --- cpio (newc) ---------------------------------------------------------------------------------

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

/**
 * A newc ("070701") cpio archive of the entries, as the kernel unpacks an initramfs. Every entry is
 * owned by root with a fixed mtime, so the same input gives the same bytes.
 * Entries: { path, type: 'dir'|'file'|'symlink'|'char', mode?, data?, target?, major?, minor? }.
 */
export function cpioNewc(entries, mtime = 0) {
  const parts = [];
  let ino = 1;
  const pad = (length) => (length % 4 === 0 ? 0 : 4 - (length % 4));
  const push = (name, mode, data, nlink, rdevMajor = 0, rdevMinor = 0) => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf8');
    const fields = [ino++, mode, 0, 0, nlink, mtime, data.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0];
    const header = Buffer.from(`070701${fields.map((value) => value.toString(16).padStart(8, '0')).join('')}`, 'ascii');
    parts.push(header, nameBytes, Buffer.alloc(pad(header.length + nameBytes.length)), data, Buffer.alloc(pad(data.length)));
  };
  for (const entry of entries) {
    const name = entry.path.replace(/^\/+/, '');
    if (!name) continue;
    switch (entry.type) {
      case 'dir':
        push(name, S_IFDIR | (entry.mode ?? 0o755), Buffer.alloc(0), 2);
        break;
      case 'file':
        push(name, S_IFREG | (entry.mode ?? 0o644), Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data ?? ''), 1);
        break;
      case 'symlink':
        push(name, S_IFLNK | 0o777, Buffer.from(entry.target, 'utf8'), 1);
        break;
      case 'char':
        push(name, S_IFCHR | (entry.mode ?? 0o600), Buffer.alloc(0), 1, entry.major, entry.minor);
        break;
      default:
        throw new Error(`unknown cpio entry type ${entry.type} for ${entry.path}`);
    }
  }
  ino = 0;
  push('TRAILER!!!', 0, Buffer.alloc(0), 1);
  return Buffer.concat(parts);
}

/** Reads a newc archive back (for tests and checks): [{ name, mode, size, data, rdevMajor, rdevMinor }]. */
export function readCpioNewc(buffer) {
  const entries = [];
  let at = 0;
  const align = (n) => (n + 3) & ~3;
  while (at + 110 <= buffer.length) {
    const magic = buffer.toString('ascii', at, at + 6);
    if (magic !== '070701') throw new Error(`bad cpio magic at ${at}`);
    const field = (i) => parseInt(buffer.toString('ascii', at + 6 + i * 8, at + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const name = buffer.toString('utf8', at + 110, at + 110 + nameSize - 1);
    const dataAt = align(at + 110 + nameSize);
    if (name === 'TRAILER!!!') break;
    entries.push({
      name,
      mode,
      uid: field(2),
      gid: field(3),
      size,
      data: buffer.subarray(dataAt, dataAt + size),
      rdevMajor: field(9),
      rdevMinor: field(10),
    });
    at = align(dataAt + size);
  }
  return entries;
}

export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}
