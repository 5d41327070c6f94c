import type { MetalyardClient, Node } from '@metalyard/sdk';
import type { InventoryRow } from './rows.js';

const GROUPS = {
  tags: (row: InventoryRow) => row.tags,
  zones: (row: InventoryRow) => (row.zone ? [row.zone] : []),
  pools: (row: InventoryRow) => (row.pool ? [row.pool] : []),
};
type Group = keyof typeof GROUPS;
export type CreatedLabels = Record<Group, string[]>;

/** Creates the tags, zones and pools the rows name that do not exist yet (which takes an admin). */
export async function ensureLabels(client: MetalyardClient, rows: InventoryRow[]): Promise<CreatedLabels> {
  const created: CreatedLabels = { tags: [], zones: [], pools: [] };
  for (const group of Object.keys(GROUPS) as Group[]) {
    const wanted = new Set(rows.flatMap(GROUPS[group]));
    if (wanted.size === 0) continue;
    const existing = new Set((await client.protected[group].list.query()).map((label) => label.name));
    for (const name of wanted) {
      if (existing.has(name)) continue;
      await client.protected[group].create.mutate({ name });
      created[group].push(name);
    }
  }
  return created;
}

const sameTags = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((tag, index) => tag === [...b].sort()[index]);

/** Gives the node the row's zone, pool and tags where the row names them and the node differs; a row without them changes nothing. */
export async function applyLabels(client: MetalyardClient, row: InventoryRow, node: Node): Promise<void> {
  const change = {
    ...(row.zone && row.zone !== node.zone ? { zone: row.zone } : {}),
    ...(row.pool && row.pool !== node.pool ? { pool: row.pool } : {}),
    ...(row.tags.length && !sameTags(row.tags, node.tags) ? { tags: row.tags } : {}),
  };
  if (Object.keys(change).length) await client.protected.nodes.update.mutate({ systemId: node.systemId, ...change });
}
