import { type InvalidArgumentError, Option, type Command } from 'commander';
import type { Node, RouterInputs } from '@metalyard/sdk';
import { NODE_COLUMNS, printNodeDetail } from '../nodes/present.js';
import { POWER_TYPES } from '../nodes/vocabulary.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { sessionOf } from '../session.js';
import { collectKeyValue, collectList } from './options.js';
import type { Verb } from './verb.js';

type NodeUpdate = RouterInputs['protected']['nodes']['update'];

interface UpdateOptions {
  hostname?: string;
  tag?: string[];
  /** false with --no-tags. */
  tags?: boolean;
  zone?: string;
  pool?: string;
  powerType?: Node['powerType'];
  powerParam?: Record<string, string>;
}

/** `--zone ''` (or `--pool ''`) takes the node out of its zone (pool). */
const labelOrNone = (value: string | undefined) => (value === undefined ? {} : { value: value === '' ? null : value });

function updateOf(systemId: string, options: UpdateOptions): NodeUpdate {
  const zone = labelOrNone(options.zone);
  const pool = labelOrNone(options.pool);
  const update: NodeUpdate = {
    systemId,
    ...(options.hostname ? { hostname: options.hostname } : {}),
    ...(options.tag ? { tags: options.tag } : options.tags === false ? { tags: [] } : {}),
    ...('value' in zone ? { zone: zone.value } : {}),
    ...('value' in pool ? { pool: pool.value } : {}),
    ...(options.powerType ? { powerType: options.powerType } : {}),
    ...(options.powerParam ? { powerParameters: options.powerParam } : {}),
  };
  if (Object.keys(update).length === 1) throw new CliError('nothing to change: give at least one option (see --help)', EXIT.usage);
  return update;
}

async function update(systemId: string, options: UpdateOptions, command: Command) {
  const session = sessionOf(command);
  const node = await (await session.client()).protected.nodes.update.mutate(updateOf(systemId, options));
  session.print.one(node, NODE_COLUMNS, () => printNodeDetail(node));
}

/** `key=value` sets a note, `key=` removes it. */
function collectAnnotation(value: string, previous: Record<string, string | null> = {}): Record<string, string | null> {
  const [key, text] = Object.entries(collectKeyValue(value))[0]!;
  return { ...previous, [key]: text === '' ? null : text };
}

async function annotate(systemId: string, pairs: string[], _options: unknown, command: Command) {
  const session = sessionOf(command);
  let annotations: Record<string, string | null> = {};
  try {
    for (const pair of pairs) annotations = collectAnnotation(pair, annotations);
  } catch (error) {
    throw new CliError((error as InvalidArgumentError).message, EXIT.usage);
  }
  const node = await (await session.client()).protected.nodes.annotate.mutate({ systemId, annotations });
  session.print.one(node, NODE_COLUMNS, () => printNodeDetail(node));
}

export const nodeEditVerbs: readonly Verb[] = [
  {
    name: 'update',
    topLevelAlias: true,
    define: (command) =>
      command
        .description('Change a node: hostname and tags (owner or admin); power, zone and pool (admin)')
        .argument('<systemId>')
        .option('--hostname <hostname>', 'a new hostname (RFC 1123)')
        .option('--tag <tag>', "the node's tags, replacing the current ones (repeatable)", collectList)
        .option('--no-tags', 'remove every tag')
        .option('--zone <zone>', "put it in this zone ('' for none)")
        .option('--pool <pool>', "put it in this pool ('' for none)")
        .addOption(new Option('--power-type <type>', 'how to power it').choices(POWER_TYPES))
        .option('--power-param <key=value>', 'a power parameter, replacing the current ones (repeatable)', collectKeyValue)
        .action(update),
  },
  {
    name: 'annotate',
    topLevelAlias: true,
    define: (command) =>
      command
        .description("Set the owner's notes on a node: key=value sets one, key= removes it; wiped on release")
        .argument('<systemId>')
        .argument('<key=value...>')
        .action(annotate),
  },
];
