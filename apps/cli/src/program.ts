import { Command, CommanderError } from 'commander';
import { registerCompletionCommand } from './commands/completion.js';
import { registerEnlistCommand } from './commands/enlist.js';
import { registerEventCommand } from './commands/events.js';
import { registerInventoryCommands } from './commands/inventory.js';
import { registerLabelCommands } from './commands/labels.js';
import { registerLifecycleCommands } from './commands/lifecycle.js';
import { registerManageCommands } from './commands/manage.js';
import { registerNodeEditCommands } from './commands/node-edit.js';
import { registerNodeCommands } from './commands/nodes.js';
import { registerProfileCommands } from './commands/profiles.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerUserCommands } from './commands/users.js';
import { reportError } from './output/errors.js';
import { EXIT, EXIT_CODES_HELP, type ExitCode } from './output/exit-codes.js';

const ENVIRONMENT_HELP = `Environment:
  METALYARD_URL     the server, overriding the profile's
  METALYARD_TOKEN   the token, overriding the profile's
  NO_COLOR          no colours; FORCE_COLOR=0 too (colours appear only on a terminal)
  XDG_CONFIG_HOME   profiles live in $XDG_CONFIG_HOME/metalyard/profiles.json (default ~/.config)`;

export function buildProgram(): Command {
  const program = new Command('metalyard')
    .description('The command line for Metalyard: the inventory and lifecycle of bare-metal machines.')
    .option('--profile <name>', 'use this saved profile instead of the default')
    .option('--json', 'print machine-readable JSON (the API objects as returned)')
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}`);
  registerProfileCommands(program);
  registerNodeCommands(program);
  registerEnlistCommand(program);
  registerLifecycleCommands(program);
  registerNodeEditCommands(program);
  registerLabelCommands(program);
  registerEventCommand(program);
  registerInventoryCommands(program);
  registerTokenCommands(program);
  registerUserCommands(program);
  registerManageCommands(program);
  registerCompletionCommand(program);
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
    return reportError(error, argv.includes('--json'));
  }
}
