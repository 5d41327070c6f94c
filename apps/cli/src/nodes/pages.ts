import type { MetalyardClient, Node, RouterInputs } from '@metalyard/sdk';

export type NodeFilter = Omit<NonNullable<RouterInputs['protected']['nodes']['list']>, 'limit' | 'cursor'>;

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
