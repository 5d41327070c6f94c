import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AcquireConstraints, Architecture, MetalyardClient, NodeStatus, RouterOutputs } from '@metalyard/sdk';
import { liveClient } from '../events/live.js';
import { machineTokenLine, printChangedNode, type ChangedNode } from '../nodes/present.js';
import { ARCHITECTURES } from '../nodes/vocabulary.js';
import { waitUntilSettled } from '../nodes/wait.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { printLine } from '../output/print.js';
import { sessionOf, type Session } from '../session.js';
import { collectList, parseDuration } from './options.js';
import type { Verb } from './verb.js';

/** The actions that move nodes through their lifecycle: `metalyard nodes ACTION …`, one function and one verb each. */

type AcceptResult = RouterOutputs['protected']['nodes']['accept'];

function printAccepted(result: AcceptResult, asked: string[]): void {
  const skipped = asked.filter((id) => !result.accepted.includes(id));
  printLine(result.accepted.length ? `Accepted: ${result.accepted.join(' ')}` : 'Nothing to accept.');
  if (skipped.length) printLine(`Already accepted: ${skipped.join(' ')}`);
  for (const [systemId, token] of Object.entries(result.machineTokens ?? {})) {
    printLine(`Machine token for ${systemId} (shown once; hand it to the machine): ${token}`);
  }
}

async function accept(systemIds: string[], options: { all?: boolean }, command: Command) {
  const session = sessionOf(command);
  if (Boolean(options.all) === systemIds.length > 0) throw new CliError('name the nodes to accept, or give --all (not both)', EXIT.usage);
  const nodes = (await session.client()).protected.nodes;
  const result = options.all ? await nodes.acceptAll.mutate() : await nodes.accept.mutate({ systemIds });
  session.print.one(result, undefined, () => printAccepted(result, systemIds));
}

interface AcquireOptions {
  systemId?: string;
  hostname?: string;
  arch?: Architecture[];
  minCpu?: number;
  minMemory?: number;
  tag?: string[];
  notTag?: string[];
  zone?: string;
  notZone?: string[];
  pool?: string;
}

function constraintsOf(options: AcquireOptions): AcquireConstraints {
  return {
    ...(options.systemId ? { systemId: options.systemId } : {}),
    ...(options.hostname ? { hostname: options.hostname } : {}),
    ...(options.arch ? { architecture: options.arch } : {}),
    ...(options.minCpu ? { minCpu: options.minCpu } : {}),
    ...(options.minMemory ? { minMemoryMb: options.minMemory } : {}),
    ...(options.tag ? { tags: options.tag } : {}),
    ...(options.notTag ? { notTags: options.notTag } : {}),
    ...(options.zone ? { zone: options.zone } : {}),
    ...(options.notZone ? { notInZone: options.notZone } : {}),
    ...(options.pool ? { pool: options.pool } : {}),
  };
}

async function acquire(options: AcquireOptions, command: Command) {
  const session = sessionOf(command);
  const node = await (await session.client()).protected.nodes.acquire.mutate(constraintsOf(options));
  printChangedNode(session.print, node);
}

/** The transition-table actions that take a node and a comment, by their API name. */
type NodeAction = 'deploy' | 'commission' | 'abort' | 'markBroken' | 'markFixed' | 'retire' | 'release';

/** Where the actions with --wait should end; any other settled state is a failure (exit 1). */
const WAIT_FOR: Partial<Record<NodeAction, NodeStatus>> = { commission: 'ready', deploy: 'deployed', release: 'ready' };

interface ActionOptions {
  comment?: string;
  /** deploy: the disk image to write. */
  image?: string;
  wait?: boolean;
  timeout: number;
}

function callAction(client: MetalyardClient, action: NodeAction, systemId: string, comment: string | undefined, image?: string) {
  const procedures = client.protected.nodes;
  if (action === 'markBroken') return procedures.markBroken.mutate({ systemId, comment: comment ?? '' });
  if (action === 'deploy') return procedures.deploy.mutate({ systemId, ...(comment ? { comment } : {}), ...(image ? { image } : {}) });
  return procedures[action].mutate({ systemId, ...(comment ? { comment } : {}) });
}

/**
 * With --wait: the machine token goes to stderr at once (the machine needs it to report), then the
 * node is printed once it has settled, and a settled state other than the one hoped for is exit 1.
 */
async function waitAndPrint(session: Session, node: ChangedNode, expected: NodeStatus, timeoutMs: number): Promise<void> {
  const token = machineTokenLine(node);
  if (token) process.stderr.write(`${token}\n`);
  const settled: ChangedNode = {
    ...(await waitUntilSettled(await liveClient(session), node, timeoutMs)),
    ...(node.machineToken ? { machineToken: node.machineToken } : {}),
  };
  printChangedNode(session.print, settled);
  if (settled.status !== expected) {
    throw new CliError(
      `${settled.systemId} is ${settled.status}, not ${expected}${settled.statusMessage ? `: ${settled.statusMessage}` : ''}`,
      EXIT.failure,
    );
  }
}

function nodeAction(name: string, action: NodeAction, description: string, commentRequired = false): Verb {
  const expected = WAIT_FOR[action];
  const define = (command: Command) => {
    command.description(description).argument('<systemId>');
    const comment = new Option('--comment <text>', commentRequired ? 'why (required)' : 'why, recorded on the event');
    command.addOption(commentRequired ? comment.makeOptionMandatory() : comment);
    if (action === 'deploy') command.option('--image <name>', 'the disk image to write (default: the server’s default image)');
    if (expected) {
      command
        .option('--wait', `wait until it is ${expected} (exit 0) or has failed (exit 1)`)
        .addOption(
          new Option('--timeout <duration>', 'with --wait: give up after this long (90s, 10m, 1h)')
            .argParser(parseDuration)
            .default(600_000, '10m'),
        );
    }
    return command.action(async (systemId: string, options: ActionOptions, self: Command) => {
      const session = sessionOf(self);
      const node = await callAction(await session.client(), action, systemId, options.comment, options.image);
      if (options.wait && expected) return waitAndPrint(session, node, expected, options.timeout);
      printChangedNode(session.print, node);
    });
  };
  return { name, define, topLevelAlias: true };
}

async function deleteNode(systemId: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const result = await (await session.client()).protected.nodes.delete.mutate({ systemId });
  session.print.one(result, undefined, () => printLine(`Deleted ${result.deleted}.`));
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}

export const lifecycleVerbs: readonly Verb[] = [
  {
    name: 'accept',
    topLevelAlias: true,
    define: (command) =>
      command
        .description('Accept declared nodes (admin): declared → ready, all or nothing')
        .argument('[systemIds...]')
        .option('--all', 'every declared node')
        .action(accept),
  },
  nodeAction('commission', 'commission', 'Inventory and test a node (admin): → commissioning → ready'),
  {
    name: 'acquire',
    topLevelAlias: true,
    define: (command) =>
      command
        .description('Take a ready node matching every constraint; you become its owner')
        .option('--system-id <id>', 'this node')
        .option('--hostname <hostname>', 'the node with this hostname')
        .addOption(new Option('--arch <arch...>', 'one of these architectures').choices(ARCHITECTURES))
        .option('--min-cpu <n>', 'at least this many CPUs (known after commissioning)', positiveNumber)
        .option('--min-memory <mb>', 'at least this much memory, in MB', positiveNumber)
        .option('--tag <tag>', 'with this tag (repeatable)', collectList)
        .option('--not-tag <tag>', 'without this tag (repeatable)', collectList)
        .option('--zone <zone>', 'in this zone')
        .option('--not-zone <zone>', 'not in this zone (repeatable)', collectList)
        .option('--pool <pool>', 'in this pool')
        .action(acquire),
  },
  nodeAction('deploy', 'deploy', 'Install an operating system on a node you acquired: allocated → deploying → deployed'),
  nodeAction('release', 'release', 'Give a node back (owner or admin): → releasing → ready'),
  nodeAction('abort', 'abort', 'Stop commissioning or deployment'),
  nodeAction('mark-broken', 'markBroken', 'Take a node out of service, saying why: → broken', true),
  nodeAction('mark-fixed', 'markFixed', 'Return a broken node to service (admin): broken → ready'),
  nodeAction('retire', 'retire', 'Take a node out of service for good (admin): → retired'),
  {
    name: 'delete',
    topLevelAlias: true,
    define: (command) =>
      command.description('Forget a node (admin); never one that is allocated or deployed').argument('<systemId>').action(deleteNode),
  },
];
