/**
 * Group commit: requests that arrive while the writer is busy wait in a queue and are then written
 * together, in one transaction, so one commit (and one round of lookups) serves many callers.
 * Each caller is answered only after the transaction that holds its write has committed.
 */
export class GroupCommit<Item, Result> {
  private queue: { item: Item; weight: number; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private draining = false;

  /**
   * @param write writes a batch in one transaction; returns, per item, its result or the error
   *   that item alone must fail with. Throwing fails the whole batch, which is then retried one item at a time.
   * @param maxWeight the most a batch may hold (e.g. MAC addresses, to bound query parameters).
   */
  constructor(
    private readonly write: (items: Item[]) => Promise<(Result | Error)[]>,
    private readonly maxWeight: number,
    /** Told each batch's size as it is written (for metrics). */
    private readonly onBatch: (size: number) => void = () => undefined,
  ) {}

  submit(item: Item, weight = 1): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, weight, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Let the requests that arrive in the same turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private take(): typeof this.queue {
    let weight = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || weight + this.queue[count]!.weight <= this.maxWeight)) {
      weight += this.queue[count]!.weight;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.take();
        this.onBatch(batch.length);
        try {
          const results = await this.write(batch.map((entry) => entry.item));
          batch.forEach((entry, i) => settle(entry, results[i]!));
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // Something no single request was expected to cause: find out whose it is by going one by one.
          for (const entry of batch) {
            try {
              settle(entry, (await this.write([entry.item]))[0]!);
            } catch (single) {
              entry.reject(single);
            }
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

function settle<Result>(entry: { resolve: (result: Result) => void; reject: (error: unknown) => void }, result: Result | Error): void {
  if (result instanceof Error) entry.reject(result);
  else entry.resolve(result);
}
