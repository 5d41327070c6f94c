import type { Deps } from '../deps.js';
import type { Transaction } from '../ports/index.js';
import { GroupCommit } from './group-commit.js';

/** One use case's write on nodes: its answer, or the refusal it returns without having written. */
export type NodeWrite<Result> = (tx: Transaction) => Promise<Result | Error>;

const queues = new WeakMap<Deps, GroupCommit<NodeWrite<unknown>, unknown>>();

/**
 * The one queue of person-driven node writes (acquire, and the actions: release, deploy, …), group
 * committed in arrival order: writes that come while a batch is being written are served together,
 * one after the other in one transaction, so a release that came first frees its node for an
 * acquire that came after it in the same batch. A refusal returned by a write is its caller's answer
 * alone; anything thrown fails the batch, which is then served one write per transaction, each
 * exactly as it would be alone. Only where transactions take turns (SQLite); on PostgreSQL each
 * write is its own transaction, as concurrent ones run side by side.
 */
export function writeNodes<Result>(deps: Deps, write: NodeWrite<Result>): Promise<Result> {
  // Where transactions run side by side (PostgreSQL), each write is its own: batching would only
  // make them wait for each other.
  if (!deps.uow.serialWrites) {
    return deps.uow.transaction(async (tx) => {
      const result = await write(tx);
      if (result instanceof Error) throw result;
      return result;
    });
  }
  let queue = queues.get(deps);
  if (!queue) {
    queue = new GroupCommit<NodeWrite<unknown>, unknown>(
      (writes) =>
        deps.uow.transaction(async (tx) => {
          const results: unknown[] = [];
          for (const each of writes) results.push(await each(tx));
          return results;
        }),
      64,
      (size) => deps.observer.batchWritten?.('nodes', size),
    );
    queues.set(deps, queue);
  }
  return queue.submit(write) as Promise<Result>;
}
