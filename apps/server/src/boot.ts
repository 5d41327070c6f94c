import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DOMAIN_ERRORS, type RateLimiter } from '@metalyard/api';
import { isDomainError, normalizeMac, retryAfterOf } from '@metalyard/domain';
import type { Application, BootEnvironment } from '@metalyard/usecases';
import type { ImageFolder } from './images.js';
import { describeError, type Logger } from './logger.js';

/**
 * Network boot over HTTP (docs/boot.md): the iPXE scripts, the boot environment's kernel and
 * initrd (what `pnpm boot-image` builds), and the disk images, for a deploying machine's token only.
 *
 *   GET /boot/ipxe              → a script that chains to /boot/ipxe?mac=<the booting NIC's MAC>
 *   GET /boot/ipxe?mac=MAC      → the script for that machine's state (an event on its node)
 *   GET /boot/vmlinuz, /boot/initrd.img
 *   GET /boot/images/NAME       → the image (Authorization: Bearer <the node's current token>)
 */
export interface BootRoutesOptions {
  app: Application;
  /** METALYARD_BOOT_URL; null: the request's Host. */
  bootUrl: string | null;
  bootDir: string;
  images: ImageFolder;
  console: string;
  anonymousLimiter: RateLimiter | null;
  logger: Logger;
  /** The client's address (after the trusted-proxy rule); default: the socket peer. */
  clientAddressOf?: (req: IncomingMessage) => string;
}

const BOOT_FILES: Record<string, string> = { '/boot/vmlinuz': 'vmlinuz', '/boot/initrd.img': 'initrd.img' };

/** The first script every machine gets: ask again with the MAC of the interface that booted. */
export function chainScript(base: string): string {
  return [
    '#!ipxe',
    '# Metalyard: ask for this machine’s boot script by the MAC of the interface iPXE booted from',
    'isset ${netX/mac} || dhcp || goto failed',
    `chain --autofree ${base}/boot/ipxe?mac=\${netX/mac} || goto failed`,
    ':failed',
    'echo Metalyard: could not reach the boot server, booting from the local disk',
    'sanboot --no-describe --drive 0x80 || exit',
    '',
  ].join('\n');
}

/** BOOTIF as pxelinux passes it: 01-aa-bb-cc-dd-ee-ff (01: Ethernet). */
export function bootIf(mac: string): string {
  return `01-${mac.replaceAll(':', '-')}`;
}

/** The script for one machine: the agent's environment with the step, or its local disk. */
export function machineScript(base: string, mac: string, environment: BootEnvironment, consoleName: string, about: string): string {
  if (environment === 'local') {
    return ['#!ipxe', `# Metalyard: ${about}: boot from the local disk`, 'sanboot --no-describe --drive 0x80 || exit', ''].join('\n');
  }
  const cmdline = `initrd=initrd.img metalyard.url=${base} metalyard.env=${environment} BOOTIF=${bootIf(mac)} console=${consoleName}`;
  return [
    '#!ipxe',
    `# Metalyard: ${about}: the ${environment} environment`,
    `kernel ${base}/boot/vmlinuz ${cmdline} || goto failed`,
    `initrd --name initrd.img ${base}/boot/initrd.img || goto failed`,
    'boot || goto failed',
    ':failed',
    'echo Metalyard: the boot environment could not be loaded (has pnpm boot-image been run on the server?)',
    'sleep 30',
    'reboot',
    '',
  ].join('\n');
}

/** A Host header that can be put in a script as it is (a name or address and a port), or null. */
function safeHost(host: string | undefined): string | null {
  return host && /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/.test(host) ? host : null;
}

/** The URL machines reach this server at: METALYARD_BOOT_URL, or the request's Host, or where it listens. */
export function baseUrlOf(req: IncomingMessage, bootUrl: string | null): string {
  if (bootUrl) return bootUrl;
  const host = safeHost(req.headers.host) ?? safeHost(`${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 80}`);
  return `http://${host ?? '127.0.0.1'}`;
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Streams a file with its Content-Length (HEAD: the headers only). */
async function sendFile(req: IncomingMessage, res: ServerResponse, path: string, size: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size, 'cache-control': 'no-store' });
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((resolve) => {
    const stream = createReadStream(path);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    res.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(res);
  });
}

function bearer(req: IncomingMessage): string | null {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{8,512})$/.exec(req.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/** The /boot routes: true when the request was one of them (answered, or being answered). */
export function createBootRoutes(options: BootRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { app, logger } = options;

  async function handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const address = options.clientAddressOf?.(req) ?? req.socket.remoteAddress ?? 'unknown';
    const base = baseUrlOf(req, options.bootUrl);
    if (path === '/boot/ipxe') {
      const raw = query.get('mac');
      if (raw === null) return sendText(res, 200, chainScript(base));
      options.anonymousLimiter?.take(address);
      const mac = normalizeMac(raw);
      if (!mac) return sendText(res, 400, `'${raw.slice(0, 40)}' is not a MAC address\n`);
      const { environment, node } = await app.boot.decide(mac, address);
      const about = node ? `node ${node.systemId} (${node.status})` : `unknown machine ${mac}`;
      logger.info('boot', { mac, environment, systemId: node?.systemId ?? null, address });
      return sendText(res, 200, machineScript(base, mac, environment, options.console, about));
    }
    const file = BOOT_FILES[path];
    if (file) {
      const full = join(options.bootDir, file);
      const info = await stat(full).catch(() => null);
      if (!info?.isFile()) {
        return sendText(
          res,
          503,
          `${file} is not in the boot folder (METALYARD_BOOT_DIR): run pnpm boot-image on the server to build the boot environment\n`,
          { 'retry-after': '60' },
        );
      }
      return sendFile(req, res, full, info.size);
    }
    if (path.startsWith('/boot/images/')) {
      const name = decodeURIComponent(path.slice('/boot/images/'.length));
      const image = await app.boot.authorizeImage(bearer(req), name, address);
      const found = await options.images.fileOf(image.name);
      if (!found) return sendText(res, 404, `image '${image.name}' is gone from the images folder\n`);
      return sendFile(req, res, found.path, found.size);
    }
    sendText(res, 404, `no boot route ${path}: /boot/ipxe, /boot/vmlinuz, /boot/initrd.img, /boot/images/NAME\n`);
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://boot');
    if (url.pathname !== '/boot' && !url.pathname.startsWith('/boot/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'use GET\n', { allow: 'GET, HEAD' });
      return true;
    }
    handle(req, res, url.pathname, url.searchParams).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (isDomainError(error)) {
        const status = DOMAIN_ERRORS[error.kind].status;
        const retryAfter = retryAfterOf(error);
        return sendText(res, status, `${error.message}\n`, retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {});
      }
      logger.error('boot route failed', { path: url.pathname, ...describeError(error) });
      sendText(res, 500, 'internal server error\n');
    });
    return true;
  };
}
