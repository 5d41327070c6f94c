import type { EventRecord } from '@metalyard/domain';

/** Delivers committed events to subscribers in this process (the SSE subscription, the sweeper's tests). */
export class EventBus {
  private readonly listeners = new Set<(event: EventRecord) => void>();

  publish(event: EventRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the write that produced the event, nor other subscribers.
      }
    }
  }

  subscribe(listener: (event: EventRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
