import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isSecretParameter, type PowerParameters } from '@metalyard/domain';

const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;

/** Whether a parameter is a secret stored sealed (not one stored before secrets were sealed). */
const isSealedSecret = (key: string, value: string) => isSecretParameter(key) && value.startsWith(PREFIX);

/**
 * Secrets at rest (BMC passwords and other secret power parameters): AES-256-GCM through node:crypto,
 * each value with its own random nonce, stored as `enc:v1:<nonce>.<tag>.<ciphertext>` (base64url).
 * The database never holds them in clear; the use cases see them decrypted, the API never shows them.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`a secret key is ${KEY_BYTES} bytes, not ${key.length}`);
  }

  seal(plain: string): string {
    if (plain.startsWith(PREFIX)) return plain;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${nonce.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** The clear value; a value stored before secrets were sealed comes back as it is. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [nonce, tag, sealed] = stored.slice(PREFIX.length).split('.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce ?? '', 'base64url'));
      decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed ?? '', 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new Error('a stored secret cannot be decrypted: METALYARD_SECRET_KEY (or the key file) is not the key it was sealed with', {
        cause: error,
      });
    }
  }

  sealParameters(parameters: PowerParameters): PowerParameters {
    return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, isSecretParameter(key) ? this.seal(value) : value]));
  }

  openParameters(parameters: PowerParameters): PowerParameters {
    return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, isSecretParameter(key) ? this.open(value) : value]));
  }

  /**
   * The parameters as `openParameters` gives them, each sealed secret decrypted when it is first
   * read (then kept): most reads of a node never look at its BMC password — every answer masks it —
   * and decrypting one took 5 µs, a third of a page of 100 BMC-driven nodes. A proxy over the stored
   * object (one handler for all of them): keys, spreads, JSON and validation see what
   * `openParameters` gives; nothing is decrypted until a secret's value is read. A secret that the
   * key cannot open throws when it is read, not when the node is: the node stays readable, and what
   * needs the secret (a power operation) says why it cannot proceed.
   */
  lazyParameters(parameters: PowerParameters): PowerParameters {
    const sealed = Object.entries(parameters).some(([key, value]) => isSealedSecret(key, value));
    return sealed ? new Proxy({ ...parameters }, this.opening) : parameters;
  }

  /** Opens a sealed secret as it is read, and keeps the clear value in its place. */
  private readonly opening: ProxyHandler<PowerParameters> = {
    get: (target, key, receiver) => {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || typeof value !== 'string' || !isSealedSecret(key, value)) return value;
      const plain = this.open(value);
      target[key] = plain;
      return plain;
    },
  };

  /** Whether any secret of `parameters` is still stored in clear. */
  static holdsClearSecrets(parameters: PowerParameters): boolean {
    return Object.entries(parameters).some(([key, value]) => isSecretParameter(key) && value !== '' && !value.startsWith(PREFIX));
  }
}

/** A fresh random key, as 64 hex characters. */
export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

/** A key given as 64 hex characters or 43/44 base64 ones. */
export function parseSecretKey(text: string, source: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== KEY_BYTES)
    throw new Error(`${source} must be ${KEY_BYTES} random bytes: 64 hex characters (try: openssl rand -hex 32)`);
  return key;
}

export interface SecretKeySource {
  /** METALYARD_SECRET_KEY, when set. */
  env?: string | undefined;
  /** Where the key file lives (created with mode 0600 at first start); null: keep an ephemeral key (an in-memory database). */
  keyFile: string | null;
}

/** The key secrets are sealed with: the environment's, else the key file's (created when missing). */
export function loadSecretKey(source: SecretKeySource): Buffer {
  if (source.env?.trim()) return parseSecretKey(source.env, 'METALYARD_SECRET_KEY');
  if (source.keyFile === null) return Buffer.from(generateSecretKey(), 'hex');
  if (existsSync(source.keyFile)) return parseSecretKey(readFileSync(source.keyFile, 'utf8'), `the key file ${source.keyFile}`);
  writeKeyFile(source.keyFile, generateSecretKey());
  return parseSecretKey(readFileSync(source.keyFile, 'utf8'), `the key file ${source.keyFile}`);
}

/** Writes a key file readable by its owner only, atomically (a crash leaves the old key or the new one). */
export function writeKeyFile(path: string, key: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${key}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
