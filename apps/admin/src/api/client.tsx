import { createContext, useContext, type ReactNode } from 'react';
import { createMetalyardClient, type MetalyardClient } from '@metalyard/sdk';

const ClientContext = createContext<MetalyardClient | null>(null);

/** A client for the server that served this page; the token is read at each request. */
export function createBrowserClient(token: () => string | null): MetalyardClient {
  return createMetalyardClient({ url: window.location.origin, token });
}

export function ClientProvider({ client, children }: { client: MetalyardClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

export function useClient(): MetalyardClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient must be used inside <ClientProvider>');
  return client;
}
