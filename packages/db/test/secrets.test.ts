import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redactPowerParameters, type Actor } from '@metalyard/domain';
import { createApplication, type PowerDriver } from '@metalyard/usecases';
import { SecretBox, generateSecretKey } from '../src/secrets/secret-box.js';
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
    // The node stays readable; its secret, read, says the key cannot open it.
    const stale = await yard.app.nodes.get(node.systemId);
    expect(stale.powerParameters.address).toBe('127.0.0.1');
    expect(Object.keys(stale.powerParameters)).toEqual(['address', 'password']);
    expect(() => stale.powerParameters.password).toThrow(/cannot be decrypted/);
    // What needs the secret says why it cannot proceed: a power operation answers 409, naming it,
    // before any BMC is asked (the driver here fails the test if it is called).
    const app = createApplication({ uow: yard.db.uow, feed: yard.db.feed, power: { driverFor: () => validatingOnly } });
    const user = await app.users.create('operator', 'admin');
    await expect(app.power.control(node.systemId, 'query', { kind: 'user', user })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringMatching(/cannot be driven: a stored secret cannot be decrypted: METALYARD_SECRET_KEY/),
    });
    await yard.db.close();
    yard = await openYard({ url });
    expect((await yard.app.nodes.get(node.systemId)).powerParameters.password).toBe(SECRET);
  });
});

/** A driver that validates its parameters (reading each) and is never to be called. */
const notCalled = () => Promise.reject(new Error('the BMC must not be asked'));
const validatingOnly: PowerDriver = {
  parameters: { parse: (parameters) => ({ ...parameters }) },
  capabilitiesFor: () => ({ query: true, softOff: false, bootDevice: false, cycle: true }),
  powerOn: notCalled,
  powerOff: notCalled,
  softOff: notCalled,
  cycle: notCalled,
  query: notCalled,
  setBootDevice: notCalled,
};

describe('sealed secrets opened lazily', () => {
  /** A SecretBox that counts the secrets it decrypts. */
  class CountingBox extends SecretBox {
    opened = 0;
    override open(stored: string): string {
      this.opened += 1;
      return super.open(stored);
    }
  }

  it('decrypts a secret only when it is read, once, and masks it without reading it', () => {
    const box = new CountingBox(Buffer.from(generateSecretKey(), 'hex'));
    const stored = box.sealParameters({ address: '10.0.0.1', username: 'admin', password: SECRET, kgKey: 'k3y' });
    const lazy = box.lazyParameters(stored);
    expect(box.opened).toBe(0);
    expect(lazy.address).toBe('10.0.0.1');
    expect(redactPowerParameters(lazy)).toEqual({ address: '10.0.0.1', username: 'admin', password: '********', kgKey: '********' });
    expect(box.opened).toBe(0);
    expect(lazy.password).toBe(SECRET);
    expect(lazy.password).toBe(SECRET);
    expect(box.opened).toBe(1);
    // Read whole (a spread, a validation), it is what openParameters gives.
    expect({ ...lazy }).toEqual(box.openParameters(stored));
    expect(JSON.parse(JSON.stringify(lazy))).toEqual({ address: '10.0.0.1', username: 'admin', password: SECRET, kgKey: 'k3y' });
  });

  it('gives parameters without sealed secrets back as they are', () => {
    const box = new CountingBox(Buffer.from(generateSecretKey(), 'hex'));
    const plain = { address: '10.0.0.1', password: 'stored-before-sealing' };
    expect(box.lazyParameters(plain)).toBe(plain);
    expect(box.opened).toBe(0);
  });
});
