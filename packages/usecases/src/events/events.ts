import type { EventPage, EventRecord, ListEventsInput } from '@metalyard/domain';
import type { Deps } from '../deps.js';

/** Events oldest first, filtered by node, actor, type and time, a page at a time. */
export function listEvents(deps: Deps) {
  return (query: ListEventsInput): Promise<EventPage> => deps.uow.read((repositories) => repositories.events.list(query));
}

/** Calls `listener` with every event after its transaction commits; returns the unsubscribe function. */
export function subscribeToEvents(deps: Deps) {
  return (listener: (event: EventRecord) => void): (() => void) => deps.feed.subscribe(listener);
}
