import { EventSource } from 'eventsource';
import type { EventSourceConstructor, MetalyardClient, NodeEvent } from '@metalyard/sdk';
import { userClient } from '../config/target.js';
import type { Session } from '../session.js';

/**
 * Node 22 and 24 have no global EventSource without a flag: the subscription needs the `eventsource` package's. Its declared
 * handler properties are nullable, where @types/node's are not; the two behave the same.
 */
const NodeEventSource = EventSource as unknown as EventSourceConstructor;

/**
 * A client that can subscribe to live events. It asks who it is first, so that a refused token
 * or an unreachable server fails here, once, instead of in the subscription's retry loop.
 */
export async function liveClient(session: Session): Promise<MetalyardClient> {
  const client = userClient(await session.target(), { EventSource: NodeEventSource });
  await client.protected.me.query();
  return client;
}

export interface EventStream {
  stop(): void;
  /** Rejects when the subscription fails; never resolves. */
  failed: Promise<never>;
}

export interface EventHandlers {
  /** The subscription is live: nothing that happens from now on is missed. */
  onStarted?(): void;
  onEvent(event: NodeEvent): void;
}

/** Every new event (of one node, with `systemId`), live; resumes after `lastEventId` when given. */
export function subscribeEvents(
  client: MetalyardClient,
  input: { systemId?: string; lastEventId?: number },
  handlers: EventHandlers,
): EventStream {
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  failed.catch(() => undefined); // a caller that stopped listening does not care
  const subscription = client.protected.events.onChange.subscribe(
    { ...(input.systemId ? { systemId: input.systemId } : {}), ...(input.lastEventId ? { lastEventId: String(input.lastEventId) } : {}) },
    {
      onStarted: () => handlers.onStarted?.(),
      onData: ({ data }) => handlers.onEvent(data),
      onError: (error) => {
        subscription.unsubscribe();
        fail(error);
      },
    },
  );
  return { stop: () => subscription.unsubscribe(), failed };
}

/**
 * Resolves on Ctrl-C (SIGINT) or SIGTERM, after calling `stop`: a live command then exits 0. A second
 * signal while it stops (a terminal and a wrapper such as timeout(1) often both deliver one) ends the
 * process at once, still with 0: the user asked it to stop, and it did.
 */
export function untilInterrupted(stop: () => void): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) process.exit(0);
      stopping = true;
      stop();
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
