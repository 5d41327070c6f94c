import type { NodeStatus } from '@metalyard/sdk';

/**
 * What a list of machines is narrowed to: a status (null: all), a hostname prefix or MAC, and
 * optionally a zone, pool, tag or architecture ('' or absent: any).
 */
export interface NodeFilter {
  status: NodeStatus | null;
  search: string;
  zone?: string;
  pool?: string;
  tag?: string;
  architecture?: string;
}

/** Every query about nodes sits under `nodeKeys.all`, so one invalidation refreshes them all. */
export const nodeKeys = {
  all: ['nodes'] as const,
  lists: ['nodes', 'list'] as const,
  list: (filter: NodeFilter) =>
    [
      'nodes',
      'list',
      filter.status ?? 'any',
      filter.search,
      filter.zone ?? '',
      filter.pool ?? '',
      filter.tag ?? '',
      filter.architecture ?? '',
    ] as const,
  detail: (systemId: string) => ['nodes', 'detail', systemId] as const,
};

/** What the event log is narrowed to, as the API's filters ('' : any). `since` is a preset or an ISO time. */
export interface EventFilter {
  systemId: string;
  actor: string;
  type: string;
  since: string;
}

export const eventKeys = {
  all: ['events'] as const,
  node: (systemId: string) => ['events', systemId] as const,
  logs: ['events', 'log'] as const,
  log: (filter: EventFilter) => ['events', 'log', filter.systemId, filter.actor, filter.type, filter.since] as const,
};

export const viewerKey = ['me'] as const;

export const labelKeys = {
  root: ['labels'] as const,
  all: (kind: 'tags' | 'zones' | 'pools') => ['labels', kind] as const,
};

export const userKeys = { all: ['users'] as const };

export const tokenKeys = { all: ['tokens'] as const };
