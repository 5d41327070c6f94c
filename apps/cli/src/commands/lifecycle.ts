import { InvalidArgumentError, Option, type Command } from 'commander';
import type { AcquireConstraints, Architecture, MetalyardClient, RouterOutputs } from '@metalyard/sdk';
import { printNodeChange, printNodeTable } from '../nodes/present.js';
import { ARCHITECTURES } from '../nodes/vocabulary.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { printJson, printLine } from '../output/print.js';
import { sessionOf } from '../session.js';
import { collectList } from './options.js';

/** The actions that move nodes through their lifecycle: one function and one registration each. */

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
  if (session.json) return printJson(result);
  printAccepted(result, systemIds);
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
  if (session.json) return printJson(node);
  printNodeTable([node]);
}

async function release(systemId: string, options: { comment?: string }, command: Command) {
  const session = sessionOf(command);
  const node = await (await session.client()).protected.nodes.release.mutate({ systemId, ...(options.comment ? { comment: options.comment } : {}) });
  if (session.json) return printJson(node);
  printNodeTable([node]);
}

/** The transition-table actions that take a node and a comment, by their API name. */
type NodeAction = 'deploy' | 'commission' | 'abort' | 'markBroken' | 'markFixed' | 'retire';

function callAction(client: MetalyardClient, action: NodeAction, systemId: string, comment: string | undefined) {
  const procedures = client.protected.nodes;
  if (action === 'markBroken') return procedures.markBroken.mutate({ systemId, comment: comment ?? '' });
  return procedures[action].mutate({ systemId, ...(comment ? { comment } : {}) });
}

function registerNodeAction(program: Command, name: string, action: NodeAction, description: string, commentRequired = false): void {
  const command = program.command(name).description(description).argument('<systemId>');
  const comment = new Option('--comment <text>', commentRequired ? 'why (required)' : 'why, recorded on the event');
  command.addOption(commentRequired ? comment.makeOptionMandatory() : comment);
  command.action(async (systemId: string, options: { comment?: string }, self: Command) => {
    const session = sessionOf(self);
    const node = await callAction(await session.client(), action, systemId, options.comment);
    if (session.json) return printJson(node);
    printNodeChange(node);
  });
}

async function deleteNode(systemId: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const result = await (await session.client()).protected.nodes.delete.mutate({ systemId });
  if (session.json) return printJson(result);
  printLine(`Deleted ${result.deleted}.`);
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}

export function registerLifecycleCommands(program: Command): void {
  program
    .command('accept')
    .description('Accept declared nodes (admin): declared → ready, all or nothing')
    .argument('[systemIds...]')
    .option('--all', 'every declared node')
    .action(accept);
  program
    .command('acquire')
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
    .action(acquire);
  program
    .command('release')
    .description('Give a node back (owner or admin): → releasing → ready')
    .argument('<systemId>')
    .option('--comment <text>', 'why, recorded on the event')
    .action(release);
  registerNodeAction(program, 'deploy', 'deploy', 'Install an operating system on a node you acquired: allocated → deploying');
  registerNodeAction(program, 'commission', 'commission', 'Inventory and test a node (admin): → commissioning');
  registerNodeAction(program, 'abort', 'abort', 'Stop commissioning or deployment');
  registerNodeAction(program, 'mark-broken', 'markBroken', 'Take a node out of service, saying why: → broken', true);
  registerNodeAction(program, 'mark-fixed', 'markFixed', 'Return a broken node to service (admin): broken → ready');
  registerNodeAction(program, 'retire', 'retire', 'Take a node out of service for good (admin): → retired');
  program.command('delete').description('Forget a node (admin); never one that is allocated or deployed').argument('<systemId>').action(deleteNode);
}
