import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * /docs: the API reference, rendered by Scalar (`@scalar/api-reference`) from /openapi.json —
 * markdown descriptions, schemas, and a client that tries calls with a bearer token. Its standalone
 * bundle is served from here, at a versioned path, compressed once; the page loads nothing from
 * elsewhere (its Content-Security-Policy says so to the browser): no fonts, no telemetry, no proxy.
 */

const require = createRequire(import.meta.url);
/** The package exports no path to its browser bundle: it sits beside its entry point. */
const PACKAGE_DIR = join(dirname(require.resolve('@scalar/api-reference')), '..');
const VERSION = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;

export const DOCS_SCRIPT = `/docs/scalar-api-reference-${VERSION}.js`;
const INIT_SCRIPT = '/docs/init.js';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Metalyard API reference</title>
</head>
<body>
<noscript>The reference needs JavaScript; the document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="reference"></div>
<script src="${DOCS_SCRIPT}"></script>
<script src="${INIT_SCRIPT}"></script>
</body>
</html>
`;

// Not id="api-reference": the bundle mounts an unconfigured reference of its own on that element.
/** Scalar's configuration: the document, the bearer scheme for "Test request", and nothing from outside. */
const CONFIGURATION = {
  url: '/openapi.json',
  authentication: { preferredSecurityScheme: 'bearer' },
  persistAuth: false,
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
};

const INIT = `// Renders /openapi.json with Scalar's standalone bundle (${DOCS_SCRIPT}).
window.Scalar.createApiReference('#reference', ${JSON.stringify(CONFIGURATION, null, 2)});
`;

/** The page may run only its own scripts, call only this server, and load no font, style or image from elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

interface Bundle {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
  etag: string;
}

let bundle: Promise<Bundle> | undefined;

/** The standalone bundle, read and compressed once, on the first request for it. */
function loadBundle(): Promise<Bundle> {
  bundle ??= (async () => {
    const source = readFileSync(join(PACKAGE_DIR, 'dist', 'browser', 'standalone.js'), 'utf8');
    // Its source map is not served: the comment would only make browsers ask for it.
    const identity = Buffer.from(source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    const [br, gz] = await Promise.all([
      promisify(brotliCompress)(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }),
      promisify(gzip)(identity, { level: 9 }),
    ]);
    return { identity, br, gzip: gz, etag: `"scalar-${VERSION}"` };
  })();
  return bundle;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string | number>, body?: Buffer | string) {
  res.writeHead(status, body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function sendBundle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { identity, br, gzip: gz, etag } = await loadBundle();
  const headers = {
    'content-type': 'text/javascript; charset=utf-8',
    // The path names the version: what it serves never changes.
    'cache-control': 'public, max-age=31536000, immutable',
    etag,
    vary: 'Accept-Encoding',
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) return send(req, res, 304, headers);
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return send(req, res, 200, { ...headers, 'content-encoding': 'br' }, br);
  if (/\bgzip\b/.test(accepted)) return send(req, res, 200, { ...headers, 'content-encoding': 'gzip' }, gz);
  send(req, res, 200, headers, identity);
}

/** Answers /docs, its script and its bundle; false for any other path. */
export function handleDocs(req: IncomingMessage, res: ServerResponse, path: string): boolean {
  if (path !== '/docs' && path !== '/docs/' && path !== INIT_SCRIPT && path !== DOCS_SCRIPT) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(req, res, 405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'use GET\n');
    return true;
  }
  if (path === DOCS_SCRIPT) {
    sendBundle(req, res).catch(() => {
      if (!res.headersSent) send(req, res, 500, { 'content-type': 'text/plain; charset=utf-8' }, 'the viewer bundle is unavailable\n');
      else res.destroy();
    });
    return true;
  }
  const common = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  if (path === INIT_SCRIPT) {
    send(req, res, 200, { ...common, 'content-type': 'text/javascript; charset=utf-8' }, INIT);
    return true;
  }
  send(
    req,
    res,
    200,
    {
      ...common,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'referrer-policy': 'no-referrer',
    },
    PAGE,
  );
  return true;
}
