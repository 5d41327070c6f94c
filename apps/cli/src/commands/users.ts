import { Option, type Command } from 'commander';
import type { RouterOutputs } from '@metalyard/sdk';
import { promptPassword } from '../config/prompt.js';
import { printJson, printLine } from '../output/print.js';
import { printTable } from '../output/table.js';
import { sessionOf } from '../session.js';

type Role = RouterOutputs['protected']['users']['list'][number]['role'];
const ROLES: Role[] = ['user', 'admin'];

interface UserOptions {
  role?: Role;
  password?: boolean;
}

async function passwordOf(options: UserOptions) {
  return options.password ? { password: await promptPassword() } : {};
}

async function listUsers(_options: unknown, command: Command) {
  const session = sessionOf(command);
  const users = await (await session.client()).protected.users.list.query();
  if (session.json) return printJson(users);
  printTable(['USERNAME', 'ROLE', 'CREATED'], users.map((user) => [user.username, user.role, user.createdAt]));
}

async function createUser(username: string, options: UserOptions, command: Command) {
  const session = sessionOf(command);
  const client = await session.client();
  const user = await client.protected.users.create.mutate({ username, ...(options.role ? { role: options.role } : {}), ...(await passwordOf(options)) });
  if (session.json) return printJson(user);
  printLine(`Created ${user.role} '${user.username}'.`);
}

async function updateUser(username: string, options: UserOptions, command: Command) {
  const session = sessionOf(command);
  const client = await session.client();
  const user = await client.protected.users.update.mutate({ username, ...(options.role ? { role: options.role } : {}), ...(await passwordOf(options)) });
  if (session.json) return printJson(user);
  printLine(`Updated '${user.username}' (${user.role}).`);
}

async function deleteUser(username: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const result = await (await session.client()).protected.users.delete.mutate({ username });
  if (session.json) return printJson(result);
  printLine(`Deleted user '${result.deleted}'.`);
}

const PASSWORD_HELP = 'set a password for signing in: asked for (hidden), or read from stdin when piped';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('User administration (admin)');
  users.command('list').description('Every user').action(listUsers);
  users
    .command('create')
    .description('Create a user (then `metalyard tokens create` as them, or let them `login --username`)')
    .argument('<username>')
    .addOption(new Option('--role <role>', 'their role').choices(ROLES).default('user'))
    .option('--password', PASSWORD_HELP)
    .action(createUser);
  users
    .command('update')
    .description("Change a user's role or password")
    .argument('<username>')
    .addOption(new Option('--role <role>', 'their new role').choices(ROLES))
    .option('--password', PASSWORD_HELP)
    .action(updateUser);
  users.command('delete').description('Delete a user and their tokens').argument('<username>').action(deleteUser);
}
