import { httpStatusOf, isMetalyardError, type ErrorData, type MetalyardClient, type Node } from '@metalyard/sdk';
import { listAllNodes } from '../nodes/pages.js';
import { canonicalMac } from '../nodes/vocabulary.js';
import { messageOf } from '../output/errors.js';
import { applyLabels } from './labels.js';
import { enlistInputOf, type InventoryRow } from './rows.js';
import { mapWithConcurrency } from './pool.js';

/**
 * What became of one row: `created` (a new node), `reenlisted` (a declared node with one of its
 * MACs, now accepted), `present` (its MAC already belongs to a node that is past declared) or `refused`.
 */
export type Outcome = 'created' | 'reenlisted' | 'present' | 'refused';

export interface RowResult {
  /** 1-based position of the row among the file's machines. */
  row: number;
  hostname: string | null;
  outcome: Outcome;
  systemId: string | null;
  /** Why the server refused the row. */
  reason: string | null;
}

/** The node a 409 names when one of the MACs already belongs to it (`details.systemId`). */
function holderOf(error: unknown): string | null {
  if (!isMetalyardError(error) || httpStatusOf(error) !== 409) return null;
  const holder = (error.data as ErrorData | undefined)?.details?.systemId;
  return typeof holder === 'string' ? holder : null;
}

/** A failure that would refuse every row alike: stop instead of reporting it a thousand times. */
function isFatal(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === undefined || status === 401 || status === 403;
}

/** The inventory before the import: which node holds each MAC. */
async function nodesByMac(client: MetalyardClient): Promise<Map<string, Node>> {
  const byMac = new Map<string, Node>();
  for (const node of await listAllNodes(client)) for (const mac of node.macAddresses) byMac.set(mac, node);
  return byMac;
}

export interface ImportOptions {
  concurrency: number;
  onResult(result: RowResult): void;
}

/**
 * Enlists every row as the user. Running it again changes nothing: a row with a MAC of a node
 * past declared is present without asking the server again (or when the server answers 409
 * naming that node); a declared node is accepted by the enlistment, and counted re-enlisted.
 * Then the node gets the row's zone, pool and tags where it does not have them yet.
 */
export async function importRows(client: MetalyardClient, rows: InventoryRow[], options: ImportOptions): Promise<RowResult[]> {
  const known = await nodesByMac(client);
  const enlist = async (row: InventoryRow, base: Pick<RowResult, 'row' | 'hostname'>): Promise<RowResult> => {
    const holders = row.macs.flatMap((mac) => known.get(canonicalMac(mac) ?? '') ?? []);
    const settled = holders.find((node) => node.status !== 'declared');
    try {
      if (settled) {
        await applyLabels(client, row, settled);
        return { ...base, outcome: 'present', systemId: settled.systemId, reason: null };
      }
      const node = await client.protected.enlist.mutate(enlistInputOf(row));
      await applyLabels(client, row, node);
      return { ...base, outcome: holders.length ? 'reenlisted' : 'created', systemId: node.systemId, reason: null };
    } catch (error) {
      if (isFatal(error)) throw error;
      const holder = holderOf(error);
      return holder
        ? { ...base, outcome: 'present', systemId: holder, reason: null }
        : { ...base, outcome: 'refused', systemId: null, reason: messageOf(error) };
    }
  };
  return mapWithConcurrency(rows, options.concurrency, async (row, index) => {
    const result = await enlist(row, { row: index + 1, hostname: row.hostname ?? null });
    options.onResult(result);
    return result;
  });
}
