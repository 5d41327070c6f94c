import { createContext, useContext, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { RouterOutputs } from '@metalyard/sdk';
import { useClient } from './client.js';
import { viewerKey } from './keys.js';

/** The signed-in user: their name and role decide which actions the app offers. */
export type Viewer = RouterOutputs['protected']['me'];

export function useMe() {
  const client = useClient();
  return useQuery({ queryKey: viewerKey, queryFn: () => client.protected.me.query(), staleTime: Infinity });
}

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer must be used inside <ViewerProvider>');
  return viewer;
}

export const isAdmin = (viewer: Viewer) => viewer.role === 'admin';
