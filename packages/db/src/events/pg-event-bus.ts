import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/core';
import type { EventRecord } from '@metalyard/domain';
import { NodeEventEntity } from '../entities/index.js';
import { EventBus } from './event-bus.js';
import { toEventRecord } from '../repositories/event-log.js';

/** The PostgreSQL channel every replica NOTIFYs its committed events on and LISTENs to. */
export const EVENTS_CHANNEL = 'metalyard_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a larger event travels as its id and is read back. */
const MAX_PAYLOAD_BYTES = 7_900;
const RECONNECT_DELAY_MS = 1_000;

type WireEvent = Omit<EventRecord, 'createdAt'> & { createdAt: string };

/** What goes over the channel: the replica it came from, and the event or, when too large, its id. */
interface Notice {
  origin: string;
  event?: WireEvent;
  id?: number;
}

export type BackgroundErrorHandler = (message: string, error: unknown) => void;

/**
 * The event bus of a replica on PostgreSQL. A committed event is delivered to this process's
 * subscribers at once and NOTIFYed to the others; a dedicated connection LISTENs and delivers the
 * other replicas' events here. Each replica tags its notices with its own origin id and ignores
 * them when they come back, so no subscriber sees an event twice. Notices are sent, and received
 * ones delivered, one at a time in order.
 */
export class PgEventBus extends EventBus {
  private readonly origin = randomUUID();
  private listener: pg.Client | undefined;
  private outbox: Promise<void> = Promise.resolve();
  private inbox: Promise<void> = Promise.resolve();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly orm: MikroORM,
    private readonly onError: BackgroundErrorHandler,
  ) {
    super();
  }

  /** Connects the listening connection; from then on, the other replicas' events arrive here. */
  async start(): Promise<void> {
    this.attach(await this.connectListener());
  }

  override publish(event: EventRecord): void {
    super.publish(event);
    const wire: Notice = { origin: this.origin, event: { ...event, createdAt: event.createdAt.toISOString() } };
    let payload = JSON.stringify(wire);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) payload = JSON.stringify({ origin: this.origin, id: event.id } satisfies Notice);
    this.outbox = this.outbox
      .then(() => this.orm.em.getConnection().execute('select pg_notify(?, ?)', [EVENTS_CHANNEL, payload]))
      .then(
        () => undefined,
        (error: unknown) => this.onError(`could not tell the other replicas about event ${event.id}`, error),
      );
  }

  /** Stops listening once the notices already queued are sent. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    // Notices queued while waiting are sent too.
    for (let sent: Promise<void> | undefined; sent !== this.outbox;) {
      sent = this.outbox;
      await sent;
    }
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end();
  }

  private async connectListener(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on('error', () => undefined); // reported by attach(); an unheard 'error' would crash the process
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload) this.receive(message.payload);
    });
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private attach(client: pg.Client): void {
    this.listener = client;
    const lost = (error: unknown) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.onError('lost the connection that listens for the other replicas’ events; reconnecting', error);
      this.reconnectSoon();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('the connection ended')));
  }

  private reconnectSoon(): void {
    this.reconnectTimer = setTimeout(() => {
      this.connectListener().then(
        (client) => (this.closed ? void client.end() : this.attach(client)),
        (error: unknown) => {
          this.onError('could not reconnect to listen for the other replicas’ events; retrying', error);
          if (!this.closed) this.reconnectSoon();
        },
      );
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }

  private receive(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (notice.origin === this.origin) return;
    this.inbox = this.inbox
      .then(async () => {
        const event = notice.event ? { ...notice.event, createdAt: new Date(notice.event.createdAt) } : await this.readEvent(notice.id);
        if (event) super.publish(event);
      })
      .catch((error: unknown) => this.onError(`could not read event ${notice.id} another replica announced`, error));
  }

  private async readEvent(id: number | undefined): Promise<EventRecord | null> {
    if (id === undefined) return null;
    const row = await this.orm.em.fork().findOne(NodeEventEntity, { id });
    return row ? toEventRecord(row) : null;
  }
}
