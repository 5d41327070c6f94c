import { Option, type Command } from 'commander';
import type { RouterOutputs } from '@metalyard/sdk';
import { promptPassword } from '../config/prompt.js';
import { field, type Columns } from '../output/columns.js';
import { printLine } from '../output/print.js';
import { sessionOf } from '../session.js';

type User = RouterOutputs['protected']['users']['list'][number];
type Role = User['role'];

const USER_COLUMNS: Columns<User> = {
  all: [field('username', 'USERNAME'), field('role', 'ROLE'), field('createdAt', 'CREATED')],
  defaults: ['username', 'role', 'createdAt'],
};
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
  session.print.list(users, USER_COLUMNS);
}

async function createUser(username: string, options: UserOptions, command: Command) {
  const session = sessionOf(command);
  const client = await session.client();
  const user = await client.protected.users.create.mutate({
    username,
    ...(options.role ? { role: options.role } : {}),
    ...(await passwordOf(options)),
  });
  session.print.one(user, USER_COLUMNS, () => printLine(`Created ${user.role} '${user.username}'.`));
}

async function updateUser(username: string, options: UserOptions, command: Command) {
  const session = sessionOf(command);
  const client = await session.client();
  const user = await client.protected.users.update.mutate({
    username,
    ...(options.role ? { role: options.role } : {}),
    ...(await passwordOf(options)),
  });
  session.print.one(user, USER_COLUMNS, () => printLine(`Updated '${user.username}' (${user.role}).`));
}

async function deleteUser(username: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const result = await (await session.client()).protected.users.delete.mutate({ username });
  session.print.one(result, undefined, () => printLine(`Deleted user '${result.deleted}'.`));
}

const PASSWORD_HELP = 'set a password for signing in: asked for (hidden), or read from stdin when piped';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').alias('user').description('User administration (admin)');
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
