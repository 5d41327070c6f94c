import { Option, type Command } from 'commander';
import { collectList } from '../commands/options.js';
import { CliError, EXIT } from './exit-codes.js';

export const FORMATS = ['table', 'json', 'yaml', 'value'] as const;
export type Format = (typeof FORMATS)[number];

/** How this run prints: the format, and the columns `-c` chose (none: the defaults). */
export interface OutputChoice {
  format: Format;
  columns: string[];
}

export const OUTPUT_HELP = `Output (every command that prints something):
  -o table   aligned columns for people (the default)
  -o json    the API objects as returned (--json is the same)
  -o yaml    the same objects as YAML
  -o value   bare values, one row per line, separated by spaces: for shell loops
  -c NAME    only this column (repeatable), e.g. -o value -c systemId; errors list the names`;

const skipping = new WeakSet<Command>();

/** For commands that print something of their own (a completion script, a file): no -o / -c. */
export function withoutOutputOptions(command: Command): Command {
  skipping.add(command);
  return command;
}

/** Gives every command that prints (every leaf, unless opted out) `-o FORMAT` and `-c NAME`. */
export function addOutputOptions(program: Command): void {
  const leaves = (command: Command): Command[] => (command.commands.length ? command.commands.flatMap(leaves) : [command]);
  for (const command of leaves(program)) {
    if (skipping.has(command)) continue;
    command
      .addOption(new Option('-o, --output <format>', 'the output format').choices(FORMATS))
      .addOption(new Option('-c, --column <name>', 'print only this column (repeatable)').argParser(collectList));
  }
}

/** The options as commander parsed them: the global --json, and each command's -o and -c. */
export interface OutputOptions {
  json?: boolean;
  output?: Format;
  column?: string[];
}

export function outputChoiceOf(options: OutputOptions): OutputChoice {
  if (options.json && options.output && options.output !== 'json') {
    throw new CliError(`--json and -o ${options.output} contradict each other: give one`, EXIT.usage);
  }
  return { format: options.json ? 'json' : (options.output ?? 'table'), columns: options.column ?? [] };
}

/** Whether errors should be JSON too (`--json`, `-o json`, `--output=json`), read from the raw arguments. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, index) =>
      arg === '--json' ||
      arg === '-ojson' ||
      arg === '--output=json' ||
      (arg === 'json' && ['-o', '--output'].includes(argv[index - 1] ?? '')),
  );
}
