import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageFolder } from './images.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'metalyard-images-'));
  dirs.push(dir);
  return dir;
}

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('the images folder', () => {
  it('lists NAME.img and NAME.raw files as NAME with their size and SHA-256, and nothing else', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'b.raw'), 'raw bytes');
    writeFileSync(join(dir, 'a.img'), 'image bytes');
    writeFileSync(join(dir, 'a.raw'), 'shadowed by a.img');
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    writeFileSync(join(dir, '.hidden.img'), 'not listed either');
    const images = new ImageFolder(dir);
    expect(await images.list()).toEqual([
      { name: 'a', sizeBytes: 11, sha256: sha('image bytes') },
      { name: 'b', sizeBytes: 9, sha256: sha('raw bytes') },
    ]);
    expect(await images.get('b.raw')).toEqual({ name: 'b', sizeBytes: 9, sha256: sha('raw bytes') });
  });

  it('keeps the hash in a sha256sum sidecar, reads it back, and computes it anew when the file changes', async () => {
    const dir = folder();
    const path = join(dir, 'disk.img');
    writeFileSync(path, 'first');
    await new ImageFolder(dir).get('disk');
    const sidecar = readFileSync(`${path}.sha256`, 'utf8');
    expect(sidecar.split('\n')[0]).toBe(`${sha('first')}  disk.img`);

    // A fresh process trusts a sidecar that matches the file's size and time (here: a planted one)…
    const planted = sidecar.replace(sha('first'), 'f'.repeat(64));
    writeFileSync(`${path}.sha256`, planted);
    expect((await new ImageFolder(dir).get('disk'))?.sha256).toBe('f'.repeat(64));

    // …and not one for another version of the file.
    writeFileSync(path, 'second!');
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));
    expect(await new ImageFolder(dir).get('disk')).toEqual({ name: 'disk', sizeBytes: 7, sha256: sha('second!') });
  });

  it('knows no image outside the folder, and a missing folder holds none', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'x.img'), 'x');
    const images = new ImageFolder(dir);
    expect(await images.get('x')).toMatchObject({ name: 'x' });
    expect(await images.get('../x.img')).toBeNull();
    expect(await images.get('missing')).toBeNull();
    expect(await images.fileOf('../../etc/passwd')).toBeNull();
    expect(await new ImageFolder(join(dir, 'nope')).list()).toEqual([]);
  });
});
