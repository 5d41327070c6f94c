import { ConflictError, MAX_ANNOTATIONS, assertMayAnnotate, type NodeRecord, type UserActor } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { nodeEvent } from '../shared/events.js';
import { requireNode } from '../shared/move.js';

/** The owner's key → value notes (null removes a key); wiped when the node is handed back. */
export function annotateNode(deps: Deps) {
  return (systemId: string, annotations: Record<string, string | null>, actor: UserActor): Promise<NodeRecord> =>
    deps.uow.transaction(async (tx) => {
      const node = await requireNode(tx, systemId);
      assertMayAnnotate(actor.user, node.owner, systemId);
      const next = { ...node.annotations };
      for (const [key, value] of Object.entries(annotations)) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      if (Object.keys(next).length > MAX_ANNOTATIONS) throw new ConflictError(`a node may hold at most ${MAX_ANNOTATIONS} annotations`);
      const now = deps.clock.now();
      await tx.nodes.setAnnotations(node.id, next, now);
      await tx.events.append([nodeEvent(node, 'annotate', actor, now, { details: { keys: Object.keys(annotations) } })]);
      return { ...node, annotations: next, updatedAt: now };
    });
}
