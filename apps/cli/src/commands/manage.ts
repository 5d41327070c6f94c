import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError, EXIT } from '../output/exit-codes.js';

/** The server's management command, beside this CLI when it runs from the repository (dist/commands/ → apps/server/dist/). */
const SERVER_MANAGE = fileURLToPath(new URL('../../../server/dist/manage.js', import.meta.url));

const NOT_HERE = `runs on the server's machine, against its database: there, from the Metalyard checkout, run
  pnpm metalyard COMMAND --username NAME        (or: node apps/server/dist/manage.js COMMAND --username NAME)
with the server's DATABASE_URL. This metalyard was installed without the server.`;

/** Runs `manage.js COMMAND ARGS…` with this process's stdio and environment (DATABASE_URL included). */
function forward(command: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [SERVER_MANAGE, command, ...args], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function registerForwarded(program: Command, command: string, description: string): void {
  program
    .command(command)
    .description(`${description} (on the server's machine; prints a new API token once)`)
    .argument('[args...]', '--username NAME [--password-stdin]')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[]) => {
      if (!existsSync(SERVER_MANAGE)) throw new CliError(`${command} ${NOT_HERE.replaceAll('COMMAND', command)}`, EXIT.usage);
      const code = await forward(command, args);
      if (code !== 0) throw new CliError(`${command} failed (exit code ${code})`, code === 2 ? EXIT.usage : EXIT.failure);
    });
}

export function registerManageCommands(program: Command): void {
  registerForwarded(program, 'createadmin', 'Create an admin, directly in the database');
  registerForwarded(program, 'createuser', 'Create a user without admin rights, directly in the database');
}
