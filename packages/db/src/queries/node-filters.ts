import type { AcquireConstraints, ListNodesInput } from '@metalyard/domain';
import { marks } from './sql.js';
import { TABLES as T } from './tables.js';

/** A condition on `node n` with its parameters. */
export interface Clause {
  sql: string;
  params: unknown[];
}

const clause = (sql: string, ...params: unknown[]): Clause => ({ sql, params });
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const tagsOf = (names: readonly string[]) =>
  `select nt.node_id from ${T.nodeTag} nt join ${T.tag} t on t.id = nt.tag_id where t.name in (${marks(names)})`;

/** The conditions lists and acquires filter nodes by, each written once. */
export const byNode = {
  systemId: (systemId: string) => clause('n.system_id = ?', systemId),
  hostname: (hostname: string) => clause('n.hostname = ?', hostname),
  hostnamePrefix: (prefix: string) => clause(`n.hostname like ? escape '\\'`, `${escapeLike(prefix)}%`),
  mac: (mac: string) => clause(`n.id in (select node_id from ${T.macAddress} where address = ?)`, mac),
  architectures: (architectures: readonly string[]) => clause(`n.architecture in (${marks(architectures)})`, ...architectures),
  owner: (username: string) => clause(`n.owner_id in (select id from ${T.user} where username = ?)`, username),
  minCpu: (count: number) => clause('n.cpu_count >= ?', count),
  minMemoryMb: (megabytes: number) => clause('n.memory_mb >= ?', megabytes),
  /** Tagged with every one of `names`. */
  tags: (names: readonly string[]) => {
    const unique = [...new Set(names)];
    return clause(`n.id in (${tagsOf(unique)} group by nt.node_id having count(*) = ?)`, ...unique, unique.length);
  },
  notTags: (names: readonly string[]) => clause(`n.id not in (${tagsOf(names)})`, ...names),
  zone: (name: string) => clause(`n.zone_id in (select id from ${T.zone} where name = ?)`, name),
  notInZones: (names: readonly string[]) =>
    clause(`(n.zone_id is null or n.zone_id not in (select id from ${T.zone} where name in (${marks(names)})))`, ...names),
  pool: (name: string) => clause(`n.pool_id in (select id from ${T.pool} where name = ?)`, name),
};

/** A list's filters, all but the status ones (which the counts leave out). */
export function listFilters(query: ListNodesInput): Clause[] {
  const clauses: Clause[] = [];
  if (query.architecture) clauses.push(byNode.architectures([query.architecture]));
  if (query.owner) clauses.push(byNode.owner(query.owner));
  if (query.zone) clauses.push(byNode.zone(query.zone));
  if (query.pool) clauses.push(byNode.pool(query.pool));
  if (query.tag) clauses.push(byNode.tags([query.tag]));
  if (query.hostnamePrefix) clauses.push(byNode.hostnamePrefix(query.hostnamePrefix));
  if (query.mac) clauses.push(byNode.mac(query.mac));
  return clauses;
}

/** An acquire's constraints, ANDed. */
export function constraintFilters(c: AcquireConstraints): Clause[] {
  const clauses: Clause[] = [];
  if (c.systemId) clauses.push(byNode.systemId(c.systemId));
  if (c.hostname) clauses.push(byNode.hostname(c.hostname));
  if (c.architecture?.length) clauses.push(byNode.architectures(c.architecture));
  if (c.minCpu) clauses.push(byNode.minCpu(c.minCpu));
  if (c.minMemoryMb) clauses.push(byNode.minMemoryMb(c.minMemoryMb));
  if (c.tags?.length) clauses.push(byNode.tags(c.tags));
  if (c.notTags?.length) clauses.push(byNode.notTags(c.notTags));
  if (c.zone) clauses.push(byNode.zone(c.zone));
  if (c.notInZone?.length) clauses.push(byNode.notInZones(c.notInZone));
  if (c.pool) clauses.push(byNode.pool(c.pool));
  return clauses;
}

/** `where a and b …` (or nothing) for the clauses, and their parameters in order. */
export function whereOf(clauses: readonly Clause[], leading: readonly Clause[] = []): Clause {
  const all = [...leading, ...clauses];
  return { sql: all.length ? ` where ${all.map((c) => c.sql).join(' and ')}` : '', params: all.flatMap((c) => c.params) };
}
