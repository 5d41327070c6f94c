/**
 * Helpers for the procedure tests: a real, migrated SQLite database in memory, signed-in callers,
 * and small readers for errors and the event log. Not part of the build.
 */
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { afterEach, beforeEach, expect } from 'vitest';
import { ZodError } from 'zod';
import { openDatabase, type Database } from '@metalyard/db';
import type { Role, User } from '@metalyard/domain';
import { formatError } from './errors.js';
import { LoginThrottle, appRouter, createCaller, createContext, type FieldErrors, type RouterInputs, type Services } from './index.js';

export const REMOTE_ADDRESS = '10.0.0.5';
export const ANONYMOUS = `anonymous@${REMOTE_ADDRESS}`;

export type Caller = ReturnType<typeof createCaller>;
export type EnlistInput = RouterInputs['enlist'];

/** A fresh database: every test gets its own, so nothing leaks between them. */
export function openTestDatabase(): Promise<Database> {
  return openDatabase({ url: ':memory:' });
}

const loginThrottles = new WeakMap<Database, LoginThrottle>();

/** The services a server would wire for `db`; one login throttle per database, as per server process. */
export function servicesOf(db: Database): Services {
  let loginThrottle = loginThrottles.get(db);
  if (!loginThrottle) loginThrottles.set(db, (loginThrottle = new LoginThrottle()));
  return { nodes: db.nodes, events: db.events, labels: db.labels, auth: db.auth, loginThrottle };
}

/** A caller sending the given Authorization header (null: none) from REMOTE_ADDRESS. */
export function callerWith(db: Database, authorization: string | null): Caller {
  return createCaller(createContext({ services: servicesOf(db), authorization, remoteAddress: REMOTE_ADDRESS }));
}

export interface SignedIn {
  user: User;
  token: string;
  tokenId: number;
  caller: Caller;
}

/** Creates a user, issues a token and returns a caller that sends it. */
export async function signIn(db: Database, username: string, role: Role = 'user'): Promise<SignedIn> {
  const user = await db.auth.createUser(username, role);
  const { token, id } = await db.auth.issueToken(user.id, `${username}'s test token`);
  return { user, token, tokenId: id, caller: callerWith(db, `Bearer ${token}`) };
}

/** The usual cast: an anonymous machine, an admin and two plain users. */
export async function seed(db: Database) {
  return {
    anonymous: callerWith(db, null),
    admin: await signIn(db, 'root', 'admin'),
    alice: await signIn(db, 'alice'),
    bob: await signIn(db, 'bob'),
  };
}

export type Cast = Awaited<ReturnType<typeof seed>>;

/**
 * Gives each test of the calling file its own fresh, seeded database, closed after the test.
 * `prepare` receives it before the test runs: to keep it, and to set up more.
 */
export function eachTestWithSeededDatabase(prepare: (db: Database, as: Cast) => void | Promise<void>): void {
  let db: Database | undefined;
  beforeEach(async () => {
    db = await openTestDatabase();
    await prepare(db, await seed(db));
  });
  afterEach(async () => {
    await db?.close();
  });
}

/** The n-th test MAC in colon form: 52:54:00:00:00:01 for 1. */
export function mac(n: number): string {
  const hex = n.toString(16).padStart(6, '0');
  return `52:54:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/** Enlistment input for the n-th test machine. */
export function machine(n: number, overrides: Partial<EnlistInput> = {}): EnlistInput {
  return { architecture: 'amd64/generic', macAddresses: [mac(n)], ...overrides };
}

/** Awaits a promise that must reject with a TRPCError, and returns the error. */
export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }
  throw new Error(`expected a TRPCError, but the call succeeded with ${JSON.stringify(outcome)}`);
}

/** Awaits a promise that must reject with a TRPCError of `code`; checks the message when given. */
export async function expectTRPCError(
  promise: Promise<unknown>,
  code: TRPCError['code'],
  message?: string | RegExp,
): Promise<TRPCError> {
  const error = await trpcError(promise);
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: message === undefined ? expect.any(String) : typeof message === 'string' ? message : expect.stringMatching(message),
  });
  return error;
}

/** What a client would receive for `error`: the router's own errorFormatter applied to tRPC's default shape. */
export function errorShape(error: TRPCError, path: string, input?: unknown): ReturnType<typeof formatError> {
  return getErrorShape({ config: appRouter._def._config, error, type: 'mutation', path, input, ctx: undefined });
}

/**
 * Awaits a call that must fail input validation: BAD_REQUEST caused by the ZodError.
 * Returns the per-field messages a client receives (`path` is the procedure's).
 */
export async function expectInvalidInput(promise: Promise<unknown>, path: string): Promise<FieldErrors> {
  const error = await expectTRPCError(promise, 'BAD_REQUEST');
  expect(error.cause).toBeInstanceOf(ZodError);
  const shape = errorShape(error, path);
  expect(shape.data.fieldErrors).toBeDefined();
  return shape.data.fieldErrors!;
}

export interface EventRow {
  id: number;
  node_id: number | null;
  system_id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  actor: string;
}

/** Every row of the node event log, oldest first. */
export async function events(db: Database): Promise<EventRow[]> {
  return db.orm.em.fork().getConnection().execute<EventRow[]>('select * from node_event order by id');
}

/** The event log reduced to what the tests compare: systemId, type, from → to, actor. */
export async function eventLog(db: Database): Promise<string[]> {
  return (await events(db)).map(
    (row) => `${row.system_id} ${row.type} ${row.from_status ?? '∅'} → ${row.to_status ?? '∅'} by ${row.actor}`,
  );
}
