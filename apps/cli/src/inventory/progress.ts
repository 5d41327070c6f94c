import { SingleBar } from 'cli-progress';
import type { Outcome, RowResult } from './import.js';

export type Tally = Record<Outcome, number>;

export function emptyTally(): Tally {
  return { created: 0, reenlisted: 0, present: 0, refused: 0 };
}

export function tallyOf(results: RowResult[]): Tally {
  const tally = emptyTally();
  for (const result of results) tally[result.outcome] += 1;
  return tally;
}

export function describeTally(tally: Tally): string {
  return `${tally.created} created, ${tally.reenlisted} re-enlisted, ${tally.present} already present, ${tally.refused} refused`;
}

export interface Progress {
  record(result: RowResult): void;
  stop(): void;
}

/** A bar on a terminal; when stderr is piped, a plain line at every tenth of the way. */
export function createProgress(total: number): Progress {
  const tally = emptyTally();
  let done = 0;
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: 'importing [{bar}] {value}/{total} | {created} created, {present} present, {refused} refused',
      hideCursor: true,
    });
    bar.start(total, 0, tally);
    return {
      record(result) {
        tally[result.outcome] += 1;
        bar.increment(1, tally);
      },
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    record(result) {
      tally[result.outcome] += 1;
      done += 1;
      if (done % step === 0 || done === total) process.stderr.write(`imported ${done}/${total} rows: ${describeTally(tally)}\n`);
    },
    stop: () => undefined,
  };
}
