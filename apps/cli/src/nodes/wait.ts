import type { MetalyardClient, Node, NodeStatus } from '@metalyard/sdk';
import { subscribeEvents } from '../events/live.js';
import { CliError, EXIT } from '../output/exit-codes.js';

/** The states a node passes through on its own (the machine reports, the server erases). */
const TRANSIENT: ReadonlySet<NodeStatus> = new Set(['commissioning', 'deploying', 'releasing']);

/** A re-read now and then, in case an event is lost on a reconnect. */
const POLL_MS = 5_000;

export const isTransient = (status: NodeStatus) => TRANSIENT.has(status);

const describe = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/**
 * Waits until the node is no longer in a transient state, following its live events (and re-reading
 * it every few seconds as well), and resolves with the node as it is then. Rejects when the time
 * runs out (exit 1), when the node is deleted meanwhile (404: exit 4), or when the server fails.
 * `client` must be able to subscribe (see liveClient).
 */
export function waitUntilSettled(client: MetalyardClient, node: Node, timeoutMs: number): Promise<Node> {
  if (!isTransient(node.status)) return Promise.resolve(node);
  const { systemId } = node;
  let last = node.status;
  process.stderr.write(`Waiting for ${systemId} to finish ${last} (at most ${describe(timeoutMs)})…\n`);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      stream.stop();
      settle();
    };
    const check = async () => {
      try {
        const current = await client.protected.nodes.get.query({ systemId });
        if (current.status !== last) process.stderr.write(`${systemId}: ${last} → ${current.status}\n`);
        last = current.status;
        if (!isTransient(current.status)) finish(() => resolve(current));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const stream = subscribeEvents(client, { systemId }, { onStarted: () => void check(), onEvent: () => void check() });
    stream.failed.catch((error: unknown) => finish(() => reject(error)));
    const poll = setInterval(() => void check(), POLL_MS);
    const timer = setTimeout(
      () => finish(() => reject(new CliError(`timed out after ${describe(timeoutMs)}: ${systemId} is still ${last}`, EXIT.failure))),
      timeoutMs,
    );
  });
}
