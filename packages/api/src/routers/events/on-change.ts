import { tracked } from '@trpc/server';
import { eventSubscriptionInputSchema, type EventRecord } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toEventView } from '../../wire/index.js';

const REPLAY_LIMIT = 1000;

/**
 * Every new event, live, over SSE (optionally for one node). Each carries its id, so a client
 * that reconnects resumes where it left off. The listener goes away with the client.
 */
export const onEventChange = protectedProcedure.input(eventSubscriptionInputSchema).subscription(async function* ({ ctx, input, signal }) {
  const pending: EventRecord[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = ctx.app.events.subscribe((event) => {
    if (input.systemId && event.systemId !== input.systemId) return;
    pending.push(event);
    wake?.();
  });
  const stopped = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
  try {
    // Resume after the client's last event: replay what it missed, then go live. Live events may
    // arrive out of id order (concurrent commits, other replicas), so only what was already sent,
    // or what the client had seen, is skipped — never "anything below the newest id".
    const resumeAfter = input.lastEventId ? Number(input.lastEventId) : 0;
    const replayed = new Set<number>();
    if (resumeAfter > 0) {
      const missed = await ctx.app.events.list({
        afterId: resumeAfter,
        limit: REPLAY_LIMIT,
        ...(input.systemId ? { systemId: input.systemId } : {}),
      });
      for (const event of missed.items) {
        replayed.add(event.id);
        yield tracked(String(event.id), toEventView(event));
      }
    }
    while (!signal?.aborted) {
      while (pending.length) {
        const event = pending.shift()!;
        if (event.id <= resumeAfter || replayed.delete(event.id)) continue;
        yield tracked(String(event.id), toEventView(event));
      }
      await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
      wake = undefined;
    }
  } finally {
    unsubscribe();
  }
});
