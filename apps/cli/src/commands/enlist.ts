import { Option, type Command } from 'commander';
import type { Architecture, EnlistInput } from '@metalyard/sdk';
import { NODE_COLUMNS, printNodeDetail } from '../nodes/present.js';
import { ARCHITECTURES, POWER_TYPES } from '../nodes/vocabulary.js';
import { sessionOf } from '../session.js';
import { collectKeyValue } from './options.js';
import type { Verb } from './verb.js';

interface EnlistOptions {
  arch: Architecture;
  mac: string[];
  hostname?: string;
  powerType?: EnlistInput['powerType'];
  powerParam?: Record<string, string>;
  anonymous?: boolean;
}

async function enlist(options: EnlistOptions, command: Command) {
  const session = sessionOf(command);
  const input: EnlistInput = {
    architecture: options.arch,
    macAddresses: options.mac,
    ...(options.hostname ? { hostname: options.hostname } : {}),
    ...(options.powerType ? { powerType: options.powerType } : {}),
    ...(options.powerParam ? { powerParameters: options.powerParam } : {}),
  };
  const node = options.anonymous
    ? await (await session.anonymousClient()).enlist.mutate(input)
    : await (await session.client()).protected.enlist.mutate(input);
  session.print.one(node, NODE_COLUMNS, () => printNodeDetail(node));
}

export const enlistVerb: Verb = {
  name: 'enlist',
  topLevelAlias: true,
  define: (command) =>
    command
      .description('Enlist a machine: ready at once as a user, declared (awaiting accept) with --anonymous')
      .addOption(new Option('--arch <arch>', 'architecture').choices(ARCHITECTURES).makeOptionMandatory())
      .addOption(new Option('--mac <mac...>', 'its MAC addresses (repeatable)').makeOptionMandatory())
      .option('--hostname <hostname>', 'hostname (RFC 1123); generated when absent')
      .addOption(new Option('--power-type <type>', 'how to power it').choices(POWER_TYPES))
      .option('--power-param <key=value>', 'a power parameter, e.g. address=10.0.0.10 (repeatable)', collectKeyValue)
      .option('--anonymous', 'enlist without a token, as a PXE-booting machine does')
      .action(enlist),
};
