import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticAssetsHandler } from './static-assets.js';

/** A server answering 404 for whatever the handler leaves alone, as the real server does. */
function serve(directory: string): Promise<{ url: string; server: Server }> {
  const assets = createStaticAssetsHandler(directory);
  const server = createServer((req, res) => {
    if (!assets(req, res)) res.writeHead(404).end('not the app');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })),
  );
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** GET with the path and headers sent exactly as written (fetch would normalise `..` away and decompress). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const SCRIPT = `console.log(${JSON.stringify('metalyard '.repeat(200))})`;

let scratch: string;
let app: { url: string; server: Server };
let missing: { url: string; server: Server };
let later: { url: string; server: Server; dist: string };

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'metalyard-assets-'));
  const dist = join(scratch, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'index-Czp32SUW.js'), SCRIPT);
  // The copies the admin build writes (apps/admin/scripts/precompress.mjs), and a source map it no longer does.
  writeFileSync(join(dist, 'assets', 'index-Czp32SUW.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(dist, 'assets', 'index-Czp32SUW.js.gz'), gzipSync(SCRIPT));
  writeFileSync(join(dist, 'assets', 'index-Czp32SUW.js.map'), '{"version":3,"sources":["src/secret.ts"]}');
  writeFileSync(join(dist, 'assets', 'index-DDiWYcV1.css'), 'body{}');
  writeFileSync(join(scratch, 'secret.txt'), 'outside the app');
  app = await serve(dist);
  missing = await serve(join(scratch, 'no-build-here'));
  const laterDist = join(scratch, 'built-later');
  later = { ...(await serve(laterDist)), dist: laterDist };
});

afterAll(() => {
  app.server.close();
  missing.server.close();
  later.server.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the static-assets handler', () => {
  it('serves index.html at / without long caching', async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await response.text()).toContain('<title>app</title>');
  });

  it('serves hashed assets with their content type, cached for good', async () => {
    const script = await fetch(`${app.url}/assets/index-Czp32SUW.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe(SCRIPT);
    const style = await fetch(`${app.url}/assets/index-DDiWYcV1.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it("answers the app's own page paths with index.html, but not API paths or missing files", async () => {
    const page = await fetch(`${app.url}/machines/k3v9qa`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
    expect((await fetch(`${app.url}/trpc/protected.nodes.list`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(404);
    expect((await fetch(`${app.url}/assets/gone-12345678.js`)).status).toBe(404);
  });

  it('sends the precompressed copy the client accepts, brotli first, and says it varies', async () => {
    const path = '/assets/index-Czp32SUW.js';
    const brotli = await rawGet(app.url, path, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(brotli.headers['vary']).toBe('Accept-Encoding');
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(brotli.headers['content-length'])).toBeLessThan(SCRIPT.length / 4);
    expect(brotliDecompressSync(brotli.body).toString()).toBe(SCRIPT);

    const gzip = await rawGet(app.url, path, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const identity = await rawGet(app.url, path);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.toString()).toBe(SCRIPT);
  });

  it('answers 304 to a copy that is current, by ETag or by date, and 200 to an old one', async () => {
    const path = '/assets/index-Czp32SUW.js';
    const first = await rawGet(app.url, path);
    const etag = first.headers.etag!;
    const lastModified = first.headers['last-modified']!;
    expect(etag).toMatch(/^W\/"/);
    expect(Date.parse(lastModified)).not.toBeNaN();

    const byTag = await rawGet(app.url, path, { 'if-none-match': `"other", ${etag}` });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    expect(byTag.headers.etag).toBe(etag);
    expect(byTag.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const byDate = await rawGet(app.url, path, { 'if-modified-since': lastModified });
    expect(byDate.status).toBe(304);
    expect(byDate.body.length).toBe(0);
    const page = await rawGet(app.url, '/', { 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() });
    expect(page.status).toBe(304);
    expect(page.headers['cache-control']).toBe('no-cache');

    expect((await rawGet(app.url, path, { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status).toBe(200);
    // If-None-Match decides when both are sent.
    expect((await rawGet(app.url, path, { 'if-none-match': '"other"', 'if-modified-since': lastModified })).status).toBe(200);
  });

  it('never serves a source map', async () => {
    for (const path of ['/assets/index-Czp32SUW.js.map', '/assets/index-Czp32SUW.js.map.gz']) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('not the app');
    }
  });

  it('never serves a file outside its folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      expect((await rawGet(app.url, path)).body.toString(), path).not.toContain('outside the app');
    }
  });

  it('answers HEAD without a body and leaves other methods alone', async () => {
    const head = await fetch(`${app.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${app.url}/`, { method: 'POST' })).status).toBe(404);
  });

  it('does nothing when the folder has no build', async () => {
    const response = await fetch(`${missing.url}/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('not the app');
  });

  it('serves a build made after it started, and a new build in place of the old one', async () => {
    expect((await fetch(`${later.url}/`)).status).toBe(404);
    mkdirSync(join(later.dist, 'assets'), { recursive: true });
    writeFileSync(join(later.dist, 'index.html'), '<!doctype html><title>first</title>');
    writeFileSync(join(later.dist, 'assets', 'index-AAAAAAAA.js'), 'first()');
    utimesSync(join(later.dist, 'index.html'), new Date(1_000_000), new Date(1_000_000));
    expect(await (await fetch(`${later.url}/`)).text()).toContain('first');

    writeFileSync(join(later.dist, 'index.html'), '<!doctype html><title>second build</title>');
    writeFileSync(join(later.dist, 'assets', 'index-BBBBBBBB.js'), 'second()');
    expect(await (await fetch(`${later.url}/machines`)).text()).toContain('second build');
    expect(await (await fetch(`${later.url}/assets/index-BBBBBBBB.js`)).text()).toBe('second()');
  });
});
