import type { NodeStatus } from '@metalyard/domain';

/** What a list of machines is narrowed to: a status (null: all) and a hostname prefix or MAC. */
export interface NodeFilter {
  status: NodeStatus | null;
  search: string;
}

/** Every query about nodes sits under `nodeKeys.all`, so one invalidation refreshes them all. */
export const nodeKeys = {
  all: ['nodes'] as const,
  lists: ['nodes', 'list'] as const,
  list: (filter: NodeFilter) => ['nodes', 'list', filter.status ?? 'any', filter.search] as const,
  detail: (systemId: string) => ['nodes', 'detail', systemId] as const,
};

export const eventKeys = {
  all: ['events'] as const,
  node: (systemId: string) => ['events', systemId] as const,
};

export const viewerKey = ['me'] as const;

export const labelKeys = {
  all: (kind: 'tags' | 'zones' | 'pools') => ['labels', kind] as const,
};
