import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ClientProvider } from '../api/client.js';
import { ViewerProvider, type Viewer } from '../api/viewer.js';
import { SessionProvider } from '../session.js';
import { fakeClient, type Handler } from './fake-client.js';

export const ADMIN: Viewer = { username: 'admin', role: 'admin' };
export const ALICE: Viewer = { username: 'alice', role: 'user' };

/** Renders `ui` signed in as `viewer`, with the procedures it calls answered by `handlers`. */
export function renderApp(
  ui: ReactElement,
  { handlers = {}, viewer = ADMIN }: { handlers?: Record<string, Handler>; viewer?: Viewer } = {},
) {
  const fake = fakeClient(handlers);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <SessionProvider>
      <ClientProvider client={fake.client}>
        <QueryClientProvider client={queryClient}>
          <ViewerProvider viewer={viewer}>{ui}</ViewerProvider>
        </QueryClientProvider>
      </ClientProvider>
    </SessionProvider>,
  );
  return { ...result, ...fake, queryClient };
}
