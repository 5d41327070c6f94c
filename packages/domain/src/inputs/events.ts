import { z } from 'zod';
import { cursorSchema, pageLimitSchema, systemIdSchema, text } from './common.js';

export const listEventsInputSchema = z
  .strictObject({
    systemId: systemIdSchema.optional(),
    actor: text(128).optional(),
    type: text(32).optional(),
    since: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    /** Only events after this id (what a client last saw). */
    afterId: z.number().int().nonnegative().optional(),
    limit: pageLimitSchema,
    cursor: cursorSchema.nullish(),
  })
  .default({ limit: 100 });
export type ListEventsInput = z.output<typeof listEventsInputSchema>;

export const eventSubscriptionInputSchema = z
  .strictObject({
    systemId: systemIdSchema.optional(),
    /** Resume after this event id: tRPC's SSE link sends the last id it saw when it reconnects. */
    lastEventId: z
      .string()
      .regex(/^\d{1,15}$/, 'must be an event id')
      .nullish(),
  })
  .default({});
