import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import {
  appRouter,
  createContext,
  errorHeaders,
  requestFacts,
  setAmbientRequestId,
  type RateLimiter,
  type RequestFacts,
} from '@metalyard/api';
import type { Application } from '@metalyard/usecases';
import { TrustedProxies } from './client-address.js';
import type { MetricsAccess } from './config.js';
import { describeError, scrubSecrets, type Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { createStaticAssetsHandler } from './static-assets.js';
import { createLazyOpenApiRoutes } from './openapi-lazy.js';
import { baseUrlOf, createBootRoutes, type BootRoutesOptions } from './boot.js';
import { createDirectTrpcCalls } from './trpc-direct.js';

export interface HttpServerOptions {
  app: Application;
  /** The anonymous door's limit per client address (none: unlimited). */
  anonymousLimiter: RateLimiter | null;
  logger: Logger;
  maxBodyBytes: number;
  /** At most this many calls in one batched request. */
  maxBatch: number;
  /** The admin app's build folder, served at / */
  adminDir?: string;
  /** Facts for /healthz (no secrets). */
  health: () => Record<string, unknown>;
  /** The network boot routes (/boot/...); none: not served. */
  boot?: Omit<BootRoutesOptions, 'app' | 'anonymousLimiter' | 'logger' | 'clientAddressOf'>;
  /** Whose X-Forwarded-For / Forwarded to believe (none: the socket peer is the client). */
  trustedProxies?: TrustedProxies;
  /** Counted requests and refusals, served at /metrics. */
  metrics?: Metrics;
  /** Who may read /metrics (default: loopback clients). */
  metricsAccess?: MetricsAccess;
  /** With metricsAccess=token: a token that reads /metrics besides an admin's bearer token. */
  metricsToken?: string | null;
}

/** What the server knows of one request while it runs: its id, the client, what it reached. */
export interface RequestScope {
  id: string;
  clientAddress: string;
  facts: RequestFacts;
  /** A route that is not a procedure (/healthz, /metrics, static files), for the log and metrics. */
  route: string | null;
  /** Set for a request refused or failed, for the log: what the refusal said. */
  refusal?: string;
}

const scopes = new WeakMap<IncomingMessage, RequestScope>();

/** The request being handled, for errors tRPC shapes before it has made a context (no ctx to read the id from). */
const current = new AsyncLocalStorage<RequestScope>();
setAmbientRequestId(() => current.getStore()?.id);

/** The scope the server opened for `req` (one is made up for a request that did not come through it). */
export function scopeOf(req: IncomingMessage): RequestScope {
  let scope = scopes.get(req);
  if (!scope) {
    scope = { id: randomUUID(), clientAddress: req.socket.remoteAddress ?? 'unknown', facts: requestFacts(), route: null };
    scopes.set(req, scope);
  }
  return scope;
}

/** The parts of the API context that come from the request: credentials, client, id, facts. */
export function requestContext(req: IncomingMessage) {
  const scope = scopeOf(req);
  return {
    authorization: req.headers.authorization,
    clientAddress: scope.clientAddress,
    requestId: scope.id,
    request: scope.facts,
  };
}

/** An incoming X-Request-Id is kept when it is short and plain; otherwise the server makes one. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@+=/-]{1,128}$/;

/** What the request log and the metrics call a request: its procedures, else its route. */
function routeOf(scope: RequestScope): string {
  if (scope.facts.procedures.length) return [...new Set(scope.facts.procedures)].join(',');
  return scope.route ?? 'unmatched';
}

/**
 * Security events and failures from a procedure, through tRPC's and the REST handler's onError:
 * failed logins, refused tokens and rate-limit refusals at warn, unexpected failures at error.
 */
export function procedureErrorReporter(logger: Logger, metrics: Metrics | undefined, api: 'trpc' | 'rest') {
  return ({ error, path, input, req }: { error: TRPCError; path?: string | undefined; input?: unknown; req: IncomingMessage }) => {
    const scope = scopeOf(req);
    const where = { requestId: scope.id, procedure: path ?? null, client: scope.clientAddress, api };
    scope.refusal = error.code === 'INTERNAL_SERVER_ERROR' ? 'internal server error' : error.message;
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      logger.error('procedure failed', { ...where, ...describeError(error.cause ?? error) });
    } else if (error.code === 'UNAUTHORIZED' && path === 'auth.login') {
      metrics?.failedLogins.inc();
      const username = (input as { username?: unknown } | undefined)?.username;
      logger.warn('login failed', { ...where, username: typeof username === 'string' ? username.slice(0, 64) : null });
    } else if (error.code === 'UNAUTHORIZED') {
      metrics?.refusedTokens.inc();
      logger.warn('token refused', { ...where, reason: error.message });
    } else if (error.code === 'TOO_MANY_REQUESTS') {
      const limit = /failed logins/.test(error.message) ? 'login' : 'anonymous';
      metrics?.rateLimited.inc({ limit });
      logger.warn('rate limited', { ...where, limit, reason: error.message });
    } else if (error.code === 'FORBIDDEN') {
      logger.warn('forbidden', { ...where, user: scope.facts.user, reason: error.message });
    }
  };
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^127\./.test(address);
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An error in tRPC's wire shape, for the few refusals made before tRPC sees the request. */
function sendError(res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>): void {
  const requestId = res.getHeader('x-request-id');
  const data = { code, httpStatus: status, ...(typeof requestId === 'string' ? { requestId } : {}) };
  sendJson(res, status, { error: { message, code: -32600, data } }, headers);
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
  const { app, anonymousLimiter, logger, maxBodyBytes, metrics } = options;
  const proxies = options.trustedProxies ?? new TrustedProxies([]);
  const metricsAccess = options.metricsAccess ?? 'loopback';
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: maxBodyBytes,
    allowBatching: true,
    maxBatchSize: options.maxBatch,
    createContext: ({ req, info }) =>
      createContext({
        app,
        anonymousLimiter,
        ...requestContext(req),
        baseUrl: baseUrlOf(req, options.boot?.bootUrl ?? null),
        connectionParams: info.connectionParams,
      }),
    // A refused caller learns when to come back (Retry-After), from the one error map.
    responseMeta: ({ errors }) => ({ headers: errorHeaders(errors) }),
    onError: procedureErrorReporter(logger, metrics, 'trpc'),
  });

  const direct = createDirectTrpcCalls({
    createContext: (req) =>
      createContext({ app, anonymousLimiter, ...requestContext(req), baseUrl: baseUrlOf(req, options.boot?.bootUrl ?? null) }),
    onError: procedureErrorReporter(logger, metrics, 'trpc'),
    fallback: (req, res) => void trpc(req, res),
  });

  const openApi = createLazyOpenApiRoutes({
    app,
    anonymousLimiter,
    maxBodyBytes,
    logger: options.logger,
    requestContext,
    onError: procedureErrorReporter(logger, metrics, 'rest'),
    bootUrl: options.boot?.bootUrl ?? null,
  });
  const boot = options.boot
    ? createBootRoutes({ ...options.boot, app, anonymousLimiter, logger, clientAddressOf: (req) => scopeOf(req).clientAddress })
    : () => false;
  const adminApp = options.adminDir ? createStaticAssetsHandler(options.adminDir) : () => false;

  /** One log line per request once its answer is done (or the client went away): who, what, how it went. */
  const logRequest = (req: IncomingMessage, res: ServerResponse, scope: RequestScope, started: number) => {
    const seconds = (performance.now() - started) / 1000;
    const route = routeOf(scope);
    const status = res.statusCode;
    for (const procedure of scope.facts.procedures.length ? new Set(scope.facts.procedures) : [route]) {
      metrics?.answered(procedure, status, seconds);
    }
    const level = status >= 500 ? 'error' : status === 401 || status === 403 || status === 429 ? 'warn' : 'info';
    // Nothing here is a secret: the id is ours or checked, the route is ours, the user a user name;
    // an error's message may quote what a client or a BMC sent, and is scrubbed.
    const line: Record<string, string | number | boolean> = {
      requestId: scope.id,
      method: req.method ?? '',
      route,
      status,
      durationMs: Math.round(seconds * 10_000) / 10,
      user: scope.facts.user ?? 'anonymous',
      client: scope.clientAddress,
    };
    if (!res.writableFinished) line.aborted = true;
    if (scope.refusal && status >= 400) line.error = scrubSecrets(scope.refusal);
    if (!logger.enabled('debug')) return logger.plain(level, 'request', line);
    // At debug the line carries the request's headers: through redaction.
    logger[level]('request', {
      ...line,
      path: (req.url ?? '/').split('?', 1)[0],
      peer: req.socket.remoteAddress,
      userAgent: req.headers['user-agent'],
      requestBytes: Number(req.headers['content-length'] ?? 0),
      responseBytes: Number(res.getHeader('content-length') ?? 0) || undefined,
      headers: { ...req.headers },
    });
  };

  const serveMetrics = async (req: IncomingMessage, res: ServerResponse, scope: RequestScope) => {
    if (metricsAccess === 'off' || !metrics) {
      return sendError(res, 404, 'NOT_FOUND', 'metrics are off (METALYARD_METRICS=off)');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'METHOD_NOT_SUPPORTED', 'use GET');
    if (metricsAccess === 'loopback' && !isLoopback(scope.clientAddress)) {
      scope.refusal = 'metrics are open to loopback clients only';
      logger.warn('metrics refused', { requestId: scope.id, client: scope.clientAddress, reason: scope.refusal });
      return sendError(res, 403, 'FORBIDDEN', `${scope.refusal} (METALYARD_METRICS=loopback)`);
    }
    if (metricsAccess === 'token') {
      const token = /^Bearer (\S{16,512})$/.exec(req.headers.authorization?.trim() ?? '')?.[1];
      let allowed = Boolean(token && options.metricsToken && sameSecret(token, options.metricsToken));
      if (!allowed && token) {
        const session = await app.auth.authenticate(token).catch(() => null);
        if (session) scope.facts.user = session.user.username;
        allowed = session?.user.role === 'admin';
      }
      if (!allowed) {
        metrics.refusedTokens.inc();
        scope.refusal = token ? 'the token may not read metrics' : 'metrics need a bearer token';
        logger.warn('token refused', {
          requestId: scope.id,
          procedure: null,
          route: '/metrics',
          client: scope.clientAddress,
          reason: scope.refusal,
        });
        return token
          ? sendError(res, 403, 'FORBIDDEN', `${scope.refusal}: use METALYARD_METRICS_TOKEN or an admin's token`)
          : sendError(res, 401, 'UNAUTHORIZED', `${scope.refusal}: send Authorization: Bearer <token>`);
      }
    }
    const text = await metrics.text();
    res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const scope: RequestScope = {
      id: typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID(),
      clientAddress: proxies.clientAddress(req.socket.remoteAddress, req.headers),
      facts: requestFacts(),
      route: null,
    };
    scopes.set(req, scope);
    res.setHeader('x-request-id', scope.id);
    res.once('close', () => logRequest(req, res, scope, started));
    current.run(scope, () => route(req, res, scope));
  });
  // A slow client cannot hold a connection forever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  return server;

  function route(req: IncomingMessage, res: ServerResponse, scope: RequestScope): void {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0]!;
    if (path === '/healthz') {
      scope.route = '/healthz';
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'METHOD_NOT_SUPPORTED', 'use GET');
      return sendJson(res, 200, { status: 'ok', ...options.health() });
    }
    if (path === '/metrics') {
      scope.route = '/metrics';
      return void serveMetrics(req, res, scope).catch((error: unknown) => {
        logger.error('metrics failed', { requestId: scope.id, ...describeError(error) });
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal server error');
        else res.destroy();
      });
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      scope.route = 'trpc';
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
      const query = url.indexOf('?');
      if (direct(req, res, path.slice('/trpc/'.length), new URLSearchParams(query < 0 ? '' : url.slice(query + 1)))) return;
      return void trpc(req, res);
    }
    if (path === '/boot' || path.startsWith('/boot/')) scope.route = path.startsWith('/boot/images/') ? '/boot/images' : path;
    if (boot(req, res)) return;
    scope.route = path === '/openapi.json' || path === '/docs' ? path : path.startsWith('/api/') ? 'rest' : 'static';
    if (openApi(req, res)) return;
    if (adminApp(req, res)) return;
    scope.route = 'not_found';
    sendError(
      res,
      404,
      'NOT_FOUND',
      `no route for ${path}: the API is at /trpc and /api/v1 (see /docs), health at /healthz, network boot at /boot`,
    );
  }
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
