import { Option, type Command } from 'commander';
import type { Architecture, NodeStatus } from '@metalyard/sdk';
import { listAllNodes, type NodeFilter } from '../nodes/pages.js';
import { printNodeDetail, printNodeTable } from '../nodes/present.js';
import { ARCHITECTURES, NODE_STATUSES } from '../nodes/vocabulary.js';
import { printJson } from '../output/print.js';
import { sessionOf } from '../session.js';

interface ListOptions {
  status?: NodeStatus[];
  arch?: Architecture;
  tag?: string;
  zone?: string;
  pool?: string;
  owner?: string;
  hostnamePrefix?: string;
  mac?: string;
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
  const nodes = await listAllNodes(await session.client(), filterOf(options));
  if (session.json) return printJson(nodes);
  printNodeTable(nodes);
}

async function showNode(systemId: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const node = await (await session.client()).protected.nodes.get.query({ systemId });
  if (session.json) return printJson(node);
  printNodeDetail(node);
}

export function registerNodeCommands(program: Command): void {
  const nodes = program.command('nodes').description('Read the inventory');
  nodes
    .command('list')
    .description('List every node (all pages), in a stable order; filters combine')
    .addOption(new Option('--status <status...>', 'in any of these statuses').choices(NODE_STATUSES))
    .addOption(new Option('--arch <arch>', 'of this architecture').choices(ARCHITECTURES))
    .option('--tag <tag>', 'with this tag')
    .option('--zone <zone>', 'in this zone')
    .option('--pool <pool>', 'in this pool')
    .option('--owner <username>', 'owned by this user')
    .option('--hostname-prefix <prefix>', 'whose hostname starts with this')
    .option('--mac <mac>', 'with this MAC address')
    .action(listNodes);
  nodes.command('show').description('Show one node').argument('<systemId>').action(showNode);
}
