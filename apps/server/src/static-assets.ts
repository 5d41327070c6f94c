import { statSync } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names built assets `name-HASH.ext`: their content never changes under that name. */
const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
/** Paths the app must never answer with index.html. */
const API_PATH = /^\/(trpc|healthz|api|openapi\.json|docs)(\/|$)/;
/** Source maps (and their precompressed copies) are never served: they would publish the app's sources. */
const SOURCE_MAP = /\.map(\.gz|\.br)?$/i;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Handles a request when it is for the app's files; false when it is someone else's to answer. */
export type StaticAssetsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The headers every answer of the app carries, set before sirv writes its own (ours win). */
function setHeaders(res: ServerResponse, pathname: string): void {
  // A page path without an extension is answered with index.html (the SPA fallback).
  const extension = extname(pathname).toLowerCase() || '.html';
  const type = CONTENT_TYPES[extension];
  if (type) res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', HASHED_ASSET.test(pathname) ? IMMUTABLE : 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (extension === '.html') {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('Referrer-Policy', 'no-referrer');
  }
}

const sameTag = (a: string, b: string) => a.replace(/^W\//, '') === b.replace(/^W\//, '');

/** RFC 9110 §13.1: If-None-Match wins over If-Modified-Since; either may make the stored copy current. */
function isNotModified(ifNoneMatch: string | undefined, ifModifiedSince: string | undefined, headers: OutgoingHttpHeaders): boolean {
  const etag = headers.etag === undefined ? undefined : String(headers.etag);
  if (ifNoneMatch !== undefined) {
    if (!etag) return false;
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || sameTag(tag.trim(), etag));
  }
  const lastModified = headers['last-modified'] === undefined ? NaN : Date.parse(String(headers['last-modified']));
  const since = ifModifiedSince === undefined ? NaN : Date.parse(ifModifiedSince);
  return !Number.isNaN(lastModified) && !Number.isNaN(since) && lastModified <= since;
}

/**
 * Conditional requests, answered from the headers sirv is about to send: a 304 with the validators
 * and caching headers and no body. sirv itself compares only an exact If-None-Match, and ignores
 * If-Modified-Since.
 */
function answerConditionally(req: IncomingMessage, res: ServerResponse): void {
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifNoneMatch === undefined && ifModifiedSince === undefined) return;
  delete req.headers['if-none-match'];
  delete req.headers['if-modified-since'];
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  res.writeHead = ((status: number, headers: OutgoingHttpHeaders = {}) => {
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    if (status !== 200 || !isNotModified(ifNoneMatch, ifModifiedSince, lower)) return writeHead(status, headers);
    // No body follows a 304: what sirv then streams is dropped by Node.
    res.removeHeader('Content-Type');
    return writeHead(304, { ETag: lower.etag, 'Last-Modified': lower['last-modified'] });
  }) as typeof res.writeHead;
}

type Serve = ReturnType<typeof sirv>;

/**
 * Serves a built single-page app (the admin app's `dist`) at `/`, through sirv: each file with its
 * content type, its brotli or gzip copy made at build time when the client accepts one (`Vary:
 * Accept-Encoding`), ETag and Last-Modified with 304 answers, hashed assets cached for good,
 * index.html revalidated every time (`no-cache`), and index.html for any other page path so the
 * app's own routes survive a reload. Source maps, paths outside the folder, API paths and missing
 * files with an extension are left to the caller (the handler returns false), as is everything when
 * the folder has no build. sirv lists the folder once; a new build (a new index.html) is listed anew.
 */
export function createStaticAssetsHandler(directory: string | URL): StaticAssetsHandler {
  const root = resolve(typeof directory === 'string' ? directory : fileURLToPath(directory));
  const index = join(root, 'index.html');
  let listed: { build: number; serve: Serve } | null = null;

  const current = (): Serve | null => {
    let build: number;
    try {
      build = statSync(index).mtimeMs;
    } catch {
      return null;
    }
    if (listed?.build !== build) {
      const serve = sirv(root, { dev: false, etag: true, brotli: true, gzip: true, single: true, setHeaders });
      listed = { build, serve };
    }
    return listed.serve;
  };

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (API_PATH.test(path) || SOURCE_MAP.test(path)) return false;
    const serve = current();
    if (!serve) return false;
    let handled = true;
    answerConditionally(req, res);
    // sirv looks the path up in its listing synchronously, and calls next() when it has no file for it.
    serve(req, res, () => {
      handled = false;
    });
    return handled;
  };
}
