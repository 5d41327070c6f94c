import type { Architecture, Node, NodeStatus } from '@metalyard/sdk';
import type { NodeFilter } from './api/keys.js';
import { ARCHITECTURES, NODE_STATUSES } from './rules.js';

/** The columns the machine table sorts by. */
export const SORT_KEYS = ['hostname', 'status', 'powerState', 'architecture', 'zone', 'pool', 'owner', 'createdAt'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** The column headers' words. */
export const SORT_LABELS: Record<SortKey, string> = {
  hostname: 'Machine',
  status: 'Status',
  powerState: 'Power',
  architecture: 'Architecture',
  zone: 'Zone',
  pool: 'Pool',
  owner: 'Owner',
  createdAt: 'Enlisted',
};

export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** What the machine table shows: the server's filters, and how the loaded rows are sorted. */
export interface MachineView extends Required<NodeFilter> {
  architecture: Architecture | '';
  /** null: the server's order, which is the order machines were enlisted in. */
  sort: Sort | null;
}

export const DEFAULT_VIEW: MachineView = { status: null, search: '', zone: '', pool: '', tag: '', architecture: '', sort: null };

const has = <T extends string>(choices: readonly T[], value: string | null): value is T =>
  value !== null && (choices as readonly string[]).includes(value);

/** The view a link names (`#/?status=ready&zone=dc1&sort=-hostname`); what it does not understand is left at its default. */
export function parseMachineView(query: URLSearchParams): MachineView {
  const status = query.get('status');
  const architecture = query.get('arch');
  const sort = query.get('sort') ?? '';
  const key = sort.replace(/^-/, '');
  return {
    status: has<NodeStatus>(NODE_STATUSES, status) ? status : null,
    search: query.get('q')?.trim() ?? '',
    zone: query.get('zone') ?? '',
    pool: query.get('pool') ?? '',
    tag: query.get('tag') ?? '',
    architecture: has<Architecture>(ARCHITECTURES, architecture) ? architecture : '',
    sort: has(SORT_KEYS, key) ? { key, descending: sort.startsWith('-') } : null,
  };
}

/** The link's query for `view`: only what differs from the default. */
export function machineViewQuery(view: MachineView): Record<string, string | undefined> {
  return {
    status: view.status ?? undefined,
    q: view.search || undefined,
    zone: view.zone || undefined,
    pool: view.pool || undefined,
    tag: view.tag || undefined,
    arch: view.architecture || undefined,
    sort: view.sort ? `${view.sort.descending ? '-' : ''}${view.sort.key}` : undefined,
  };
}

/** Whether any server-side filter narrows the list (the status chips aside). */
export function isNarrowed(view: MachineView): boolean {
  return Boolean(view.search || view.zone || view.pool || view.tag || view.architecture);
}

/** Clicking a column: sorts by it ascending, then descending, then back to the server's order. */
export function nextSort(current: Sort | null, key: SortKey): Sort | null {
  if (current?.key !== key) return { key, descending: false };
  return current.descending ? null : { key, descending: true };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** What a row sorts on; null (no zone, no owner) sorts last whichever the direction. */
function sortValue(node: Node, key: SortKey): string | number | null {
  // Statuses sort in lifecycle order (declared, ready, …), not alphabetically.
  if (key === 'status') return NODE_STATUSES.indexOf(node.status);
  // On before off; unknown (never asked, or manual power) counts as no value.
  if (key === 'powerState') return node.powerState === 'on' ? 0 : node.powerState === 'off' ? 1 : null;
  return node[key] || null;
}

function compareValues(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b));
}

/** `nodes` sorted by `sort` (ties keep the server's order); the server's order when null. */
export function sortNodes(nodes: readonly Node[], sort: Sort | null): Node[] {
  if (!sort) return [...nodes];
  const direction = sort.descending ? -1 : 1;
  return nodes
    .map((node, index) => ({ node, index, value: sortValue(node, sort.key) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      return compareValues(a.value, b.value) * direction || a.index - b.index;
    })
    .map(({ node }) => node);
}
