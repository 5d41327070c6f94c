import { createReadStream, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names built assets `name-HASH.ext`: their content never changes under that name. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
/** Paths the app must never answer with index.html. */
const API_PATH = /^\/(trpc|healthz|api|openapi\.json|docs)(\/|$)/;

/** Handles a request when it is for the app's files; false when it is someone else's to answer. */
export type StaticAssetsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

function fileAt(path: string): Stats | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

/** The file a URL path names inside `root`, or null when it is malformed or escapes `root`. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const file = resolve(root, `.${decoded}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

function send(req: IncomingMessage, res: ServerResponse, file: string, stats: Stats, cacheControl: string): void {
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stats.size,
    'cache-control': cacheControl,
    'last-modified': stats.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  };
  if (file.endsWith('.html')) {
    headers['content-security-policy'] =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    headers['referrer-policy'] = 'no-referrer';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/**
 * Serves a built single-page app (the admin app's `dist`) at `/`: its files with their content
 * types, hashed assets cached for good, and index.html for any other page path so the app's own
 * routes survive a reload. Paths outside the folder, API paths and missing files with an extension
 * are left to the caller (the handler returns false), as is everything when the folder has no build.
 */
export function createStaticAssetsHandler(directory: string | URL): StaticAssetsHandler {
  const root = resolve(typeof directory === 'string' ? directory : fileURLToPath(directory));
  const index = join(root, 'index.html');
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (API_PATH.test(path)) return false;
    const file = path === '/' ? index : resolveInside(root, path);
    if (file === null) return false;
    const stats = fileAt(file);
    if (stats) {
      const immutable = HASHED_ASSET.test(path);
      send(req, res, file, stats, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return true;
    }
    // A page of the app (no extension): index.html, whose script reads the route.
    if (extname(path) !== '') return false;
    const indexStats = fileAt(index);
    if (!indexStats) return false;
    send(req, res, index, indexStats, 'no-cache');
    return true;
  };
}
