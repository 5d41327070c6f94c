import { ConfigError, loadConfig } from './config.js';
import { startServer } from './app.js';
import { createLogger, describeError } from './logger.js';

async function main(): Promise<void> {
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
  logger.info('listening', { url: running.url, trpc: `${running.url}/trpc` });

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
}

main().catch((error: unknown) => {
  process.stderr.write(`metalyard: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
