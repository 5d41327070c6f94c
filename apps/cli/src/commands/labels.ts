import type { Command } from 'commander';
import type { MetalyardClient, RouterOutputs } from '@metalyard/sdk';
import { field, type Columns } from '../output/columns.js';
import { printLine } from '../output/print.js';
import { sessionOf } from '../session.js';

/** Tags, zones and pools have the same commands, over the same procedures. */
const LABEL_KINDS = [
  { group: 'tags', one: 'tag' },
  { group: 'zones', one: 'zone' },
  { group: 'pools', one: 'pool' },
] as const;
type LabelGroup = (typeof LABEL_KINDS)[number]['group'];
type Label = RouterOutputs['protected']['tags']['list'][number];

const LABEL_COLUMNS: Columns<Label> = {
  all: [field('name', 'NAME'), field('nodeCount', 'NODES'), field('description', 'DESCRIPTION', { text: (label) => label.description })],
  defaults: ['name', 'nodeCount', 'description'],
};

const proceduresOf = (client: MetalyardClient, group: LabelGroup) => client.protected[group];

function registerLabelGroup(program: Command, group: LabelGroup, one: string): void {
  const commands = program.command(group).alias(one).description(`List and manage ${group} (changes: admin)`);
  commands
    .command('list')
    .description(`Every ${one}, with how many nodes have it`)
    .action(async (_options: unknown, command: Command) => {
      const session = sessionOf(command);
      const labels = await proceduresOf(await session.client(), group).list.query();
      session.print.list(labels, LABEL_COLUMNS);
    });
  commands
    .command('create')
    .description(`Create a ${one}`)
    .argument('<name>')
    .option('--description <text>', 'what it is for')
    .action(async (name: string, options: { description?: string }, command: Command) => {
      const session = sessionOf(command);
      const label = await proceduresOf(await session.client(), group).create.mutate({
        name,
        ...(options.description ? { description: options.description } : {}),
      });
      session.print.one(label, LABEL_COLUMNS, () => printLine(`Created ${one} '${label.name}'.`));
    });
  commands
    .command('update')
    .description(`Rename or describe a ${one}`)
    .argument('<name>')
    .option('--name <new-name>', 'a new name')
    .option('--description <text>', 'a new description')
    .action(async (name: string, options: { name?: string; description?: string }, command: Command) => {
      const session = sessionOf(command);
      const label = await proceduresOf(await session.client(), group).update.mutate({
        name,
        ...(options.name ? { newName: options.name } : {}),
        ...(options.description !== undefined ? { description: options.description } : {}),
      });
      session.print.one(label, LABEL_COLUMNS, () => printLine(`Updated ${one} '${label.name}'.`));
    });
  commands
    .command('delete')
    .description(`Delete a ${one}; its nodes stay, without it`)
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      const session = sessionOf(command);
      const result = await proceduresOf(await session.client(), group).delete.mutate({ name });
      session.print.one(result, undefined, () => printLine(`Deleted ${one} '${result.deleted}'.`));
    });
}

export function registerLabelCommands(program: Command): void {
  for (const { group, one } of LABEL_KINDS) registerLabelGroup(program, group, one);
}
