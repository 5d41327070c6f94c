import { useEffect, useRef } from 'react';
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { useClient } from './client.js';
import { eventKeys, nodeKeys, type EventFilter } from './keys.js';
import { useLiveQueryOptions } from './live.js';
import { NODE_ACTIONS } from '../rules.js';

/** Every type an event can have: enlistment, each action of the transition table, and the rest. */
export const EVENT_TYPES: readonly string[] = [...new Set(['enlist', ...NODE_ACTIONS, 'update', 'annotate', 'auth_failed'])];

/** `since` choices relative to now, in milliseconds; `all` is no lower bound. */
export const SINCE_PRESETS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, all: null } as const;
export type SincePreset = keyof typeof SINCE_PRESETS;
export const DEFAULT_SINCE: SincePreset = '24h';

export const isSincePreset = (since: string): since is SincePreset => Object.hasOwn(SINCE_PRESETS, since);

/** The API's `since` for a preset (relative to `now`) or a date-time; undefined for any time. */
export function sinceInput(since: string, now: number = Date.now()): string | undefined {
  if (isSincePreset(since)) {
    const span = SINCE_PRESETS[since];
    return span === null ? undefined : new Date(now - span).toISOString();
  }
  return since || undefined;
}

const EVENT_PAGE = 100;

/**
 * The event log under `filter`, oldest first, a page at a time, kept current by the live
 * subscription. When the last page was loaded and new events spill onto a further page, that
 * page is loaded too, so that new events keep appearing at the bottom.
 */
export function useEventLog(filter: EventFilter) {
  const client = useClient();
  const live = useLiveQueryOptions();
  const query = useInfiniteQuery({
    queryKey: eventKeys.log(filter),
    queryFn: ({ pageParam }) => {
      const since = sinceInput(filter.since);
      return client.protected.events.list.query({
        limit: EVENT_PAGE,
        cursor: pageParam,
        ...(filter.systemId ? { systemId: filter.systemId } : {}),
        ...(filter.actor ? { actor: filter.actor } : {}),
        ...(filter.type ? { type: filter.type } : {}),
        ...(since ? { since } : {}),
      });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: (previous) => previous,
    ...live,
  });
  const { hasNextPage, isFetching, fetchNextPage } = query;
  // The filter under which the last page was seen loaded: only then is a new page followed.
  const key = eventKeys.log(filter).join('\n');
  const endSeen = useRef<string | null>(null);
  useEffect(() => {
    if (isFetching) return;
    if (!hasNextPage) endSeen.current = key;
    else if (endSeen.current === key) {
      endSeen.current = null;
      void fetchNextPage();
    }
  }, [key, hasNextPage, isFetching, fetchNextPage]);
  return { ...query, events: query.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** The hostnames of the machines `systemIds` name (shared with their detail queries); a deleted one has none. */
export function useHostnames(systemIds: readonly string[]): Map<string, string> {
  const client = useClient();
  const unique = [...new Set(systemIds)];
  const results = useQueries({
    queries: unique.map((systemId) => ({
      queryKey: nodeKeys.detail(systemId),
      queryFn: () => client.protected.nodes.get.query({ systemId }),
      retry: false,
      staleTime: 30_000,
    })),
  });
  const names = new Map<string, string>();
  results.forEach((result, index) => {
    if (result.data) names.set(unique[index]!, result.data.hostname);
  });
  return names;
}
