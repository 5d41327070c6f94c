import type { Repositories } from '../ports/index.js';

/**
 * How many nodes wait in declared, for the anonymous door's cap: counted at most once a second
 * (plus what this process added since), and counted afresh after a node left declared.
 */
export class DeclaredGauge {
  private value = 0;
  private countedAt = -Infinity;

  constructor(private readonly maxAgeMs = 1000) {}

  async waiting(repositories: Repositories): Promise<number> {
    const now = Date.now();
    if (now - this.countedAt > this.maxAgeMs) {
      this.value = await repositories.nodes.countInStatus('declared');
      this.countedAt = now;
    }
    return this.value;
  }

  /** This process just added `count` declared nodes. */
  added(count: number): void {
    this.value += count;
  }

  /** A node left declared (accepted, deleted, retired): count again next time. */
  changed(): void {
    this.countedAt = -Infinity;
  }
}
