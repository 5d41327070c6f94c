import type { Command } from 'commander';
import type { MetalyardClient, NodeEvent } from '@metalyard/sdk';
import { liveClient, subscribeEvents, untilInterrupted } from '../events/live.js';
import { EVENT_COLUMNS } from '../events/present.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { sessionOf, type Session } from '../session.js';

interface EventFilter {
  systemId?: string;
  type?: string;
  actor?: string;
  since?: string;
}

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
  if (Number.isNaN(date.getTime()))
    throw new CliError(`--since '${value}' is not a date or time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`, EXIT.usage);
  return date.toISOString();
}

function filterOf(options: EventOptions): EventFilter {
  const since = sinceOf(options.since);
  return {
    ...(options.systemId ? { systemId: options.systemId } : {}),
    ...(options.type ? { type: options.type } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(since ? { since } : {}),
  };
}

/**
 * Prints each new event as it happens until Ctrl-C (then exits 0), one per line (with -o json, one
 * JSON object per line). The subscription filters by node only, so --type and --actor are applied
 * here. With --since, the events since then come first, and the subscription resumes after the
 * last of them, so nothing falls in between.
 */
async function follow(session: Session, filter: EventFilter): Promise<void> {
  const client = await liveClient(session);
  const print = (event: NodeEvent) => {
    if ((filter.type && event.type !== filter.type) || (filter.actor && event.actor !== filter.actor)) return;
    session.print.streamed(event, EVENT_COLUMNS);
  };
  const backlog = filter.since ? await listAllEvents(client, filter) : [];
  backlog.forEach(print);
  const stream = subscribeEvents(
    client,
    { ...(filter.systemId ? { systemId: filter.systemId } : {}), ...(backlog.length ? { lastEventId: backlog.at(-1)!.id } : {}) },
    { onStarted: () => process.stderr.write('Following events (Ctrl-C to stop)…\n'), onEvent: print },
  );
  await Promise.race([untilInterrupted(stream.stop), stream.failed]);
}

async function listEvents(options: EventOptions, command: Command) {
  const session = sessionOf(command);
  const filter = filterOf(options);
  if (options.follow) return follow(session, filter);
  session.print.list(await listAllEvents(await session.client(), filter), EVENT_COLUMNS);
}

function filterOptions(command: Command): Command {
  return command
    .option('--system-id <id>', 'of this node')
    .option('--type <type>', 'of this type, e.g. status_changed')
    .option('--actor <actor>', 'by this actor, e.g. alice')
    .option('--since <time>', 'at or after this date or time');
}

export function registerEventCommands(program: Command): void {
  const events = program.command('events').alias('event').description('The event log: list it, or follow it live');
  filterOptions(events.command('list', { isDefault: true }))
    .description('The events, oldest first (the default: `metalyard events --system-id ID` lists)')
    .option('-f, --follow', 'then keep printing new events, until Ctrl-C (the same as `events follow`)')
    .action(listEvents);
  filterOptions(events.command('follow'))
    .description('Print new events as they happen, until Ctrl-C (exit 0); with --since, the earlier ones first')
    .action((options: EventOptions, command: Command) => follow(sessionOf(command), filterOf(options)));
}
