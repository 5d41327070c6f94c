/** The time: one clock for every use case, injectable so tests of timeouts need not sleep. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
