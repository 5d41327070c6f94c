import type { EntityManager } from '@mikro-orm/core';
import type { EventPage, EventRecord, ListEventsInput } from '@metalyard/domain';
import type { EventLog, NewEvent } from '@metalyard/usecases';
import { NodeEventEntity, type NodeEventRow } from '../entities/index.js';
import { decodeCursor, encodeCursor } from '../queries/cursor.js';
import { insertReturningIds, jsonText, sqlOf } from '../queries/sql.js';
import { TABLES as T } from '../queries/tables.js';

export function toEventRecord(row: NodeEventRow): EventRecord {
  return {
    id: row.id,
    systemId: row.systemId,
    type: row.type,
    fromStatus: (row.fromStatus ?? null) as EventRecord['fromStatus'],
    toStatus: (row.toStatus ?? null) as EventRecord['toStatus'],
    actor: row.actor,
    details: row.details ?? null,
    createdAt: row.createdAt,
  };
}

/**
 * The event log over one entity manager. `onAppend` hears every appended event: the unit of work
 * collects them and publishes them once the transaction commits.
 */
export class SqlEventLog implements EventLog {
  constructor(
    private readonly em: EntityManager,
    private readonly onAppend: (events: EventRecord[]) => void = () => undefined,
  ) {}

  async append(events: readonly NewEvent[]): Promise<EventRecord[]> {
    if (events.length === 0) return [];
    const ids = await insertReturningIds(
      sqlOf(this.em),
      T.nodeEvent,
      ['node_id', 'system_id', 'type', 'from_status', 'to_status', 'actor', 'details', 'created_at'],
      events.map((event) => [
        event.nodeId,
        event.systemId,
        event.type,
        event.fromStatus,
        event.toStatus,
        event.actor,
        jsonText(event.details),
        event.createdAt,
      ]),
    );
    const records = events.map(({ nodeId: _node, ...event }, k): EventRecord => ({ ...event, id: ids[k]! }));
    this.onAppend(records);
    return records;
  }

  async list(query: ListEventsInput): Promise<EventPage> {
    const after = Math.max(query.cursor ? decodeCursor(query.cursor) : 0, query.afterId ?? 0);
    const rows = await this.em.find(
      NodeEventEntity,
      {
        id: { $gt: after },
        ...(query.systemId ? { systemId: query.systemId } : {}),
        ...(query.actor ? { actor: query.actor } : {}),
        ...(query.type ? { type: query.type } : {}),
        ...(query.since ? { createdAt: { $gte: new Date(query.since) } } : {}),
      },
      { orderBy: { id: 'asc' }, limit: query.limit + 1 },
    );
    const more = rows.length > query.limit;
    const page = more ? rows.slice(0, query.limit) : rows;
    return { items: page.map(toEventRecord), nextCursor: more ? encodeCursor(page.at(-1)!.id) : null };
  }
}
