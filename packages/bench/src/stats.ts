/** The q-quantile (0..1) of a list of durations in milliseconds, nearest-rank. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  return { count: latencies.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** Milliseconds since `start` (a performance.now() reading). */
export function since(start: number): number {
  return performance.now() - start;
}
