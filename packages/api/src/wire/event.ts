import { z } from 'zod';
import { nodeStatusSchema, type EventRecord } from '@metalyard/domain';

export const eventSchema = z.object({
  id: z.number().int(),
  systemId: z.string(),
  type: z.string(),
  fromStatus: nodeStatusSchema.nullable(),
  toStatus: nodeStatusSchema.nullable(),
  actor: z.string(),
  /** A comment, a reason, the fields an update changed; never a secret. */
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export type NodeEvent = z.infer<typeof eventSchema>;
export const eventPageSchema = z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() });

export function toEventView(event: EventRecord): NodeEvent {
  return {
    id: event.id,
    systemId: event.systemId,
    type: event.type,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    actor: event.actor,
    details: event.details,
    createdAt: event.createdAt.toISOString(),
  };
}
