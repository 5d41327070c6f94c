import { listEventsInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { eventPageSchema, toEventView } from '../../wire/index.js';

/** Events oldest first, filtered by node, actor, type and time, a page at a time. */
export const listEvents = protectedProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/v1/events',
      tags: ['events'],
      summary: 'Events oldest first, filtered, a page at a time',
      protect: true,
    },
  })
  .input(listEventsInputSchema)
  .output(eventPageSchema)
  .query(async ({ ctx, input }) => {
    const page = await ctx.app.events.list(input);
    return { items: page.items.map(toEventView), nextCursor: page.nextCursor };
  });
