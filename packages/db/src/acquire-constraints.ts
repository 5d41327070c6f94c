import type { AcquireConstraints } from '@metalyard/domain';

/** One constraint of an acquire: an SQL condition on `node n`, and how to say it in a sentence. */
export interface ConstraintClause {
  /** e.g. "in zone rack-2" — reads after "nodes". */
  label: string;
  sql: string;
  params: unknown[];
}

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');
const list = (values: readonly string[]) => values.join(', ');

/** The constraints, ANDed, in the order a person narrows a search (identity, hardware, labels). */
export function describeConstraints(c: AcquireConstraints): ConstraintClause[] {
  const clauses: ConstraintClause[] = [];
  if (c.systemId) clauses.push({ label: `with system id ${c.systemId}`, sql: 'n.system_id = ?', params: [c.systemId] });
  if (c.hostname) clauses.push({ label: `named ${c.hostname}`, sql: 'n.hostname = ?', params: [c.hostname] });
  if (c.architecture?.length) {
    clauses.push({ label: `with architecture ${c.architecture.join(' or ')}`, sql: `n.architecture in (${marks(c.architecture)})`, params: c.architecture });
  }
  if (c.minCpu) clauses.push({ label: `with at least ${c.minCpu} CPU(s)`, sql: 'n.cpu_count >= ?', params: [c.minCpu] });
  if (c.minMemoryMb) clauses.push({ label: `with at least ${c.minMemoryMb} MiB of memory`, sql: 'n.memory_mb >= ?', params: [c.minMemoryMb] });
  if (c.tags?.length) {
    const tags = [...new Set(c.tags)];
    clauses.push({
      label: `tagged ${list(tags)}`,
      sql: `n.id in (select nt.node_id from node_tag nt join tag t on t.id = nt.tag_id where t.name in (${marks(tags)}) group by nt.node_id having count(*) = ?)`,
      params: [...tags, tags.length],
    });
  }
  if (c.notTags?.length) {
    clauses.push({
      label: `without tag(s) ${list(c.notTags)}`,
      sql: `n.id not in (select nt.node_id from node_tag nt join tag t on t.id = nt.tag_id where t.name in (${marks(c.notTags)}))`,
      params: c.notTags,
    });
  }
  if (c.zone) clauses.push({ label: `in zone ${c.zone}`, sql: 'n.zone_id in (select id from zone where name = ?)', params: [c.zone] });
  if (c.notInZone?.length) {
    clauses.push({
      label: `outside zone(s) ${list(c.notInZone)}`,
      sql: `(n.zone_id is null or n.zone_id not in (select id from zone where name in (${marks(c.notInZone)})))`,
      params: c.notInZone,
    });
  }
  if (c.pool) clauses.push({ label: `in pool ${c.pool}`, sql: 'n.pool_id in (select id from pool where name = ?)', params: [c.pool] });
  return clauses;
}

type Select = <T>(sql: string, params: unknown[]) => Promise<T[]>;

function where(clauses: ConstraintClause[]): { sql: string; params: unknown[] } {
  return { sql: clauses.map((clause) => ` and ${clause.sql}`).join(''), params: clauses.flatMap((clause) => clause.params) };
}

/**
 * Says which constraint eliminated the candidates — "3 ready node(s), none in zone rack-2;
 * matching nodes in other states: 1 allocated" — instead of an opaque "no machine matches".
 */
export async function explainNoMatch(clauses: ConstraintClause[], select: Select): Promise<string> {
  const countReady = async (subset: ConstraintClause[]) => {
    const { sql, params } = where(subset);
    const [row] = await select<{ n: number }>(`select count(*) as n from node n where n.status = 'ready'${sql}`, params);
    return Number(row?.n ?? 0);
  };
  const elsewhere = async () => {
    const { sql, params } = where(clauses);
    const rows = await select<{ status: string; n: number }>(
      `select n.status as status, count(*) as n from node n where n.status <> 'ready'${sql} group by n.status order by n.status`,
      params,
    );
    return rows.map((row) => `${Number(row.n)} ${row.status}`).join(', ');
  };

  const ready = await countReady([]);
  if (ready === 0) {
    const others = await elsewhere();
    if (others) return `no ready node to acquire (${clauses.length ? 'matching nodes' : 'nodes'} in other states: ${others})`;
    return `no ready node to acquire (${clauses.length ? 'no node matches at all' : 'there are no nodes at all'})`;
  }
  let remaining = ready;
  let narrowed = `${ready} ready node(s)`;
  for (let i = 0; i < clauses.length; i++) {
    const count = await countReady(clauses.slice(0, i + 1));
    if (count === 0) {
      const others = await elsewhere();
      const after = i > 0 ? `, ${remaining} of them ${clauses.slice(0, i).map((clause) => clause.label).join(' and ')}` : '';
      return `no ready node matches: ${narrowed}${after}, none ${clauses[i]!.label}${others ? `; matching nodes in other states: ${others}` : ''}`;
    }
    remaining = count;
  }
  narrowed += `, ${remaining} matching`;
  return `no ready node could be claimed: ${narrowed}, but others took them first; try again`;
}
