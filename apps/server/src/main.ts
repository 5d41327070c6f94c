import './supported-node.js';
import { ConfigError, loadConfig } from './config.js';
import { startServer } from './app.js';
import { createLogger, describeError, ignoreClosedPipes } from './logger.js';
import { VERSION } from './version.js';

const HELP = `metalyard-server ${VERSION}: the Metalyard HTTP server (tRPC at /trpc, REST at /api/v1, the admin app at /).

usage: node apps/server/dist/main.js [--help | --version]

It takes its settings from the environment (see the README's Configuration table), among them:
  HOST                         address to listen on (default 127.0.0.1; 0.0.0.0 or the provisioning
                               interface's address to serve the machines of the provisioning network)
  PORT                         port to listen on (default 5240; 0: any free port)
  DATABASE_URL                 a SQLite file (default ./data/metalyard.sqlite) or a postgres:// URL
  METALYARD_ADMIN_TOKEN        when set, user admin exists and this token authenticates as it
  METALYARD_LOG_LEVEL          debug, info, warn or error (default info); logs are JSON lines on stdout
  METALYARD_TRUSTED_PROXIES    proxies whose X-Forwarded-For / Forwarded say who the client is
  METALYARD_METRICS            who may read GET /metrics: loopback (default), token, open or off

Management commands (createadmin, createuser, rotate-secret-key): node apps/server/dist/manage.js --help
`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  if (args.length) {
    process.stderr.write(`metalyard: unknown argument '${args[0]}' (try --help)\n`);
    process.exit(2);
  }
  ignoreClosedPipes();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`metalyard: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const running = await startServer(config, logger);

  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    const force = setTimeout(() => {
      logger.warn('requests still in flight after 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    running.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('failed to stop cleanly', describeError(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  // Only now: whoever waits for this line may send SIGTERM at once, and it must find the handler.
  logger.info('listening', { url: running.url, trpc: `${running.url}/trpc`, version: VERSION });
}

main().catch((error: unknown) => {
  process.stderr.write(`metalyard: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
