import { DEFAULT_SINCE, EVENT_TYPES, isSincePreset } from './api/events.js';
import type { EventFilter } from './api/keys.js';

/** The event log's filters a link names (`#/events?machine=k3v9qa&type=release&since=7d`). */
export function parseEventFilter(query: URLSearchParams): EventFilter {
  const type = query.get('type') ?? '';
  const since = query.get('since') ?? '';
  return {
    systemId: query.get('machine')?.trim() ?? '',
    actor: query.get('actor')?.trim() ?? '',
    type: EVENT_TYPES.includes(type) ? type : '',
    since: isSincePreset(since) || !Number.isNaN(Date.parse(since)) ? since : DEFAULT_SINCE,
  };
}

/** The link's query for `filter`: only what differs from the default. */
export function eventFilterQuery(filter: EventFilter): Record<string, string | undefined> {
  return {
    machine: filter.systemId || undefined,
    actor: filter.actor || undefined,
    type: filter.type || undefined,
    since: filter.since === DEFAULT_SINCE ? undefined : filter.since,
  };
}

/** An ISO date-time as a datetime-local input's value, in local time to the minute. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A datetime-local input's value (local time) as an ISO date-time, or '' when incomplete. */
export function fromLocalInput(value: string): string {
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? '' : new Date(time).toISOString();
}
