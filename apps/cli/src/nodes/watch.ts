import { httpStatusOf, type MetalyardClient, type Node } from '@metalyard/sdk';
import { stringify } from 'yaml';
import { liveClient, subscribeEvents, untilInterrupted } from '../events/live.js';
import { dataOf } from '../output/printer.js';
import { printLine } from '../output/print.js';
import type { Session } from '../session.js';
import { listAllNodes, matchesFilter, type NodeFilter } from './pages.js';
import { NODE_COLUMNS } from './present.js';

type Change = 'added' | 'modified' | 'removed';

/** The node as it is now, or null when it no longer exists. */
async function currentNode(client: MetalyardClient, systemId: string): Promise<Node | null> {
  try {
    return await client.protected.nodes.get.query({ systemId });
  } catch (error) {
    if (httpStatusOf(error) === 404) return null;
    throw error;
  }
}

/**
 * How the changes are shown. A table on a terminal is redrawn whole; otherwise each change is one
 * more line: `-o json` one `{"type":"added|modified|removed","node":{…}}` per line, `-o yaml` one
 * document each, `-o value` the chosen columns of each node that is added or changes (a stream of,
 * say, system ids that became ready), and a table (not on a terminal) the change before the row.
 */
function viewOf(session: Session, nodes: Map<string, Node>) {
  const { format } = session.output;
  // One write per screen, so a terminal never shows half a table.
  const redraw = () => {
    const heading = `${nodes.size} nodes at ${new Date().toLocaleTimeString()}; following changes (Ctrl-C to stop)`;
    process.stdout.write(`\u001b[H\u001b[2J${heading}\n${session.print.tableText([...nodes.values()], NODE_COLUMNS)}\n`);
  };
  const change = (type: Change, node: Node) => {
    if (format === 'json') return printLine(JSON.stringify({ type, node: dataOf(session.output, node, NODE_COLUMNS) }));
    if (format === 'yaml')
      return void process.stdout.write(`---\n${stringify({ type, node: dataOf(session.output, node, NODE_COLUMNS) })}`);
    if (format === 'value') return type === 'removed' ? undefined : session.print.streamed(node, NODE_COLUMNS);
    process.stdout.write(`${type.padEnd(8)}  `);
    session.print.streamed(node, NODE_COLUMNS);
  };
  if (format === 'table' && process.stdout.isTTY) return { start: redraw, change: redraw };
  return {
    start: () =>
      format === 'table' ? session.print.list([...nodes.values()], NODE_COLUMNS) : nodes.forEach((node) => change('added', node)),
    change,
  };
}

/**
 * `nodes list --watch`: the list, then every change to it as it happens, until Ctrl-C (exit 0).
 * The subscription starts before the list is read, so no change falls in between; each event
 * re-reads its node, and the filter is applied here, to the node as it is now.
 */
export async function watchNodes(session: Session, filter: NodeFilter): Promise<void> {
  const client = await liveClient(session);
  const nodes = new Map<string, Node>();
  const view = viewOf(session, nodes);
  let ready = false;
  const early = new Set<string>();
  const queued = new Set<string>();
  let queue = Promise.resolve();
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  failed.catch(() => undefined); // raced below; after Ctrl-C nobody listens

  const refresh = async (systemId: string) => {
    queued.delete(systemId);
    const node = await currentNode(client, systemId);
    const before = nodes.get(systemId);
    if (node && matchesFilter(node, filter)) {
      // A power state the BMC reported is a change too (it leaves updatedAt as it was).
      if (before && before.updatedAt === node.updatedAt && before.status === node.status && before.powerState === node.powerState) return;
      nodes.set(systemId, node);
      view.change(before ? 'modified' : 'added', node);
    } else if (before) {
      nodes.delete(systemId);
      view.change('removed', node ?? before);
    }
  };
  const onEvent = ({ systemId }: { systemId: string }) => {
    if (!ready) return void early.add(systemId);
    if (queued.has(systemId)) return;
    queued.add(systemId);
    queue = queue.then(() => refresh(systemId)).catch(fail);
  };

  let live: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (live = resolve));
  const stream = subscribeEvents(client, {}, { onStarted: () => live(), onEvent });
  await Promise.race([started, stream.failed]);
  for (const node of await listAllNodes(client, filter)) nodes.set(node.systemId, node);
  view.start();
  ready = true;
  for (const systemId of early) onEvent({ systemId });
  process.stderr.write('Watching for changes (Ctrl-C to stop)…\n');
  await Promise.race([untilInterrupted(stream.stop), stream.failed, failed]);
}
