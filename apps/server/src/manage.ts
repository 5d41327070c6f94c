import './supported-node.js';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupSqlite, isPostgresUrl, openDatabase, sqliteLocation } from '@metalyard/db';
import { ConflictError, type Role } from '@metalyard/domain';
import { applicationFor } from './application.js';
import { ConfigError, databaseOptions, loadConfig } from './config.js';
import { DhcpConfigError, dnsmasqConfig, parseRange } from './dhcp-config.js';

const USAGE = `usage: metalyard <command> --username NAME

Commands (run on the server's machine, against DATABASE_URL):
  createadmin --username NAME [--password-stdin]
                                create an admin (or reuse an existing one) and print a new API token once;
                                with --password-stdin, also set the password (for signing in) read from stdin
  createuser --username NAME [--password-stdin]
                                the same for a user without admin rights
  backup FILE                   write a consistent copy of the SQLite database to FILE (a new file) while the
                                server runs, and the key file beside it as FILE.key; restore: stop the server,
                                copy FILE back to the database's path and FILE.key to metalyard.key beside it,
                                start it (PostgreSQL: use pg_dump)
  dhcp-config (--range START,END[,NETMASK] | --proxy SUBNET) [--interface IF] [--url URL] [--tftp-root DIR]
                                print a dnsmasq configuration that network-boots machines into Metalyard:
                                full DHCP for a range, or proxy DHCP beside an existing DHCP server; the URL
                                defaults to METALYARD_BOOT_URL, the TFTP root to the boot folder's tftp/
  rotate-secret-key             seal every secret power parameter (BMC passwords) anew under a fresh key,
                                kept in the key file; with METALYARD_SECRET_KEY set, the new key is printed
                                once for you to set instead (stop the server first)
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
  // Not exclusive: a short extra writer beside a running server (SQLite's busy timeout orders the two).
  const db = await openDatabase(databaseOptions(config));
  try {
    const { created, token } = await applicationFor(db, config).users.provision(username, role, password);
    process.stderr.write(`${created ? 'created' : 'found'} ${role} '${username}'; a new API token (shown once):\n`);
    process.stdout.write(`${token.token}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    process.stderr.write(`metalyard ${command}: ${error.message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

async function rotateSecretKey(): Promise<number> {
  const config = loadConfig();
  // Exclusive: a running server keeps the old key in memory, so it must be stopped (it refuses otherwise).
  const db = await openDatabase({ ...databaseOptions(config), exclusive: true });
  try {
    const { changed, keyFile, newKey } = await db.rotateSecretKey();
    process.stderr.write(`sealed the secrets of ${changed} node(s) under a new key${keyFile ? `, kept in ${keyFile}` : ''}\n`);
    if (newKey) {
      process.stderr.write('set METALYARD_SECRET_KEY to this new key (shown once) before the server starts again:\n');
      process.stdout.write(`${newKey}\n`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

async function backup(args: string[]): Promise<number> {
  if (args.length !== 1 || !args[0] || args[0].startsWith('-')) {
    process.stderr.write(`metalyard backup: one argument, the file to write (a new one)\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  if (isPostgresUrl(config.databaseUrl)) {
    process.stderr.write(
      'metalyard backup: DATABASE_URL is PostgreSQL: back it up with pg_dump (pg_dump -Fc -f metalyard.dump DATABASE), ' +
        'and keep METALYARD_SECRET_KEY (or ./data/metalyard.key) with it: the BMC passwords are sealed with that key\n',
    );
    return 1;
  }
  const started = Date.now();
  const { file, bytes, keyFile } = await backupSqlite(sqliteLocation(config.databaseUrl), args[0]);
  process.stderr.write(`backed up ${sqliteLocation(config.databaseUrl)} to ${file} (${bytes} bytes, ${Date.now() - started} ms)\n`);
  if (keyFile) {
    process.stderr.write(
      `the key the BMC passwords are sealed with is in ${keyFile} (mode 0600): keep it with the backup, apart from untrusted eyes\n`,
    );
  } else if (config.secretKey) {
    process.stderr.write(
      'the BMC passwords are sealed with METALYARD_SECRET_KEY: keep that key too, or they cannot be read after a restore\n',
    );
  }
  process.stdout.write(`${file}\n`);
  return 0;
}

function dhcpConfig(args: string[]): number {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        range: { type: 'string' },
        proxy: { type: 'string' },
        interface: { type: 'string', short: 'i' },
        url: { type: 'string' },
        'tftp-root': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`metalyard dhcp-config: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const url = values.url?.trim() || config.bootUrl;
  if (!url) {
    process.stderr.write(
      'metalyard dhcp-config: say where machines reach the server: --url http://HOST:PORT (or set METALYARD_BOOT_URL)\n',
    );
    return 2;
  }
  try {
    process.stdout.write(
      dnsmasqConfig({
        url,
        ...(values.range !== undefined ? { range: parseRange(values.range) } : {}),
        ...(values.proxy !== undefined ? { proxy: values.proxy.trim() } : {}),
        ...(values.interface !== undefined ? { interface: values.interface.trim() } : {}),
        tftpRoot: resolve(values['tftp-root']?.trim() || join(config.bootDir, 'tftp')),
      }),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof DhcpConfigError)) throw error;
    process.stderr.write(`metalyard dhcp-config: ${error.message}\n`);
    return 2;
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'rotate-secret-key':
      return rotateSecretKey();
    case 'backup':
      return backup(rest);
    case 'dhcp-config':
      return dhcpConfig(rest);
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
