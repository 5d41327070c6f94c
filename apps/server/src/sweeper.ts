import type { Database } from '@metalyard/db';
import { describeError, type Logger } from './logger.js';

export const SWEEP_INTERVAL_MS = 5_000;

/**
 * The server's periodic lifecycle work: nodes whose commissioning timed out fail it, releases
 * whose erase is done complete. Each move is a conditional update, so a sweep racing a person
 * (or another replica) moves a node at most once.
 */
export function startSweeper(db: Database, logger: Logger, intervalMs = SWEEP_INTERVAL_MS): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    db.nodes
      .sweep()
      .then((moved) => {
        if (moved > 0) logger.info('sweeper moved nodes', { moved });
      })
      .catch((error: unknown) => logger.error('sweep failed', describeError(error)))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
