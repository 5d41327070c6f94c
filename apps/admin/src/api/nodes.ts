import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { normalizeMac } from '@metalyard/sdk';
import type { EnlistInput, Node, RouterInputs } from '@metalyard/sdk';
import { useClient } from './client.js';
import { eventKeys, labelKeys, nodeKeys, type NodeFilter } from './keys.js';
import { useLiveQueryOptions } from './live.js';
import { useRefreshingMutation } from './mutation.js';

export const PAGE_SIZE = 50;

type ListInput = Exclude<RouterInputs['protected']['nodes']['list'], void | undefined>;

/** A search is a MAC when it reads as one in any notation, otherwise the start of a hostname. */
export function searchInput(search: string): Pick<ListInput, 'mac' | 'hostnamePrefix'> {
  const text = search.trim();
  if (!text) return {};
  return normalizeMac(text) ? { mac: text } : { hostnamePrefix: text.toLowerCase() };
}

/** The zone, pool, tag and architecture filters that are set, as the list API takes them. */
export function labelInput(filter: NodeFilter): Pick<ListInput, 'zone' | 'pool' | 'tag' | 'architecture'> {
  return {
    ...(filter.zone ? { zone: filter.zone } : {}),
    ...(filter.pool ? { pool: filter.pool } : {}),
    ...(filter.tag ? { tag: filter.tag } : {}),
    ...(filter.architecture ? { architecture: filter.architecture as Node['architecture'] } : {}),
  };
}

/**
 * Pages of nodes in the server's stable order, filtered on the server; `fetchNextPage` loads more.
 * `counts` are the nodes per status under the same search (for the filter chips).
 */
export function useNodePages(filter: NodeFilter) {
  const client = useClient();
  const live = useLiveQueryOptions();
  const query = useInfiniteQuery({
    queryKey: nodeKeys.list(filter),
    queryFn: ({ pageParam }) =>
      client.protected.nodes.list.query({
        limit: PAGE_SIZE,
        cursor: pageParam,
        ...searchInput(filter.search),
        ...(filter.status ? { status: filter.status } : {}),
        ...labelInput(filter),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: (previous) => previous,
    ...live,
  });
  const nodes: Node[] = query.data?.pages.flatMap((page) => page.items) ?? [];
  const counts = query.data?.pages[0]?.counts;
  return { ...query, nodes, counts };
}

export function useNode(systemId: string) {
  const client = useClient();
  const live = useLiveQueryOptions();
  return useQuery({
    queryKey: nodeKeys.detail(systemId),
    queryFn: () => client.protected.nodes.get.query({ systemId }),
    retry: false,
    ...live,
  });
}

/** A node's events, oldest first, a page at a time. */
export function useNodeEvents(systemId: string) {
  const client = useClient();
  const live = useLiveQueryOptions();
  const query = useInfiniteQuery({
    queryKey: eventKeys.node(systemId),
    queryFn: ({ pageParam }) => client.protected.events.list.query({ systemId, limit: 100, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    ...live,
  });
  return { ...query, events: query.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** What a change to nodes can make stale: the nodes, their events, and the label counts. */
const NODE_QUERIES = [nodeKeys.all, eventKeys.all, labelKeys.root];

/** A mutation that refreshes every node query once it has succeeded. */
export function useNodeMutation<Input, Result>(call: (input: Input) => Promise<Result>) {
  return useRefreshingMutation(call, NODE_QUERIES);
}

export function useAccept() {
  const client = useClient();
  return useNodeMutation((systemIds: string[]) => client.protected.nodes.accept.mutate({ systemIds }));
}

export function useAcceptAll() {
  const client = useClient();
  return useNodeMutation(() => client.protected.nodes.acceptAll.mutate());
}

export function useEnlist() {
  const client = useClient();
  return useNodeMutation((input: EnlistInput) => client.protected.enlist.mutate(input));
}

export function useAcquireAny() {
  const client = useClient();
  return useNodeMutation((architecture: Node['architecture'] | null) =>
    client.protected.nodes.acquire.mutate(architecture ? { architecture } : {}),
  );
}

export type NodeUpdate = RouterInputs['protected']['nodes']['update'];

export function useUpdateNode() {
  const client = useClient();
  return useNodeMutation((input: NodeUpdate) => client.protected.nodes.update.mutate(input));
}
