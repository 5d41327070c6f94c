import { Command, CommanderError } from 'commander';
import { registerCompletionCommand } from './commands/completion.js';
import { registerEventCommands } from './commands/events.js';
import { registerLabelCommands } from './commands/labels.js';
import { registerManageCommands } from './commands/manage.js';
import { registerNodeCommands } from './commands/nodes.js';
import { registerProfileCommands } from './commands/profiles.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerUserCommands } from './commands/users.js';
import { CLI_VERSION } from './installation.js';
import { reportError } from './output/errors.js';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './output/exit-codes.js';
import { addOutputOptions, OUTPUT_HELP, wantsJson } from './output/format.js';

const ENVIRONMENT_HELP = `Environment:
  METALYARD_URL     the server, overriding the profile's
  METALYARD_TOKEN   the token, overriding the profile's
  NO_COLOR          no colours; FORCE_COLOR=0 too (colours appear only on a terminal)
  XDG_CONFIG_HOME   profiles live in $XDG_CONFIG_HOME/metalyard/profiles.json (default ~/.config)`;

const GRAMMAR_HELP = `Commands are a noun and a verb: metalyard nodes deploy ID, metalyard zones create NAME
(singular nouns work too: metalyard node show ID). Earlier spellings still work, hidden from this
list: metalyard accept|acquire|commission|deploy|release|abort|mark-broken|mark-fixed|retire|delete|
update|annotate|enlist|import|export … are metalyard nodes …, and metalyard events --follow is
metalyard events follow.`;

export function buildProgram(): Command {
  const program = new Command('metalyard')
    .description('The command line for Metalyard: the inventory and lifecycle of bare-metal machines.')
    .version(CLI_VERSION, '-V, --version', 'print the version and exit')
    .option('--profile <name>', 'use this saved profile instead of the default')
    .option('--json', 'print machine-readable JSON (the API objects as returned): the same as -o json')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `\n${GRAMMAR_HELP}\n\n${OUTPUT_HELP}\n\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}`);
  registerProfileCommands(program);
  registerNodeCommands(program);
  registerLabelCommands(program);
  registerEventCommands(program);
  registerTokenCommands(program);
  registerUserCommands(program);
  registerManageCommands(program);
  registerCompletionCommand(program);
  addOutputOptions(program);
  // Commander exits on its own by default; report its errors as usage errors (2) instead.
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI on `argv` and returns the exit code; never throws. */
export async function run(argv: string[]): Promise<ExitCode> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end with code 0; commander has already printed its message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, wantsJson(argv));
  }
}
