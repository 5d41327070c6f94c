import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '@metalyard/domain';
import { openYard, type Yard } from './yard.js';

const system: Actor = { kind: 'system', task: 'test' };
const SECRET = 'bmc-password-seen-nowhere';

let dir: string;
let yard: Yard | undefined;
afterEach(async () => {
  await yard?.db.close();
  yard = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Every byte of the SQLite files (the database and its write-ahead log). */
function fileBytes(url: string): string {
  return ['', '-wal']
    .map((suffix) => {
      try {
        return readFileSync(url + suffix).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}

describe('secret power parameters', () => {
  it('are sealed in the file, open for the use cases, and the key file is the owner’s alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'metalyard-secrets-'));
    const url = join(dir, 'metalyard.sqlite');
    yard = await openYard({ url });
    const { node } = await yard.app.nodes.enlist(
      {
        architecture: 'amd64/generic',
        macAddresses: ['02:00:00:00:aa:01'],
        powerType: 'ipmi',
        powerParameters: { address: '127.0.0.1', password: SECRET },
      },
      system,
    );
    expect((await yard.app.nodes.get(node.systemId)).powerParameters).toEqual({ address: '127.0.0.1', password: SECRET });
    expect(fileBytes(url)).not.toContain(SECRET);
    expect(fileBytes(url)).toContain('127.0.0.1');
    expect(statSync(join(dir, 'metalyard.key')).mode & 0o777).toBe(0o600);

    // Opened again with the same key file: the secret still opens.
    await yard.db.close();
    yard = await openYard({ url });
    expect((await yard.app.nodes.get(node.systemId)).powerParameters.password).toBe(SECRET);
  });

  it('rotate to a new key: the old key no longer opens them, the new one does', async () => {
    dir = mkdtempSync(join(tmpdir(), 'metalyard-secrets-'));
    const url = join(dir, 'metalyard.sqlite');
    yard = await openYard({ url });
    const { node } = await yard.app.nodes.enlist(
      {
        architecture: 'amd64/generic',
        macAddresses: ['02:00:00:00:aa:02'],
        powerType: 'ipmi',
        powerParameters: { address: '127.0.0.1', password: SECRET },
      },
      system,
    );
    const oldKey = readFileSync(join(dir, 'metalyard.key'), 'utf8');
    expect(await yard.db.rotateSecretKey()).toEqual({ changed: 1, keyFile: join(dir, 'metalyard.key'), newKey: null });
    expect(readFileSync(join(dir, 'metalyard.key'), 'utf8')).not.toBe(oldKey);
    expect((await yard.app.nodes.get(node.systemId)).powerParameters.password).toBe(SECRET);
    await yard.db.close();

    yard = await openYard({ url, secretKey: oldKey.trim() });
    await expect(yard.app.nodes.get(node.systemId)).rejects.toThrow(/cannot be decrypted/);
    await yard.db.close();
    yard = await openYard({ url });
    expect((await yard.app.nodes.get(node.systemId)).powerParameters.password).toBe(SECRET);
  });
});
