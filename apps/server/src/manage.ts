import { parseArgs } from 'node:util';
import { openDatabase } from '@metalyard/db';
import type { Role } from '@metalyard/domain';
import { ConfigError, loadConfig } from './config.js';

const USAGE = `usage: metalyard <command> --username NAME

Commands (run on the server's machine, against DATABASE_URL):
  createadmin --username NAME [--password-stdin]
                                create an admin (or reuse an existing one) and print a new API token once;
                                with --password-stdin, also set the password (for signing in) read from stdin
  createuser --username NAME [--password-stdin]
                                the same for a user without admin rights
`;

async function readPassword(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

async function createUser(command: string, role: Role, args: string[]): Promise<number> {
  let values: { username?: string | undefined; 'password-stdin'?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { username: { type: 'string', short: 'u' }, 'password-stdin': { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`metalyard ${command}: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const username = values.username?.trim();
  if (!username || !/^[a-z][a-z0-9_.-]{0,63}$/i.test(username)) {
    process.stderr.write(`metalyard ${command}: --username NAME is required (a letter, then letters, digits, _.-; up to 64)\n`);
    return 2;
  }
  const password = values['password-stdin'] ? await readPassword() : undefined;
  if (password !== undefined && password.length < 12) {
    process.stderr.write(`metalyard ${command}: the password must be at least 12 characters\n`);
    return 2;
  }
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl });
  try {
    let user = await db.auth.findUser(username);
    if (user && user.role !== role) {
      process.stderr.write(`metalyard ${command}: user '${username}' exists with role ${user.role}\n`);
      return 1;
    }
    const created = !user;
    user ??= await db.auth.createUser(username, role, password);
    if (!created && password !== undefined) await db.auth.updateUser(username, { password });
    const issued = await db.auth.issueToken(user.id, command);
    process.stderr.write(`${created ? 'created' : 'found'} ${role} '${username}'; a new API token (shown once):\n`);
    process.stdout.write(`${issued.token}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'createadmin':
      return createUser(command, 'admin', rest);
    case 'createuser':
      return createUser(command, 'user', rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`metalyard: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`metalyard: ${message}\n`);
    process.exit(1);
  },
);
