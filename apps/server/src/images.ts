import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IMAGE_EXTENSIONS, IMAGE_FILE_PATTERN, imageNameOf, type DiskImage } from '@metalyard/domain';
import type { ImageCatalog } from '@metalyard/usecases';

interface Known extends DiskImage {
  file: string;
  mtimeMs: number;
}

/** The SHA-256 of a file, streamed (images are large). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * The images folder (METALYARD_IMAGES_DIR): every `NAME.img` / `NAME.raw` file in it is the image
 * NAME (`.img` first when both exist). Its SHA-256 is computed once and kept in memory and in a
 * `NAME.img.sha256` sidecar beside it (`sha256sum -c` reads it; a `# size=… mtimeMs=…` line says which
 * version of the file it is for), and computed anew when the file's size or modification time
 * changes. A folder that does not exist holds no images; a read-only one only loses the sidecars.
 */
export class ImageFolder implements ImageCatalog {
  private readonly known = new Map<string, Known>();
  private readonly hashing = new Map<string, Promise<Known>>();

  constructor(readonly dir: string) {}

  /** The image's file and its size, or null (the name is checked first: no folders). */
  async fileOf(name: string): Promise<{ path: string; file: string; size: number; mtimeMs: number } | null> {
    const image = imageNameOf(name);
    if (image === null) return null;
    for (const extension of IMAGE_EXTENSIONS) {
      const file = `${image}.${extension}`;
      const path = join(this.dir, file);
      try {
        const info = await stat(path);
        if (info.isFile()) return { path, file, size: info.size, mtimeMs: info.mtimeMs };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
      }
    }
    return null;
  }

  async list(): Promise<DiskImage[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const names = [...new Set(files.map((file) => IMAGE_FILE_PATTERN.exec(file)?.[1]).filter((name) => name !== undefined))].sort();
    const images: DiskImage[] = [];
    for (const name of names) {
      const image = await this.get(name);
      if (image) images.push(image);
    }
    return images;
  }

  async get(name: string): Promise<DiskImage | null> {
    const found = await this.fileOf(name);
    if (!found) return null;
    const image = imageNameOf(found.file)!;
    const cached = this.known.get(image);
    if (cached && cached.file === found.file && cached.sizeBytes === found.size && cached.mtimeMs === found.mtimeMs) return view(cached);
    const key = `${found.file}\0${found.size}\0${found.mtimeMs}`;
    let pending = this.hashing.get(key);
    if (!pending) {
      pending = this.identify(image, found.file, found.path, found.size, found.mtimeMs).finally(() => this.hashing.delete(key));
      this.hashing.set(key, pending);
    }
    const known = await pending;
    this.known.set(image, known);
    return view(known);
  }

  private async identify(name: string, file: string, path: string, sizeBytes: number, mtimeMs: number): Promise<Known> {
    const sidecar = `${path}.sha256`;
    const stamp = `# size=${sizeBytes} mtimeMs=${mtimeMs}`;
    try {
      const [line, mark] = (await readFile(sidecar, 'utf8')).split('\n');
      const sha256 = /^([0-9a-f]{64}) {2}/.exec(line ?? '')?.[1];
      if (sha256 && mark === stamp) return { name, file, sizeBytes, sha256, mtimeMs };
    } catch {
      // No sidecar yet (or an unreadable one): compute it.
    }
    const sha256 = await sha256File(path);
    try {
      await writeFile(sidecar, `${sha256}  ${file}\n${stamp}\n`);
    } catch {
      // A read-only images folder: the hash stays in memory only.
    }
    return { name, file, sizeBytes, sha256, mtimeMs };
  }
}

function view(known: Known): DiskImage {
  return { name: known.name, sizeBytes: known.sizeBytes, sha256: known.sha256 };
}
