import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

let scratch: string;
let app: { url: string; server: Server };
let missing: { url: string; server: Server };

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'metalyard-assets-'));
  const dist = join(scratch, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'assets', 'index-Czp32SUW.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-DDiWYcV1.css'), 'body{}');
  writeFileSync(join(scratch, 'secret.txt'), 'outside the app');
  app = await serve(dist);
  missing = await serve(join(scratch, 'no-build-here'));
});

afterAll(() => {
  app.server.close();
  missing.server.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the static-assets handler', () => {
  it('serves index.html at / without long caching', async () => {
    const response = await fetch(`${app.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<title>app</title>');
  });

  it('serves hashed assets with their content type, cached for good', async () => {
    const script = await fetch(`${app.url}/assets/index-Czp32SUW.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('console.log(1)');
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

  it('never serves a file outside its folder', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt']) {
      expect(await rawGet(app.url, path), path).not.toContain('outside the app');
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
});
