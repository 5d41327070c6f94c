/**
 * The procedure tests' one harness: a real, migrated SQLite database in memory with the use cases
 * on it (as the server wires them), a clock the test moves by hand, signed-in callers, and small
 * readers for errors and the event log. Not part of the build.
 */
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { afterEach, beforeEach, expect } from 'vitest';
import { ZodError } from 'zod';
import { openDatabase, type Database } from '@metalyard/db';
import type { IssuedToken, Role, User } from '@metalyard/domain';
import {
  createApplication,
  generateToken,
  hashToken,
  type Application,
  type Clock,
  type ImageCatalog,
  type PowerDrivers,
  type SettingsOverrides,
} from '@metalyard/usecases';
import { type formatError } from '../src/errors.js';
import { type RateLimiter, appRouter, createCaller, createContext, type FieldErrors, type RouterInputs } from '../src/index.js';

export const REMOTE_ADDRESS = '10.0.0.5';
export const ANONYMOUS = `anonymous@${REMOTE_ADDRESS}`;

export type Caller = ReturnType<typeof createCaller>;
export type EnlistInput = RouterInputs['enlist'];

/** The time: real time until a test sets or moves it. */
export class TestClock implements Clock {
  private fixed: Date | null = null;
  private offsetMs = 0;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date(Date.now() + this.offsetMs);
  }

  set(at: Date): Date {
    this.fixed = new Date(at);
    return this.now();
  }

  advance(ms: number): Date {
    if (this.fixed) this.fixed = new Date(this.fixed.getTime() + ms);
    else this.offsetMs += ms;
    return this.now();
  }
}

/** A database, the application on it, and its clock: what one server process holds. */
export interface Yard {
  db: Database;
  app: Application;
  clock: TestClock;
  /** The anonymous door's limiter, when the test asked for one. */
  limiter: RateLimiter | null;
  close(): Promise<void>;
}

export interface YardOptions {
  settings?: SettingsOverrides;
  /** BMC drivers (the server's, from @metalyard/power); none: every node is manual. */
  power?: PowerDrivers;
  /** Start the clock here (and keep it there until the test moves it). */
  at?: Date;
  /** The disk images deployments write (none: an empty catalog). */
  images?: ImageCatalog;
  limiter?: RateLimiter;
}

/** A fresh yard: every test gets its own, so nothing leaks between them. */
export async function openYard(options: YardOptions = {}): Promise<Yard> {
  const db = await openDatabase({ url: ':memory:' });
  const clock = new TestClock();
  if (options.at) clock.set(options.at);
  const app = createApplication(
    {
      uow: db.uow,
      feed: db.feed,
      clock,
      ...(options.power ? { power: options.power } : {}),
      ...(options.images ? { images: options.images } : {}),
    },
    options.settings,
  );
  return { db, app, clock, limiter: options.limiter ?? null, close: () => db.close() };
}

/** The server URL the test callers reach (what image URLs start with). */
export const BASE_URL = 'http://192.0.2.1:5240';

/** A caller sending the given Authorization header (null: none) from `clientAddress`. */
export function callerWith(yard: Yard, authorization: string | null, clientAddress = REMOTE_ADDRESS): Caller {
  return createCaller(createContext({ app: yard.app, anonymousLimiter: yard.limiter, authorization, clientAddress, baseUrl: BASE_URL }));
}

/** A token for `user` with any expiry, even one in the past (the API only issues future ones). */
export async function issueToken(yard: Yard, user: User, name: string, expiresAt: Date | null = null): Promise<IssuedToken> {
  const token = generateToken();
  const createdAt = yard.clock.now();
  const id = await yard.db.uow.transaction((tx) =>
    tx.auth.insertToken({ userId: user.id, name, tokenHash: hashToken(token), createdAt, expiresAt }),
  );
  return { token, id, name, createdAt, expiresAt };
}

export interface SignedIn {
  user: User;
  token: string;
  tokenId: number;
  caller: Caller;
}

/** Creates a user, issues a token and returns a caller that sends it. */
export async function signIn(yard: Yard, username: string, role: Role = 'user'): Promise<SignedIn> {
  const user = await yard.app.users.create(username, role);
  const { token, id } = await issueToken(yard, user, `${username}'s test token`);
  return { user, token, tokenId: id, caller: callerWith(yard, `Bearer ${token}`) };
}

/** The usual cast: an anonymous machine, an admin and two plain users. */
export async function seed(yard: Yard) {
  return {
    anonymous: callerWith(yard, null),
    admin: await signIn(yard, 'root', 'admin'),
    alice: await signIn(yard, 'alice'),
    bob: await signIn(yard, 'bob'),
  };
}

export type Cast = Awaited<ReturnType<typeof seed>>;

/**
 * Gives each test of the calling file its own fresh, seeded yard, closed after the test.
 * `prepare` receives it before the test runs: to keep it, and to set up more.
 */
export function eachTestWithSeededYard(prepare: (yard: Yard, as: Cast) => void | Promise<void>, options: YardOptions = {}): void {
  let yard: Yard | undefined;
  beforeEach(async () => {
    yard = await openYard(options);
    await prepare(yard, await seed(yard));
  });
  afterEach(async () => {
    await yard?.close();
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
export async function expectTRPCError(promise: Promise<unknown>, code: TRPCError['code'], message?: string | RegExp): Promise<TRPCError> {
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

/** Rows of a raw SQL query on the yard's database, for checks the API does not expose. */
export function rows<T>(yard: Yard, sql: string, params: unknown[] = []): Promise<T[]> {
  return yard.db.orm.em.fork().getConnection().execute<T[]>(sql, params);
}

/** Every row of the node event log, oldest first. */
export function events(yard: Yard): Promise<EventRow[]> {
  return rows<EventRow>(yard, 'select * from node_event order by id');
}

/** The event log reduced to what the tests compare: systemId, type, from → to, actor. */
export async function eventLog(yard: Yard): Promise<string[]> {
  return (await events(yard)).map(
    (row) => `${row.system_id} ${row.type} ${row.from_status ?? '∅'} → ${row.to_status ?? '∅'} by ${row.actor}`,
  );
}
