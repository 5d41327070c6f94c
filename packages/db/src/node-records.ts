import type { NodeRecord, NodeStatus } from '@metalyard/domain';
import { dateValue, jsonValue } from './sql-values.js';

/**
 * Reading nodes as plain records with plain SQL, without hydrating entities: one statement for the
 * node rows (owner, zone and pool joined in) and one for the MAC addresses and tags of all of them.
 * A page of a thousand nodes then costs two statements and no identity map.
 */

/** Runs one statement in the caller's transaction (or none) and returns its rows. */
export type Select = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** A node as read, with the keys the store needs to change it. */
export interface LoadedNode {
  id: number;
  systemId: string;
  hostname: string;
  status: NodeStatus;
  record: NodeRecord;
}

interface NodeSqlRow {
  id: number;
  system_id: string;
  hostname: string;
  status: NodeStatus;
  architecture: NodeRecord['architecture'];
  power_type: NodeRecord['powerType'];
  power_parameters: unknown;
  owner_name: string | null;
  zone_name: string | null;
  pool_name: string | null;
  hardware: unknown;
  annotations: unknown;
  status_message: string | null;
  created_at: unknown;
  updated_at: unknown;
}

/** `select <NODE_COLUMNS> from NODE_FROM where …`: every column a record needs, on `node n`. */
export const NODE_COLUMNS =
  'n.id, n.system_id, n.hostname, n.status, n.architecture, n.power_type, n.power_parameters, ' +
  'o.username as owner_name, z.name as zone_name, p.name as pool_name, n.hardware, n.annotations, n.status_message, n.created_at, n.updated_at';
export const NODE_FROM =
  'node n left join app_user o on o.id = n.owner_id left join zone z on z.id = n.zone_id left join pool p on p.id = n.pool_id';

/** Question marks for `values`, for an `in (…)` list. */
export function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** The MAC addresses and tag names of the nodes `ids`, sorted, in one statement. */
async function labelsOf(select: Select, ids: number[]): Promise<Map<number, { macs: string[]; tags: string[] }>> {
  const byNode = new Map(ids.map((id) => [id, { macs: [] as string[], tags: [] as string[] }]));
  if (ids.length === 0) return byNode;
  const rows = await select<{ kind: 'mac' | 'tag'; node_id: number; value: string }>(
    `select 'mac' as kind, m.node_id, m.address as value from mac_address m where m.node_id in (${marks(ids)}) ` +
      `union all select 'tag' as kind, nt.node_id, t.name as value from node_tag nt join tag t on t.id = nt.tag_id where nt.node_id in (${marks(ids)})`,
    [...ids, ...ids],
  );
  for (const row of rows) {
    const labels = byNode.get(Number(row.node_id));
    if (labels) (row.kind === 'mac' ? labels.macs : labels.tags).push(row.value);
  }
  for (const labels of byNode.values()) {
    labels.macs.sort();
    labels.tags.sort();
  }
  return byNode;
}

/** The nodes a statement `select NODE_COLUMNS from NODE_FROM …` returns, in its order, as records. */
export async function selectNodes(select: Select, sql: string, params: unknown[]): Promise<LoadedNode[]> {
  const rows = await select<NodeSqlRow>(sql, params);
  const labels = await labelsOf(
    select,
    rows.map((row) => Number(row.id)),
  );
  return rows.map((row) => {
    const id = Number(row.id);
    const { macs, tags } = labels.get(id)!;
    return {
      id,
      systemId: row.system_id,
      hostname: row.hostname,
      status: row.status,
      record: {
        systemId: row.system_id,
        hostname: row.hostname,
        status: row.status,
        architecture: row.architecture,
        macAddresses: macs,
        powerType: row.power_type,
        powerParameters: jsonValue(row.power_parameters),
        owner: row.owner_name,
        zone: row.zone_name,
        pool: row.pool_name,
        tags,
        hardware: jsonValue(row.hardware) ?? null,
        annotations: jsonValue(row.annotations) ?? {},
        statusMessage: row.status_message ?? null,
        createdAt: dateValue(row.created_at),
        updatedAt: dateValue(row.updated_at),
      },
    };
  });
}
