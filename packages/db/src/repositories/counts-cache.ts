import type { StatusCounts } from '@metalyard/domain';

/**
 * Nodes per status, as every page of `nodes.list` reports them, kept on the embedded database
 * while nothing has written to it: counting is a scan of the (status, id) index, 2–3 ms at 100,000
 * nodes, on every page. The stamp is SQLite's `data_version` (changes when another connection
 * commits) and `total_changes()` (rows this connection has written): any write by anyone, through
 * any code, starts the cache afresh. A count read while the stamp moved is not kept.
 */
export class CountsCache {
  private stamp = '';
  private readonly counts = new Map<string, StatusCounts>();

  constructor(
    private readonly stampNow: () => string,
    private readonly max = 64,
  ) {}

  /** The counts for a filter, if kept under the current stamp; and the stamp to store a fresh count with. */
  get(key: string): { counts: StatusCounts | undefined; stamp: string } {
    const stamp = this.stampNow();
    if (stamp !== this.stamp) {
      this.counts.clear();
      this.stamp = stamp;
    }
    const kept = this.counts.get(key);
    return { counts: kept && { ...kept }, stamp };
  }

  set(key: string, counts: StatusCounts, stamp: string): void {
    if (stamp !== this.stampNow() || stamp !== this.stamp) return;
    if (this.counts.size >= this.max) this.counts.clear();
    this.counts.set(key, { ...counts });
  }
}
