import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { appRouter, createContext, type Services } from '@metalyard/api';
import { isDomainError } from '@metalyard/domain';
import { describeError, type Logger } from './logger.js';
import { createStaticAssetsHandler } from './static-assets.js';
import { createLazyOpenApiRoutes } from './openapi-lazy.js';

export interface HttpServerOptions {
  services: Services;
  logger: Logger;
  maxBodyBytes: number;
  /** At most this many calls in one batched request. */
  maxBatch: number;
  /** The admin app's build folder, served at / */
  adminDir?: string;
  /** Facts for /healthz (no secrets). */
  health: () => Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An error in tRPC's wire shape, for the few refusals made before tRPC sees the request. */
function sendError(res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): void {
  sendJson(res, status, { error: { message, code: -32600, data: { code, httpStatus: status } } }, headers);
}

/**
 * Lets a refused body drain into nothing so the client can read the answer instead of a reset,
 * but cuts the connection once it has sent a few more megabytes or taken more than a few seconds.
 */
function discardBody(req: IncomingMessage): void {
  let drained = 0;
  const cut = setTimeout(() => req.socket.destroy(), 5_000);
  cut.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > 8 * 1024 * 1024) req.socket.destroy();
  });
  req.once('end', () => clearTimeout(cut));
  req.once('close', () => clearTimeout(cut));
}

/**
 * The HTTP front: tRPC at /trpc (no transformer, batching on), /healthz, and early refusals
 * (oversized bodies) that must not reach the router.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { services, logger, maxBodyBytes } = options;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: maxBodyBytes,
    allowBatching: true,
    maxBatchSize: options.maxBatch,
    createContext: ({ req, info }) =>
      createContext({
        services,
        authorization: req.headers.authorization,
        remoteAddress: req.socket.remoteAddress,
        connectionParams: info.connectionParams,
      }),
    responseMeta: ({ errors }) => {
      // A rate-limited caller learns when to come back.
      const retryAfter = errors
        .map((error) => (isDomainError(error.cause) ? error.cause.details?.retryAfter : undefined))
        .find((value): value is number => typeof value === 'number');
      return retryAfter ? { headers: { 'retry-after': String(retryAfter) } } : {};
    },
    onError: ({ error, path, type }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error('procedure failed', { path, type, ...describeError(error.cause ?? error) });
      }
    },
  });

  const openApi = createLazyOpenApiRoutes({ services, maxBodyBytes, logger: options.logger });
  const adminApp = options.adminDir ? createStaticAssetsHandler(options.adminDir) : () => false;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'METHOD_NOT_SUPPORTED', 'use GET');
      return sendJson(res, 200, { status: 'ok', ...options.health() });
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBodyBytes) {
        // Refuse before reading: the body is never buffered or parsed.
        sendError(res, 413, 'PAYLOAD_TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${maxBodyBytes}`);
        discardBody(req);
        return;
      }
      // curl's -d sends form encoding by default; the API speaks JSON only, so read it as JSON.
      const type = req.headers['content-type'];
      if (req.method === 'POST' && (!type || type.startsWith('application/x-www-form-urlencoded'))) {
        req.headers['content-type'] = 'application/json';
      }
      return void trpc(req, res);
    }
    if (openApi(req, res)) return;
    if (adminApp(req, res)) return;
    sendError(res, 404, 'NOT_FOUND', `no route for ${path}: the API is at /trpc and /api/v1 (see /docs), health at /healthz`);
  });
  // A slow client cannot hold a connection forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
