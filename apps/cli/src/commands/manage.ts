import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { SERVER_MANAGE } from '../installation.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { withoutOutputOptions } from '../output/format.js';

const NOT_HERE = `runs on the server's machine, against its database: there, from the Metalyard checkout, run
  pnpm metalyard COMMAND --username NAME        (or: node apps/server/dist/manage.js COMMAND --username NAME)
with the server's DATABASE_URL. This metalyard was installed without the server.`;

/** Runs `manage.js COMMAND ARGS…` with this process's stdio and environment (DATABASE_URL included). */
function forward(manage: string, command: string, args: string[]): Promise<number> {
  const child = spawn(process.execPath, [manage, command, ...args], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function registerForwarded(program: Command, command: string, description: string, usage = '--username NAME [--password-stdin]'): void {
  withoutOutputOptions(program.command(command))
    .description(description)
    .argument('[args...]', usage)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[]) => {
      if (!SERVER_MANAGE || !existsSync(SERVER_MANAGE))
        throw new CliError(`${command} ${NOT_HERE.replaceAll('COMMAND', command)}`, EXIT.usage);
      const code = await forward(SERVER_MANAGE, command, args);
      if (code !== 0) throw new CliError(`${command} failed (exit code ${code})`, code === 2 ? EXIT.usage : EXIT.failure);
    });
}

export function registerManageCommands(program: Command): void {
  registerForwarded(
    program,
    'createadmin',
    "Create an admin, directly in the database (on the server's machine; prints a new API token once)",
  );
  registerForwarded(
    program,
    'createuser',
    "Create a user without admin rights, directly in the database (on the server's machine; prints a new API token once)",
  );
  registerForwarded(
    program,
    'backup',
    "Write a consistent copy of the SQLite database to FILE while the server runs, and its key file as FILE.key (on the server's machine)",
    'FILE',
  );
  registerForwarded(
    program,
    'dhcp-config',
    'Print a dnsmasq configuration that network-boots machines into Metalyard (full DHCP for a range, or proxy DHCP)',
    '(--range START,END[,NETMASK] | --proxy SUBNET) [--interface IF] [--url URL] [--tftp-root DIR]',
  );
  registerForwarded(
    program,
    'rotate-secret-key',
    "Seal every BMC password anew under a fresh key (on the server's machine, with the server stopped)",
    '',
  );
}
