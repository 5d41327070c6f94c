import { Argument, type Command } from 'commander';

/** Every command path (`''`, `nodes`, `nodes list`, …) with what may follow it. */
interface CompletionEntry {
  path: string;
  words: string[];
  options: string[];
}

function optionNames(command: Command): string[] {
  return command.options.flatMap((option) => [option.long, option.short].filter((name): name is string => Boolean(name)));
}

function collect(command: Command, globals: string[], path: string[] = []): CompletionEntry[] {
  const subcommands = command.commands.map((sub) => sub.name());
  const argumentChoices = command.registeredArguments.flatMap((argument: Argument) => argument.argChoices ?? []);
  const entry = {
    path: path.join(' '),
    words: [...subcommands, ...argumentChoices],
    options: [...new Set([...optionNames(command), ...globals, '--help'])],
  };
  return [entry, ...command.commands.flatMap((sub) => collect(sub, globals, [...path, sub.name()]))];
}

/** The values of each option that takes a fixed set of them (`--status`, `--arch`, …). */
function optionChoices(program: Command): Map<string, string[]> {
  const choices = new Map<string, string[]>();
  const visit = (command: Command) => {
    for (const option of command.options) if (option.long && option.argChoices) choices.set(option.long, option.argChoices);
    command.commands.forEach(visit);
  };
  visit(program);
  return choices;
}

const quote = (words: string[]) => `'${words.join(' ')}'`;

/** Shell functions shared by both scripts (POSIX `case`, which bash and zsh both read). */
function lookupFunctions(program: Command): string {
  const entries = collect(program, optionNames(program));
  const cases = (select: (entry: CompletionEntry) => string[]) =>
    entries.map((entry) => `    ${quote([entry.path])}) echo ${quote(select(entry))} ;;`).join('\n');
  const choices = [...optionChoices(program)].map(([option, values]) => `    ${option}) echo ${quote(values)} ;;`).join('\n');
  return `_metalyard_words() {
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
  case "$1" in
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
    word="\${COMP_WORDS[i]}"
    case " $(_metalyard_words "$cmdpath") " in *" $word "*) cmdpath="\${cmdpath:+$cmdpath }$word" ;; esac
  done
  local choices; choices="$(_metalyard_choices "$prev")"
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
    word="\${words[i]}"
    case " $(_metalyard_words "$cmdpath") " in *" $word "*) cmdpath="\${cmdpath:+$cmdpath }$word" ;; esac
  done
  choices="$(_metalyard_choices "\${words[CURRENT-1]}")"
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
  program
    .command('completion')
    .description('Print a shell completion script')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .addHelpText('after', '\nbash: eval "$(metalyard completion bash)"   zsh: eval "$(metalyard completion zsh)" (after compinit)')
    .action((shell: 'bash' | 'zsh') => {
      process.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
}
