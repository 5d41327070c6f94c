import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { MetalyardClient } from '@metalyard/sdk';
import { ClientProvider } from './client.js';
import { eventKeys, labelKeys, nodeKeys } from './keys.js';
import { FALLBACK_POLL_MS, invalidateFor, LiveUpdates, useLiveQueryOptions } from './live.js';

afterEach(cleanup);

interface Handlers {
  onConnectionStateChange(state: { state: string; error?: unknown }): void;
  onError(error: unknown): void;
}

/** A client whose events subscription is driven by the test. */
function clientWithSubscription() {
  const handlers: { current?: Handlers } = {};
  const client = {
    protected: {
      events: {
        onChange: {
          subscribe: (_input: unknown, next: Handlers) => {
            handlers.current = next;
            return { unsubscribe: () => {} };
          },
        },
      },
    },
  } as unknown as MetalyardClient;
  return { client, handlers };
}

function PollInterval() {
  const { refetchInterval } = useLiveQueryOptions();
  return <output>{String(refetchInterval)}</output>;
}

describe('LiveUpdates', () => {
  it('does not poll while the subscription is open, and polls slowly once it fails', () => {
    const { client, handlers } = clientWithSubscription();
    render(
      <ClientProvider client={client}>
        <QueryClientProvider client={new QueryClient()}>
          <LiveUpdates>
            <PollInterval />
          </LiveUpdates>
        </QueryClientProvider>
      </ClientProvider>,
    );
    act(() => handlers.current!.onConnectionStateChange({ state: 'pending' }));
    expect(screen.getByRole('status').textContent).toBe('false');
    act(() => handlers.current!.onConnectionStateChange({ state: 'connecting', error: new Error('gone') }));
    expect(screen.getByRole('status').textContent).toBe(String(FALLBACK_POLL_MS));
    act(() => handlers.current!.onConnectionStateChange({ state: 'pending' }));
    expect(screen.getByRole('status').textContent).toBe('false');
  });
});

describe('invalidateFor', () => {
  it('refreshes every list, the event log, the label counts, and the detail and history of the nodes the events are about only', () => {
    const queryClient = new QueryClient();
    const keys = [
      nodeKeys.list({ status: null, search: '' }),
      nodeKeys.list({ status: 'declared', search: '', zone: 'dc1' }),
      nodeKeys.detail('aaaaaa'),
      nodeKeys.detail('bbbbbb'),
      eventKeys.node('aaaaaa'),
      eventKeys.node('bbbbbb'),
      eventKeys.log({ systemId: '', actor: 'alice', type: '', since: '' }),
      labelKeys.all('zones'),
    ];
    for (const key of keys) queryClient.setQueryData(key, {});
    invalidateFor(queryClient, ['aaaaaa', 'aaaaaa']);
    const stale = keys.filter((key) => queryClient.getQueryState(key)?.isInvalidated);
    expect(stale).toEqual([keys[0], keys[1], keys[2], keys[4], keys[6], keys[7]]);
  });
});
