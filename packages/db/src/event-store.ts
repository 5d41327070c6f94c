import type { MikroORM } from '@mikro-orm/sqlite';
import { actorName, type Actor, type EventPage, type EventRecord, type EventStore, type ListEventsInput } from '@metalyard/domain';
import { NodeEntity, NodeEventEntity, type NodeEventRow } from './entities/index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { EventBus } from './event-bus.js';

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

export class SqlEventStore implements EventStore {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
  ) {}

  async list(query: ListEventsInput): Promise<EventPage> {
    const after = Math.max(query.cursor ? decodeCursor(query.cursor) : 0, query.afterId ?? 0);
    const rows = await this.orm.em.fork().find(
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

  async record(systemId: string, type: string, actor: Actor, details?: Record<string, unknown>): Promise<void> {
    const em = this.orm.em.fork();
    const node = await em.findOne(NodeEntity, { systemId }, { fields: ['id'] });
    const createdAt = new Date();
    const row = { nodeId: node?.id ?? null, systemId, type, fromStatus: null, toStatus: null, actor: actorName(actor), details: details ?? null, createdAt };
    const id = Number(await em.insert(NodeEventEntity, row));
    this.bus.publish(toEventRecord({ id, ...row } as NodeEventRow));
  }

  subscribe(listener: (event: EventRecord) => void): () => void {
    return this.bus.subscribe(listener);
  }
}
