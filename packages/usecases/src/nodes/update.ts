import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  assertMayUpdateNode,
  powerParameterProblems,
  type NodeRecord,
  type NodeUpdate,
  type UserActor,
} from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { DuplicateKeyError, type NodeEdit } from '../ports/index.js';
import { nodeEvent } from '../shared/events.js';
import { requireNode } from '../shared/move.js';

/** Hostname and tags (owner or admin); power type and parameters, zone and pool (admin). */
export function updateNode(deps: Deps) {
  return (update: NodeUpdate, actor: UserActor): Promise<NodeRecord> =>
    deps.uow.transaction(async (tx) => {
      const node = await requireNode(tx, update.systemId);
      const given = (['hostname', 'powerType', 'powerParameters', 'zone', 'pool', 'tags'] as const).filter(
        (field) => update[field] !== undefined,
      );
      assertMayUpdateNode(actor.user, node.owner, node.systemId, given);

      const now = deps.clock.now();
      const edit: NodeEdit = { updatedAt: now };
      const next: NodeRecord = { ...node, updatedAt: now };
      const changed: string[] = [];
      if (update.hostname !== undefined && update.hostname !== node.hostname) {
        const holder = (await tx.nodes.hostnameHolders([update.hostname])).get(update.hostname);
        if (holder) throw new ConflictError(`hostname '${update.hostname}' is taken by node ${holder}`);
        edit.hostname = next.hostname = update.hostname;
        changed.push('hostname');
      }
      if (update.powerType !== undefined || update.powerParameters !== undefined) {
        // The driver checks the parameters the node will have, with the type it will have.
        const problems = powerParameterProblems(update.powerType ?? node.powerType, update.powerParameters ?? node.powerParameters);
        if (problems.length) throw new InvalidInputError(`invalid input: ${problems.join('; ')}`, 'powerParameters');
      }
      if (update.powerType !== undefined) {
        edit.powerType = next.powerType = update.powerType;
        changed.push('powerType');
      }
      if (update.powerParameters !== undefined) {
        edit.powerParameters = next.powerParameters = update.powerParameters;
        changed.push('powerParameters');
      }
      for (const kind of ['zone', 'pool'] as const) {
        const name = update[kind];
        if (name === undefined) continue;
        if (name !== null && (await tx.labels.missing(kind, [name])).length) throw new NotFoundError(kind, name);
        edit[kind] = next[kind] = name;
        changed.push(kind);
      }
      if (update.tags !== undefined) {
        const names = [...new Set(update.tags)];
        const missing = await tx.labels.missing('tag', names);
        if (missing.length) throw new NotFoundError('tag', missing.join(', '));
        edit.tags = names;
        next.tags = [...names].sort();
        changed.push('tags');
      }
      if (changed.length === 0) return node;
      try {
        await tx.nodes.edit(node.id, edit);
      } catch (error) {
        if (error instanceof DuplicateKeyError) throw new ConflictError(`hostname '${update.hostname}' was taken at the same moment`);
        throw error;
      }
      await tx.events.append([nodeEvent(node, 'update', actor, now, { details: { changed } })]);
      return next;
    });
}
