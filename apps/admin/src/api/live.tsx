import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { NodeEvent } from '@metalyard/sdk';
import { useClient } from './client.js';
import { eventKeys, labelKeys, nodeKeys } from './keys.js';

/** How often queries poll when the live subscription is down. */
export const FALLBACK_POLL_MS = 15_000;
/** Events arriving this close together (an "accept all") cause one refresh. */
const BATCH_MS = 150;

/** `live`: the events subscription is open. `polling`: it failed, queries poll slowly until it is back. */
export type LiveState = 'connecting' | 'live' | 'polling';

const LiveContext = createContext<LiveState>('connecting');

/**
 * Refreshes what changed: every list of machines, the event log and the node counts of tags, zones
 * and pools, and the detail and timeline of each node an event is about.
 */
export function invalidateFor(queryClient: QueryClient, systemIds: Iterable<string>): void {
  void queryClient.invalidateQueries({ queryKey: nodeKeys.lists });
  void queryClient.invalidateQueries({ queryKey: eventKeys.logs });
  void queryClient.invalidateQueries({ queryKey: labelKeys.root });
  for (const systemId of new Set(systemIds)) {
    void queryClient.invalidateQueries({ queryKey: nodeKeys.detail(systemId) });
    void queryClient.invalidateQueries({ queryKey: eventKeys.node(systemId) });
  }
}

/**
 * Keeps every node query current through the server's events subscription (server-sent events).
 * If the subscription fails, queries fall back to polling every FALLBACK_POLL_MS until it recovers.
 */
export function LiveUpdates({ children }: { children: ReactNode }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let pending: string[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let wasDown = false;
    const flush = () => {
      timer = undefined;
      invalidateFor(queryClient, pending);
      pending = [];
    };
    const onEvent = (event: NodeEvent) => {
      pending.push(event.systemId);
      timer ??= setTimeout(flush, BATCH_MS);
    };
    const subscription = client.protected.events.onChange.subscribe(undefined, {
      onData: ({ data }) => onEvent(data),
      onConnectionStateChange: (connection) => {
        if (connection.state === 'pending') {
          // Back after an outage: what changed meanwhile is refetched (and replayed by the server).
          if (wasDown)
            for (const queryKey of [nodeKeys.all, eventKeys.all, labelKeys.root]) void queryClient.invalidateQueries({ queryKey });
          wasDown = false;
          setState('live');
        } else if (connection.state === 'connecting' && connection.error) {
          wasDown = true;
          setState('polling');
        }
      },
      onError: () => setState('polling'),
    });
    return () => {
      subscription.unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [client, queryClient]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}

export function useLiveState(): LiveState {
  return useContext(LiveContext);
}

/** Query options for data that must stay current: polling only while the subscription is down. */
export function useLiveQueryOptions() {
  const state = useLiveState();
  return { refetchInterval: state === 'polling' ? FALLBACK_POLL_MS : false, refetchIntervalInBackground: false } as const;
}
