import type { Command } from 'commander';
import { EventSource } from 'eventsource';
import type { EventSourceConstructor, MetalyardClient, NodeEvent } from '@metalyard/sdk';
import { eventLine, printEventTable } from '../events/present.js';
import { userClient } from '../config/target.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { printJson, printLine } from '../output/print.js';
import { sessionOf } from '../session.js';

interface EventFilter {
  systemId?: string;
  type?: string;
  actor?: string;
  since?: string;
}

/**
 * Node 20 has no EventSource: the subscription needs the `eventsource` package's. Its declared
 * handler properties are nullable, where @types/node's are not; the two behave the same.
 */
const NodeEventSource = EventSource as unknown as EventSourceConstructor;

interface EventOptions {
  systemId?: string;
  type?: string;
  actor?: string;
  since?: string;
  follow?: boolean;
}

const PAGE_SIZE = 500;

/** Every event matching the filter, oldest first, page after page. */
async function listAllEvents(client: MetalyardClient, filter: EventFilter): Promise<NodeEvent[]> {
  const events: NodeEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.protected.events.list.query({ ...filter, limit: PAGE_SIZE, cursor });
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return events;
}

function sinceOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new CliError(`--since '${value}' is not a date or time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`, EXIT.usage);
  return date.toISOString();
}

/**
 * Prints each new event as it happens until Ctrl-C (then exits 0). The subscription filters by node
 * only, so --type and --actor are applied here. With --since, the events since then come first,
 * and the subscription resumes after the last of them, so nothing falls in between.
 */
async function follow(client: MetalyardClient, filter: EventFilter, json: boolean): Promise<void> {
  const print = (event: NodeEvent) => {
    if ((filter.type && event.type !== filter.type) || (filter.actor && event.actor !== filter.actor)) return;
    printLine(json ? JSON.stringify(event) : eventLine(event));
  };
  const backlog = filter.since ? await listAllEvents(client, filter) : [];
  backlog.forEach(print);
  const lastEventId = backlog.at(-1)?.id;
  await new Promise<void>((resolve, reject) => {
    const subscription = client.protected.events.onChange.subscribe(
      { ...(filter.systemId ? { systemId: filter.systemId } : {}), ...(lastEventId ? { lastEventId: String(lastEventId) } : {}) },
      {
        onStarted: () => process.stderr.write('Following events (Ctrl-C to stop)…\n'),
        onData: ({ data }) => print(data),
        onError: (error) => {
          subscription.unsubscribe();
          reject(error);
        },
      },
    );
    const stop = () => {
      subscription.unsubscribe();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function events(options: EventOptions, command: Command) {
  const session = sessionOf(command);
  const since = sinceOf(options.since);
  const filter: EventFilter = {
    ...(options.systemId ? { systemId: options.systemId } : {}),
    ...(options.type ? { type: options.type } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(since ? { since } : {}),
  };
  if (options.follow) {
    const client = userClient(await session.target(), { EventSource: NodeEventSource });
    await client.protected.me.query(); // a refused token or an unreachable server fails here, once, not in a retry loop
    return follow(client, filter, session.json);
  }
  const list = await listAllEvents(await session.client(), filter);
  if (session.json) return printJson(list);
  printEventTable(list);
}

export function registerEventCommand(program: Command): void {
  program
    .command('events')
    .description('The event log, oldest first; --follow prints new events as they happen, until Ctrl-C')
    .option('--system-id <id>', 'of this node')
    .option('--type <type>', 'of this type, e.g. status_changed')
    .option('--actor <actor>', 'by this actor, e.g. alice')
    .option('--since <time>', 'at or after this date or time')
    .option('-f, --follow', 'keep printing new events (with --json, one JSON object per line)')
    .action(events);
}
