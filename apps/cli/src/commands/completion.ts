import { Argument, type Command } from 'commander';
import { withoutOutputOptions } from '../output/format.js';
import { isHidden } from './verb.js';

/**
 * Every command path (`''`, `nodes`, `nodes list`, …) with what may follow it, and the words that
 * name each of its subcommands: the name, its aliases (`node`), hidden earlier spellings too.
 */
interface CompletionEntry {
  path: string;
  words: string[];
  options: string[];
  names: Array<{ word: string; name: string }>;
  /** The values of each option that takes a fixed set of them (`--status`, `-o`, …). */
  choices: Array<{ flag: string; values: readonly string[] }>;
}

function optionNames(command: Command): string[] {
  return command.options.flatMap((option) => [option.long, option.short].filter((name): name is string => Boolean(name)));
}

function collect(command: Command, globals: string[], path: string[] = []): CompletionEntry[] {
  const subcommands = command.commands.filter((sub) => !isHidden(sub)).map((sub) => sub.name());
  const argumentChoices = command.registeredArguments.flatMap((argument: Argument) => argument.argChoices ?? []);
  const entry = {
    path: path.join(' '),
    words: [...subcommands, ...argumentChoices],
    options: [...new Set([...optionNames(command), ...globals, '--help'])],
    names: command.commands.flatMap((sub) => [sub.name(), ...sub.aliases()].map((word) => ({ word, name: sub.name() }))),
    choices: command.options.flatMap((option) =>
      option.argChoices ? [option.long, option.short].flatMap((flag) => (flag ? [{ flag, values: option.argChoices! }] : [])) : [],
    ),
  };
  return [entry, ...command.commands.flatMap((sub) => collect(sub, globals, [...path, sub.name()]))];
}

const quote = (words: readonly string[]) => `'${words.join(' ')}'`;

/** Shell functions shared by both scripts (POSIX `case`, which bash and zsh both read). */
function lookupFunctions(program: Command): string {
  const entries = collect(program, optionNames(program));
  const cases = (select: (entry: CompletionEntry) => string[]) =>
    entries.map((entry) => `    ${quote([entry.path])}) echo ${quote(select(entry))} ;;`).join('\n');
  const pairs = <T>(select: (entry: CompletionEntry) => T[], key: (item: T) => string, value: (item: T) => readonly string[]) =>
    entries
      .flatMap((entry) => select(entry).map((item) => `    ${quote([`${entry.path}|${key(item)}`])}) echo ${quote(value(item))} ;;`))
      .join('\n');
  const names = pairs(
    (entry) => entry.names,
    (item) => item.word,
    (item) => [item.name],
  );
  const choices = pairs(
    (entry) => entry.choices,
    (item) => item.flag,
    (item) => item.values,
  );
  return `_metalyard_subcommand() {
  case "$1|$2" in
${names}
  esac
}
_metalyard_words() {
  case "$1" in
${cases((entry) => entry.words)}
  esac
}
_metalyard_options() {
  case "$1" in
${cases((entry) => entry.options)}
  esac
}
_metalyard_choices() {
  case "$1|$2" in
${choices}
  esac
}`;
}

function bashScript(program: Command): string {
  return `# metalyard completion for bash: eval "$(metalyard completion bash)", e.g. in ~/.bashrc
${lookupFunctions(program)}
_metalyard() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="$(_metalyard_subcommand "$cmdpath" "\${COMP_WORDS[i]}")"
    [[ -n "$word" ]] && cmdpath="\${cmdpath:+$cmdpath }$word"
  done
  local choices; choices="$(_metalyard_choices "$cmdpath" "$prev")"
  if [[ -n "$choices" ]]; then COMPREPLY=($(compgen -W "$choices" -- "$cur")); return; fi
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$(_metalyard_options "$cmdpath")" -- "$cur")); return; fi
  local words; words="$(_metalyard_words "$cmdpath")"
  if [[ -n "$words" ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _metalyard metalyard
`;
}

function zshScript(program: Command): string {
  return `#compdef metalyard
# metalyard completion for zsh: eval "$(metalyard completion zsh)" after compinit, e.g. in ~/.zshrc
${lookupFunctions(program)}
_metalyard() {
  local cmdpath="" word i choices candidates
  for ((i = 2; i < CURRENT; i++)); do
    word="$(_metalyard_subcommand "$cmdpath" "\${words[i]}")"
    [[ -n "$word" ]] && cmdpath="\${cmdpath:+$cmdpath }$word"
  done
  choices="$(_metalyard_choices "$cmdpath" "\${words[CURRENT-1]}")"
  if [[ -n "$choices" ]]; then compadd -- \${=choices}; return; fi
  if [[ "\${words[CURRENT]}" == -* ]]; then candidates="$(_metalyard_options "$cmdpath")"; compadd -- \${=candidates}; return; fi
  candidates="$(_metalyard_words "$cmdpath")"
  if [[ -n "$candidates" ]]; then compadd -- \${=candidates}; return; fi
  _files
}
compdef _metalyard metalyard
`;
}

export function registerCompletionCommand(program: Command): void {
  withoutOutputOptions(program.command('completion'))
    .description('Print a shell completion script')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .addHelpText('after', '\nbash: eval "$(metalyard completion bash)"   zsh: eval "$(metalyard completion zsh)" (after compinit)')
    .action((shell: 'bash' | 'zsh') => {
      process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
}
