import { Option, type Command } from 'commander';
import type { Architecture, NodeStatus } from '@metalyard/sdk';
import { listAllNodes, type NodeFilter } from '../nodes/pages.js';
import { NODE_COLUMNS, printNodeDetail } from '../nodes/present.js';
import { ARCHITECTURES, NODE_STATUSES } from '../nodes/vocabulary.js';
import { watchNodes } from '../nodes/watch.js';
import { sessionOf } from '../session.js';
import { enlistVerb } from './enlist.js';
import { inventoryVerbs } from './inventory.js';
import { lifecycleVerbs } from './lifecycle.js';
import { powerVerb } from './power.js';
import { nodeEditVerbs } from './node-edit.js';
import { registerVerbs, type Verb } from './verb.js';

interface ListOptions {
  status?: NodeStatus[];
  arch?: Architecture;
  tag?: string;
  zone?: string;
  pool?: string;
  owner?: string;
  hostnamePrefix?: string;
  mac?: string;
  watch?: boolean;
}

function filterOf(options: ListOptions): NodeFilter {
  return {
    ...(options.status ? { statuses: options.status } : {}),
    ...(options.arch ? { architecture: options.arch } : {}),
    ...(options.tag ? { tag: options.tag } : {}),
    ...(options.zone ? { zone: options.zone } : {}),
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.hostnamePrefix ? { hostnamePrefix: options.hostnamePrefix } : {}),
    ...(options.mac ? { mac: options.mac } : {}),
  };
}

async function listNodes(options: ListOptions, command: Command) {
  const session = sessionOf(command);
  if (options.watch) return watchNodes(session, filterOf(options));
  session.print.list(await listAllNodes(await session.client(), filterOf(options)), NODE_COLUMNS);
}

async function showNode(systemId: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const node = await (await session.client()).protected.nodes.get.query({ systemId });
  session.print.one(node, NODE_COLUMNS, () => printNodeDetail(node));
}

const readVerbs: readonly Verb[] = [
  {
    name: 'list',
    define: (command) =>
      command
        .description('List every node (all pages), in a stable order; filters combine')
        .addOption(new Option('--status <status...>', 'in any of these statuses').choices(NODE_STATUSES))
        .addOption(new Option('--arch <arch>', 'of this architecture').choices(ARCHITECTURES))
        .option('--tag <tag>', 'with this tag')
        .option('--zone <zone>', 'in this zone')
        .option('--pool <pool>', 'in this pool')
        .option('--owner <username>', 'owned by this user')
        .option('--hostname-prefix <prefix>', 'whose hostname starts with this')
        .option('--mac <mac>', 'with this MAC address')
        .option('-w, --watch', 'then follow changes live until Ctrl-C: a table redraws on a terminal, else one line per change')
        .action(listNodes),
  },
  { name: 'show', define: (command) => command.description('Show one node').argument('<systemId>').action(showNode) },
];

/** Every command on nodes, in the order the help lists them. */
const NODE_VERBS: readonly Verb[] = [...readVerbs, enlistVerb, ...inventoryVerbs, ...lifecycleVerbs, powerVerb, ...nodeEditVerbs];

export function registerNodeCommands(program: Command): void {
  const nodes = program.command('nodes').alias('node').description('The machines: list, enlist, and move them through their lifecycle');
  registerVerbs(nodes, program, NODE_VERBS);
}
