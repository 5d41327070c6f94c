import { describeError, type Logger } from './logger.js';

export const SWEEP_INTERVAL_MS = 5_000;

/**
 * The periodic power-state sync: every BMC Metalyard drives is asked for its state, a bounded number
 * at once; a machine found in another state than last seen is an event. Interval 0: never.
 */
export function startPowerSync(
  sync: () => Promise<{ asked: number; changed: number; failed: number }>,
  logger: Logger,
  intervalMs: number,
): { stop(): void } {
  if (intervalMs <= 0) return { stop: () => undefined };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sync()
      .then((result) => {
        if (result.changed > 0 || result.failed > 0) logger.info('power sync', result);
      })
      .catch((error: unknown) => logger.error('power sync failed', describeError(error)))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * The server's periodic lifecycle work: nodes whose commissioning timed out fail it, steps whose
 * machine agent stopped heartbeating fail, simulated erases that are done complete. Each move is a
 * conditional update, so a sweep racing a person (or another replica) moves a node at most once.
 */
export function startSweeper(sweep: () => Promise<number>, logger: Logger, intervalMs = SWEEP_INTERVAL_MS): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
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
