import type { ListNodesInput, NodePage, NodeRecord, StatusCounts } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { requireNode } from '../shared/move.js';

/** One node, or a 404. */
export function getNode(deps: Deps) {
  return (systemId: string): Promise<NodeRecord> => deps.uow.read((repositories) => requireNode(repositories, systemId));
}

/** A page of nodes in a stable order, every filter ANDed, with the counts per status under the same filters. */
export function listNodes(deps: Deps) {
  return (query: ListNodesInput): Promise<NodePage> => deps.uow.read((repositories) => repositories.nodes.list(query));
}

/** How many nodes are in each status (for the metrics, on every scrape: one cheap query). */
export function countNodes(deps: Deps) {
  return (): Promise<StatusCounts> => deps.uow.read((repositories) => repositories.nodes.countByStatus());
}
