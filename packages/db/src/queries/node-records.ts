import type { AgentStep, NodeRecord, NodeStatus } from '@metalyard/domain';
import { marks, type Sql } from './sql.js';
import { TABLES as T } from './tables.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { dateValue, jsonValue } from './values.js';

/**
 * Nodes read as records with plain SQL, no entities: one statement for the node rows (owner, zone
 * and pool joined in) and one for the MAC addresses and tags of all of them, so a page of a
 * thousand nodes costs two statements.
 */

interface NodeRow {
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
  power_state: NodeRecord['powerState'];
  power_state_checked_at: unknown;
  agent_step: AgentStep | null;
  agent_message: string | null;
  agent_at: unknown;
  image: string | null;
  agent_token_issued_at: unknown;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS =
  'n.id, n.system_id, n.hostname, n.status, n.architecture, n.power_type, n.power_parameters, ' +
  'o.username as owner_name, z.name as zone_name, p.name as pool_name, n.hardware, n.annotations, n.status_message, n.power_state, n.power_state_checked_at, ' +
  'n.agent_step, n.agent_message, n.agent_at, n.image, n.agent_token_issued_at, n.created_at, n.updated_at';
const FROM = `${T.node} n left join ${T.user} o on o.id = n.owner_id left join ${T.zone} z on z.id = n.zone_id left join ${T.pool} p on p.id = n.pool_id`;

/** `select … from node n …`: add ` where …` and the rest; read it with `readNodes`. */
export const SELECT_NODES = `select ${COLUMNS} from ${FROM}`;

/** The MAC addresses and tag names of the nodes `ids`, sorted, in one statement. */
async function labelsOf(sql: Sql, ids: number[]): Promise<Map<number, { macs: string[]; tags: string[] }>> {
  const byNode = new Map(ids.map((id) => [id, { macs: [] as string[], tags: [] as string[] }]));
  if (ids.length === 0) return byNode;
  const rows = await sql.all<{ kind: 'mac' | 'tag'; node_id: number; value: string }>(
    `select 'mac' as kind, m.node_id, m.address as value from ${T.macAddress} m where m.node_id in (${marks(ids)}) ` +
      `union all select 'tag' as kind, nt.node_id, t.name as value from ${T.nodeTag} nt join ${T.tag} t on t.id = nt.tag_id where nt.node_id in (${marks(ids)})`,
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

/** The nodes a `SELECT_NODES …` statement returns, in its order, as records. */
export async function readNodes(sql: Sql, secrets: SecretBox, statement: string, params: readonly unknown[]): Promise<NodeRecord[]> {
  const rows = await sql.all<NodeRow>(statement, params);
  const labels = await labelsOf(
    sql,
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
      architecture: row.architecture,
      macAddresses: macs,
      powerType: row.power_type,
      powerParameters: secrets.lazyParameters(jsonValue(row.power_parameters) ?? {}),
      owner: row.owner_name,
      zone: row.zone_name,
      pool: row.pool_name,
      tags,
      hardware: jsonValue(row.hardware) ?? null,
      annotations: jsonValue(row.annotations) ?? {},
      statusMessage: row.status_message ?? null,
      powerState: row.power_state ?? 'unknown',
      powerStateCheckedAt: row.power_state_checked_at == null ? null : dateValue(row.power_state_checked_at),
      agent:
        row.agent_step && row.agent_at != null
          ? { step: row.agent_step, message: row.agent_message ?? '', at: dateValue(row.agent_at) }
          : null,
      image: row.image ?? null,
      agentTokenIssuedAt: row.agent_token_issued_at == null ? null : dateValue(row.agent_token_issued_at),
      createdAt: dateValue(row.created_at),
      updatedAt: dateValue(row.updated_at),
    };
  });
}
