import type { MetalyardClient, Node, RouterInputs } from '@metalyard/sdk';
import { canonicalMac } from './vocabulary.js';

/** The list's filters (its input is optional, so the type includes void). */
export type NodeFilter = Omit<Exclude<RouterInputs['protected']['nodes']['list'], void | undefined>, 'limit' | 'cursor'>;

const PAGE_SIZE = 500;

/** Every node matching the filter, following the cursor page after page. */
export async function listAllNodes(client: MetalyardClient, filter: NodeFilter = {}): Promise<Node[]> {
  const nodes: Node[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.protected.nodes.list.query({ ...filter, limit: PAGE_SIZE, cursor });
    nodes.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return nodes;
}

/** Whether a node passes the filter, as the server's list would decide (for changes seen live). */
export function matchesFilter(node: Node, filter: NodeFilter): boolean {
  const mac = filter.mac ? canonicalMac(filter.mac) : null;
  return (
    (!filter.status || node.status === filter.status) &&
    (!filter.statuses?.length || filter.statuses.includes(node.status)) &&
    (!filter.architecture || node.architecture === filter.architecture) &&
    (!filter.tag || node.tags.includes(filter.tag)) &&
    (!filter.zone || node.zone === filter.zone) &&
    (!filter.pool || node.pool === filter.pool) &&
    (!filter.owner || node.owner === filter.owner) &&
    (!filter.hostnamePrefix || node.hostname.startsWith(filter.hostnamePrefix.trim().toLowerCase())) &&
    (!filter.mac || (mac !== null && node.macAddresses.includes(mac)))
  );
}
