import { existsSync } from 'node:fs';
import type { Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { RateLimiter } from '@metalyard/api';
import { openDatabase, type Database } from '@metalyard/db';
import type { Application } from '@metalyard/usecases';
import { applicationFor } from './application.js';
import { TrustedProxies } from './client-address.js';
import { databaseOptions, type ServerConfig } from './config.js';
import { ImageFolder } from './images.js';
import { Metrics } from './metrics.js';
import { VERSION } from './version.js';
import { createHttpServer, listen } from './http-server.js';
import { describeError, type Logger } from './logger.js';
import { startPowerSync, startSweeper } from './sweeper.js';

export interface RunningServer {
  url: string;
  server: Server;
  db: Database;
  app: Application;
  /** Stops taking requests, lets those in flight finish, closes the database. */
  close(): Promise<void>;
}

/** Opens the database (migrating it), bootstraps the admin, and serves. */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  const db = await openDatabase({
    ...databaseOptions(config),
    // SQLite: the one writer; a second server on the file refuses to start (DatabaseInUseError).
    exclusive: true,
    onBackgroundError: (message, error) => logger.error(message, describeError(error)),
  });
  logger.info('database ready', { database: db.kind, location: db.location, migration: db.migration });
  const images = new ImageFolder(config.imagesDir);
  const metrics = new Metrics();
  const app = applicationFor(db, config, { images, observer: metrics.observer });
  metrics.attach({ nodeCounts: () => app.nodes.counts(), subscribers: () => app.events.subscribers, pool: () => db.pool() });
  if (config.adminToken) {
    await app.auth.bootstrapAdmin(config.adminToken, config.adminPassword);
    logger.info('bootstrap admin ready', { username: 'admin' });
  }
  const server = createHttpServer({
    app,
    anonymousLimiter: new RateLimiter({ ratePerSecond: config.anonRate, burst: config.anonBurst }),
    maxBatch: config.maxBatch,
    adminDir: config.adminDir,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    health: () => ({ version: VERSION, database: db.kind, migration: db.migration }),
    boot: { bootUrl: config.bootUrl, bootDir: config.bootDir, images, console: config.bootConsole },
    trustedProxies: TrustedProxies.parse(config.trustedProxies),
    metrics,
    metricsAccess: config.metrics,
    metricsToken: config.metricsToken,
  });
  let address;
  try {
    address = await listen(server, config.port, config.host);
  } catch (error) {
    await db.close(); // releases the SQLite lock
    throw error;
  }
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const bootReady = ['vmlinuz', 'initrd.img'].every((file) => existsSync(join(config.bootDir, file)));
  logger.info(bootReady ? 'network boot ready' : 'network boot: no boot environment yet (run pnpm boot-image); /boot/vmlinuz answers 503', {
    bootDir: config.bootDir,
    imagesDir: config.imagesDir,
    bootUrl: config.bootUrl ?? 'the Host of each request',
  });
  const sweeper = startSweeper(app.sweep, logger);
  const powerSync = startPowerSync(app.power.sync, logger, config.powerSyncIntervalMs);
  const streams = trackEventStreams(server);

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      sweeper.stop();
      powerSync.stop();
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
  return { url, server, db, app, close };
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
