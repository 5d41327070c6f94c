import type { Server, ServerResponse } from 'node:http';
import { LoginThrottle, RateLimiter } from '@metalyard/api';
import { openDatabase, type Database } from '@metalyard/db';
import { ensureBootstrapAdmin } from './bootstrap.js';
import type { ServerConfig } from './config.js';
import { createHttpServer, listen } from './http-server.js';
import { describeError, type Logger } from './logger.js';
import { startSweeper } from './sweeper.js';

export interface RunningServer {
  url: string;
  server: Server;
  db: Database;
  /** Stops taking requests, lets those in flight finish, closes the database. */
  close(): Promise<void>;
}

/** Opens the database (migrating it), bootstraps the admin, and serves. */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  const db = await openDatabase({
    url: config.databaseUrl,
    lifecycle: {
      policy: { commissioning: config.commissioning },
      commissioningTimeoutMs: config.commissioningTimeoutMs,
      eraseDelayMs: config.eraseDelayMs,
      maxDeclared: config.maxDeclared,
    },
    onBackgroundError: (message, error) => logger.error(message, describeError(error)),
  });
  logger.info('database ready', { database: db.kind, location: db.location, migration: db.migration });
  if (config.adminToken) {
    await ensureBootstrapAdmin(db.auth, config.adminToken, config.adminPassword);
    logger.info('bootstrap admin ready', { username: 'admin' });
  }
  const server = createHttpServer({
    services: {
      nodes: db.nodes,
      events: db.events,
      labels: db.labels,
      auth: db.auth,
      loginThrottle: new LoginThrottle(),
      anonymousLimiter: new RateLimiter({ ratePerSecond: config.anonRate, burst: config.anonBurst }),
    },
    maxBatch: config.maxBatch,
    adminDir: config.adminDir,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    health: () => ({ database: db.kind, migration: db.migration }),
  });
  const address = await listen(server, config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const sweeper = startSweeper(db, logger);
  const streams = trackEventStreams(server);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      sweeper.stop();
      await new Promise<void>((resolve) => {
        const stopCutting = streams.cutUntilStopped();
        server.close(() => {
          stopCutting();
          resolve();
        });
        server.closeIdleConnections();
      });
      await db.close();
    })());
  return { url, server, db, close };
}

/**
 * Live subscriptions (SSE) never finish on their own, so a shutdown would wait for their clients.
 * `cutUntilStopped` ends the open event streams, and keeps ending any that a client reopens over a
 * kept-alive connection, until the returned function is called.
 */
function trackEventStreams(server: Server): { cutUntilStopped(): () => void } {
  const open = new Set<ServerResponse>();
  server.on('request', (_req, res: ServerResponse) => {
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  const cut = () => {
    for (const res of open) if (String(res.getHeader('content-type')).startsWith('text/event-stream')) res.destroy();
  };
  return {
    cutUntilStopped() {
      cut();
      const timer = setInterval(cut, 100);
      return () => clearInterval(timer);
    },
  };
}
