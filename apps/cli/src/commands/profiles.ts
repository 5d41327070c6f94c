import type { Command } from 'commander';
import { createMetalyardClient, httpStatusOf } from '@metalyard/sdk';
import { checkProfileName, profilesPath, readProfiles, writeProfiles } from '../config/profiles.js';
import { promptPassword, promptToken } from '../config/prompt.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { field, type Columns } from '../output/columns.js';
import { printLine } from '../output/print.js';
import { sessionOf } from '../session.js';

interface ProfileRow {
  name: string;
  url: string;
  default: boolean;
}

const PROFILE_COLUMNS: Columns<ProfileRow> = {
  all: [field('name', 'PROFILE'), field('url', 'URL'), field('default', 'DEFAULT', { text: (row) => (row.default ? '*' : '') })],
  defaults: ['name', 'url', 'default'],
};

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`'${url}' is not a URL (e.g. http://127.0.0.1:5240)`, EXIT.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`'${url}' is not an http(s) URL`, EXIT.usage);
  }
  return url.replace(/\/+$/, '');
}

/** Proves the token by reading one node, which any signed-in user may. */
async function checkToken(url: string, token: string): Promise<void> {
  try {
    await createMetalyardClient({ url, token }).protected.nodes.list.query({ limit: 1 });
  } catch (error) {
    if (httpStatusOf(error) === 401) throw new CliError(`the server at ${url} refused this token`, EXIT.auth);
    throw error;
  }
}

/** A session token for a username and password (valid 12 hours), from the server's auth.login. */
async function signIn(url: string, username: string): Promise<{ token: string; expiresAt: string }> {
  const password = await promptPassword();
  try {
    return await createMetalyardClient({ url, token: null }).auth.login.mutate({ username, password });
  } catch (error) {
    if (httpStatusOf(error) === 401) throw new CliError(`the server at ${url} refused this username and password`, EXIT.auth);
    throw error;
  }
}

interface LoginOptions {
  default?: boolean;
  username?: string;
}

async function login(name: string, rawUrl: string, givenToken: string | undefined, options: LoginOptions, command: Command) {
  const session = sessionOf(command);
  checkProfileName(name);
  const url = checkUrl(rawUrl);
  if (options.username && givenToken) throw new CliError('give a token or --username, not both', EXIT.usage);
  let token: string;
  let expiresAt: string | null = null;
  if (options.username) {
    ({ token, expiresAt } = await signIn(url, options.username));
  } else {
    token = givenToken ?? (await promptToken());
    await checkToken(url, token);
  }
  const file = await readProfiles();
  file.profiles[name] = { url, token };
  if (options.default || !file.default || !file.profiles[file.default]) file.default = name;
  await writeProfiles(file);
  const isDefault = file.default === name;
  session.print.one({ profile: name, url, default: isDefault, ...(expiresAt ? { expiresAt } : {}) }, undefined, () => {
    printLine(`Logged in to ${url} as profile '${name}'${isDefault ? ' (the default)' : ''}; saved in ${profilesPath()}.`);
    if (expiresAt) printLine(`The session expires at ${expiresAt}; log in again then.`);
  });
}

async function whoami(_options: unknown, command: Command) {
  const session = sessionOf(command);
  const target = await session.target();
  const me = await (await session.client()).protected.me.query();
  session.print.one({ ...me, url: target.url, profile: target.profile }, undefined, () =>
    printLine(`${me.username} (${me.role}) at ${target.url}${target.profile ? `, profile '${target.profile}'` : ''}`),
  );
}

async function logout(name: string, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const file = await readProfiles();
  if (!file.profiles[name]) throw new CliError(`no profile '${name}'`, EXIT.notFound);
  delete file.profiles[name];
  if (file.default === name) file.default = Object.keys(file.profiles)[0] ?? null;
  await writeProfiles(file);
  session.print.one({ profile: name, default: file.default }, undefined, () =>
    printLine(`Logged out of '${name}'.${file.default ? ` The default profile is now '${file.default}'.` : ''}`),
  );
}

async function listProfiles(_options: unknown, command: Command) {
  const session = sessionOf(command);
  const file = await readProfiles();
  const rows: ProfileRow[] = Object.entries(file.profiles).map(([name, profile]) => ({
    name,
    url: profile.url,
    default: name === file.default,
  }));
  if (rows.length === 0 && session.output.format === 'table')
    return printLine('No profiles: run `metalyard login <profile> <url> [token]`.');
  session.print.list(rows, PROFILE_COLUMNS);
}

export function registerProfileCommands(program: Command): void {
  program
    .command('login')
    .description('Check a token against a server and save both as a profile (the first one becomes the default)')
    .argument('<profile>', 'a name for this server and token, e.g. prod')
    .argument('<url>', 'the server, e.g. http://127.0.0.1:5240')
    .argument('[token]', 'an API token; asked for (hidden) when absent, or read from stdin when piped')
    .option('--username <name>', 'sign in with a password instead (asked for, or read from stdin): a 12-hour session')
    .option('--default', 'make this the default profile')
    .action(login);
  program.command('whoami').description('Who the token belongs to, on which server').action(whoami);
  program.command('logout').description('Forget a profile and its token').argument('<profile>').action(logout);
  program.command('profiles').description('List the saved profiles (tokens are never shown)').action(listProfiles);
}
