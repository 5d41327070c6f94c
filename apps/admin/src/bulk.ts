import type { MetalyardClient, Node } from '@metalyard/sdk';
import type { NodeUpdate } from './api/nodes.js';
import type { Viewer } from './api/viewer.js';
import type { MachineToken } from './components/MachineTokenDialog.js';
import { machines } from './format.js';
import { changesOf } from './screens/detail/EditMachineDialog.js';
import { actionFor, BULK_ACTIONS, type ActionInput, type BulkAction, type NodeActionView } from './lifecycle.js';

/** An action on a selection: the machines it applies to, and those it leaves as they are (and why). */
export interface BulkPlan {
  action: BulkAction;
  label: string;
  /** Each machine it applies to, with how the app runs it there. */
  eligible: { node: Node; view: NodeActionView }[];
  skipped: { node: Node; reason: string }[];
}

/** Splits the selected machines by whether `viewer` may take `action` on each from where it is now. */
export function planBulk(nodes: readonly Node[], viewer: Viewer, action: BulkAction): BulkPlan {
  const plan: BulkPlan = { action, label: '', eligible: [], skipped: [] };
  for (const node of nodes) {
    const view = actionFor(node, viewer, action);
    if (view) plan.eligible.push({ node, view });
    else
      plan.skipped.push({
        node,
        reason: node.owner && node.owner !== viewer.username && viewer.role !== 'admin' ? `owned by ${node.owner}` : node.status,
      });
  }
  plan.label = plan.eligible[0]?.view.label ?? action;
  return plan;
}

/** The bulk actions that apply to at least one of the selected machines, in the table's order. */
export function bulkChoices(nodes: readonly Node[], viewer: Viewer): BulkPlan[] {
  return (Object.keys(BULK_ACTIONS) as BulkAction[])
    .map((action) => planBulk(nodes, viewer, action))
    .filter((plan) => plan.eligible.length > 0);
}

export interface BulkResult {
  done: Node[];
  failed: { node: Node; error: unknown }[];
  /** Per-node tokens of machines that started commissioning, shown once. */
  machineTokens: MachineToken[];
}

/**
 * Runs `plan`. Accepting is one call, all or nothing, as the API does it; other actions are one
 * call per machine, and each machine's refusal is kept apart so that the others still happen.
 */
export async function runBulk(client: MetalyardClient, plan: BulkPlan, input: ActionInput): Promise<BulkResult> {
  const nodes = plan.eligible.map(({ node }) => node);
  if (plan.action === 'accept') {
    try {
      const result = await client.protected.nodes.accept.mutate({ systemIds: nodes.map((node) => node.systemId) });
      const tokens = result.machineTokens ?? {};
      const machineTokens = nodes.flatMap((node) =>
        tokens[node.systemId] ? [{ machine: node.hostname, token: tokens[node.systemId]! }] : [],
      );
      return { done: nodes, failed: [], machineTokens };
    } catch (error) {
      return { done: [], failed: nodes.map((node) => ({ node, error })), machineTokens: [] };
    }
  }
  return eachNode(plan.eligible, ({ node, view }) => view.run(client, node, input));
}

/**
 * Calls `call` for every entry at once (the SDK sends calls made together in one batched request)
 * and sorts the machines into done and refused, keeping each refusal.
 */
export async function eachNode<T extends { node: Node }>(entries: readonly T[], call: (entry: T) => Promise<unknown>): Promise<BulkResult> {
  const outcomes = await Promise.allSettled(entries.map(call));
  const result: BulkResult = { done: [], failed: [], machineTokens: [] };
  outcomes.forEach((outcome, index) => {
    const { node } = entries[index]!;
    if (outcome.status === 'rejected') return void result.failed.push({ node, error: outcome.reason });
    result.done.push(node);
    const token = (outcome.value as { machineToken?: string } | undefined)?.machineToken;
    if (token) result.machineTokens.push({ machine: node.hostname, token });
  });
  return result;
}

/** Zone, pool and tags given to several machines: undefined leaves a zone or pool as it is. */
export interface Assignment {
  zone?: string | null;
  pool?: string | null;
  addTags: readonly string[];
  removeTags: readonly string[];
}

/** The update that gives `node` the assignment, with only what changes (just `systemId` if nothing does). */
export function assignmentUpdate(node: Node, assignment: Assignment): NodeUpdate {
  const tags = [...new Set([...node.tags, ...assignment.addTags])].filter((tag) => !assignment.removeTags.includes(tag));
  return changesOf(node, {
    tags,
    ...(assignment.zone !== undefined ? { zone: assignment.zone } : {}),
    ...(assignment.pool !== undefined ? { pool: assignment.pool } : {}),
  });
}

/** "Mark broken: 2 machines done." or "Release: 2 machines done, 1 refused." */
export function bulkSummary(label: string, result: BulkResult): string {
  const done = `${label}: ${machines(result.done.length)} done`;
  return result.failed.length ? `${done}, ${result.failed.length} refused.` : `${done}.`;
}
