/** One HTTP(S) request with JSON, a per-request TLS verification switch, the caller's signal and a bounded answer. */
import http from 'node:http';
import https from 'node:https';
import { PowerDriverError } from './driver.js';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST' | 'PATCH';
  signal: AbortSignal;
  verifyTls: boolean;
  /** JSON-encoded when not a string. */
  body?: unknown;
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
  /** Default 1 MiB. */
  maxBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Where a request went, safe to show: no credentials, no query string (which may carry a token). */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

function classify(error: NodeJS.ErrnoException, url: string): PowerDriverError {
  const where = safeUrl(url);
  const code = error.code ?? '';
  if (TLS_CODES.has(code)) {
    return new PowerDriverError(
      'config',
      `the TLS certificate of ${new URL(url).origin} is not trusted (${code}); for a BMC with a self-signed certificate set verifyTls=false`,
    );
  }
  if (UNREACHABLE.has(code)) return new PowerDriverError('unreachable', `no connection to ${where} (${code})`);
  if (code.startsWith('ERR_SSL') || /SSL|TLS/.test(error.message)) {
    return new PowerDriverError('protocol', `TLS handshake with ${where} failed (${code || 'TLS error'})`);
  }
  return new PowerDriverError('protocol', `request to ${where} failed (${code || error.name})`);
}

export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url, signal, maxBytes = 1024 * 1024 } = request;
  const started = performance.now();
  const aborted = () =>
    new PowerDriverError(
      'timeout',
      `${request.method} ${safeUrl(url)}: no answer before the deadline (stopped after ${Math.round(performance.now() - started)} ms)`,
    );
  if (signal.aborted) return Promise.reject(aborted());
  const parsed = new URL(url);
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  } else if (request.method !== 'GET') headers['content-length'] = '0';
  if (request.basicAuth) {
    const { username, password } = request.basicAuth;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  const options: https.RequestOptions = { method: request.method, headers, agent: false };
  if (parsed.protocol === 'https:') options.rejectUnauthorized = request.verifyTls;
  const transport = parsed.protocol === 'https:' ? https : http;

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const req = transport.request(parsed, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          req.destroy();
          finish(() => reject(new PowerDriverError('protocol', `${safeUrl(url)} answered more than ${maxBytes} bytes; stopped`)));
        } else chunks.push(chunk);
      });
      res.on('error', (error) => finish(() => reject(classify(error, url))));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json }));
      });
    });
    const onAbort = () => {
      req.destroy();
      finish(() => reject(aborted()));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => finish(() => reject(classify(error, url))));
    req.end(body);
  });
}
