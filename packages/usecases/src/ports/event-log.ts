import type { EventPage, EventRecord, ListEventsInput } from '@metalyard/domain';

/** An event to append: the record without its id, with the node's storage key (null once it is deleted). */
export type NewEvent = Omit<EventRecord, 'id'> & { nodeId: number | null };

/**
 * The node event log. Events appended in a transaction are delivered to subscribers only after it
 * commits (the unit of work publishes them), so nobody hears of a change that did not happen.
 */
export interface EventLog {
  append(events: readonly NewEvent[]): Promise<EventRecord[]>;
  list(query: ListEventsInput): Promise<EventPage>;
}

/** Live delivery of committed events (in this process, and from the other replicas on PostgreSQL). */
export interface EventFeed {
  subscribe(listener: (event: EventRecord) => void): () => void;
  /** How many listeners are subscribed. */
  readonly size: number;
}
