import { InvalidArgumentError, type Command } from 'commander';
import type { RouterOutputs } from '@metalyard/sdk';
import { field, type Columns } from '../output/columns.js';
import { printLine } from '../output/print.js';
import { sessionOf } from '../session.js';

type Token = RouterOutputs['protected']['tokens']['list'][number];

const TOKEN_COLUMNS: Columns<Token> = {
  all: [
    field('id', 'ID'),
    field('name', 'NAME'),
    field('createdAt', 'CREATED'),
    field('expiresAt', 'EXPIRES', { text: (token) => token.expiresAt ?? 'never' }),
    field('current', 'CURRENT', { text: (token) => (token.current ? '*' : '') }),
  ],
  defaults: ['id', 'name', 'createdAt', 'expiresAt', 'current'],
};

function wholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return number;
}

async function createToken(name: string, options: { expiresInDays?: number }, command: Command) {
  const session = sessionOf(command);
  const created = await (
    await session.client()
  ).protected.tokens.create.mutate({
    name,
    ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}),
  });
  session.print.one(created, undefined, () => {
    printLine(`Token '${created.name}' (id ${created.id}), expires ${created.expiresAt ?? 'never'}. It is shown once; keep it now:`);
    printLine(created.token);
  });
}

async function listTokens(_options: unknown, command: Command) {
  const session = sessionOf(command);
  const tokens = await (await session.client()).protected.tokens.list.query();
  session.print.list(tokens, TOKEN_COLUMNS);
}

async function revokeToken(id: number, _options: unknown, command: Command) {
  const session = sessionOf(command);
  const result = await (await session.client()).protected.tokens.revoke.mutate({ id });
  session.print.one(result, undefined, () => printLine(result.revoked ? `Revoked token ${id}.` : `No token ${id} of yours to revoke.`));
}

export function registerTokenCommands(program: Command): void {
  const tokens = program.command('tokens').alias('token').description('Your own API tokens');
  tokens
    .command('create')
    .description('Create an API token; its secret is printed once')
    .argument('<name>', 'what it is for, e.g. ci')
    .option('--expires-in-days <days>', 'let it expire (default: never)', wholeNumber)
    .action(createToken);
  tokens.command('list').description('Your tokens (never their secrets); * marks the one in use').action(listTokens);
  tokens
    .command('revoke')
    .description('Revoke a token at once')
    .argument('<id>', 'its id, from `tokens list`', wholeNumber)
    .action(revokeToken);
}
