import type { Server } from 'node:http';
import { openDatabase, type Database } from '@metalyard/db';
import { ensureBootstrapAdmin } from './bootstrap.js';
import type { ServerConfig } from './config.js';
import { createHttpServer, listen } from './http-server.js';
import type { Logger } from './logger.js';

export interface RunningServer {
  url: string;
  server: Server;
  db: Database;
  /** Stops taking requests, lets those in flight finish, closes the database. */
  close(): Promise<void>;
}

/** Opens the database (migrating it), bootstraps the admin, and serves. */
export async function startServer(config: ServerConfig, logger: Logger): Promise<RunningServer> {
  const db = await openDatabase({ url: config.databaseUrl });
  logger.info('database ready', { database: db.kind, location: db.location, migration: db.migration });
  if (config.adminToken) {
    await ensureBootstrapAdmin(db.auth, config.adminToken);
    logger.info('bootstrap admin ready', { username: 'admin' });
  }
  const server = createHttpServer({
    services: { nodes: db.nodes, auth: db.auth },
    logger,
    maxBodyBytes: config.maxBodyBytes,
    health: () => ({ database: db.kind, migration: db.migration }),
  });
  const address = await listen(server, config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await db.close();
    })());
  return { url, server, db, close };
}
