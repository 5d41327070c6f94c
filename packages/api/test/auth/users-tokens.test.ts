import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callerWith as callerOf,
  expectInvalidInput,
  expectTRPCError,
  issueToken,
  machine,
  openYard,
  rows as select,
  type Caller,
  type Yard,
} from '../harness.js';

const PASSWORD = 'correct horse battery staple';
const WINDOW_MS = 15 * 60_000;

let db: Yard;
let callerWith: (authorization: string | null, remoteAddress?: string) => Caller;
let anonymous: Caller;
let admin: Caller;
let alice: Caller;

beforeEach(async () => {
  // The yard's clock (the login throttle's time too) is moved by hand.
  db = await openYard();
  callerWith = (authorization, remoteAddress = '10.0.0.5') => callerOf(db, authorization, remoteAddress);
  anonymous = callerWith(null);
  const root = await db.app.users.create('root', 'admin');
  admin = callerWith(`Bearer ${(await issueToken(db, root, 'bootstrap')).token}`);
  await admin.protected.users.create({ username: 'alice', password: PASSWORD });
  alice = callerWith(`Bearer ${(await anonymous.auth.login({ username: 'alice', password: PASSWORD })).token}`);
});
afterEach(async () => {
  await db.close();
});

const bearer = (token: string) => callerWith(`Bearer ${token}`);

describe('auth.login', () => {
  it('turns a username and password into a session token that works and expires in 12 hours', async () => {
    const before = Date.now();
    const session = await anonymous.auth.login({ username: 'alice', password: PASSWORD });
    expect(session).toEqual({
      token: expect.stringMatching(/^mly_/),
      expiresAt: expect.any(String),
      user: { username: 'alice', role: 'user' },
    });
    const lifetime = Date.parse(session.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3600_000 + 1000);
    expect(await bearer(session.token).protected.me()).toEqual({ username: 'alice', role: 'user' });
  });

  it('refuses a wrong password and an unknown user with the same message', async () => {
    await expectTRPCError(
      anonymous.auth.login({ username: 'alice', password: 'not the password' }),
      'UNAUTHORIZED',
      'wrong username or password',
    );
    await expectTRPCError(anonymous.auth.login({ username: 'mallory', password: PASSWORD }), 'UNAUTHORIZED', 'wrong username or password');
  });

  it('refuses a user who has no password', async () => {
    await admin.protected.users.create({ username: 'robot' });
    await expectTRPCError(anonymous.auth.login({ username: 'robot', password: '' }), 'UNAUTHORIZED');
    await expectTRPCError(anonymous.auth.login({ username: 'robot', password: PASSWORD }), 'UNAUTHORIZED');
  });

  it('throttles a username from one client after 5 failures, even with the right password, until the window passes', async () => {
    const guesser = callerWith(null, '10.0.1.1');
    for (let attempt = 0; attempt < 5; attempt++) {
      await expectTRPCError(guesser.auth.login({ username: 'alice', password: 'guess' }), 'UNAUTHORIZED');
    }
    const refused = guesser.auth.login({ username: 'alice', password: PASSWORD });
    await expectTRPCError(refused, 'TOO_MANY_REQUESTS', /too many failed logins; try again in \d+ s/);
    // Alice from her own client is not locked out, nor is another user from the guessing client.
    expect((await callerWith(null, '10.0.2.1').auth.login({ username: 'alice', password: PASSWORD })).user.username).toBe('alice');
    await admin.protected.users.create({ username: 'bob', password: PASSWORD });
    expect((await guesser.auth.login({ username: 'bob', password: PASSWORD })).user.username).toBe('bob');

    db.clock.advance(WINDOW_MS);
    expect((await guesser.auth.login({ username: 'alice', password: PASSWORD })).user.username).toBe('alice');
  });

  it("never lets one client's typos for mallory lock admin out (issue #14)", async () => {
    await admin.protected.users.create({ username: 'admin', password: PASSWORD, role: 'admin' });
    const mallory = callerWith(null, '192.0.2.10');
    for (let attempt = 0; attempt < 5; attempt++) {
      await expectTRPCError(mallory.auth.login({ username: 'mallory', password: 'typo' }), 'UNAUTHORIZED');
    }
    await expectTRPCError(mallory.auth.login({ username: 'mallory', password: 'typo' }), 'TOO_MANY_REQUESTS');
    expect((await callerWith(null, '192.0.2.20').auth.login({ username: 'admin', password: PASSWORD })).user.username).toBe('admin');
    expect((await mallory.auth.login({ username: 'admin', password: PASSWORD })).user.username).toBe('admin');
  });

  it('throttles a client that guesses at many usernames after 20 failures', async () => {
    const guesser = callerWith(null, '203.0.113.7');
    for (let attempt = 0; attempt < 20; attempt++) {
      await expectTRPCError(guesser.auth.login({ username: `user${attempt}`, password: 'guess' }), 'UNAUTHORIZED');
    }
    await expectTRPCError(guesser.auth.login({ username: 'alice', password: PASSWORD }), 'TOO_MANY_REQUESTS');
    expect((await callerWith(null, '198.51.100.1').auth.login({ username: 'alice', password: PASSWORD })).user.username).toBe('alice');
  });

  it('a success clears the failures of that username from that client', async () => {
    const client = callerWith(null, '10.0.3.1');
    for (let attempt = 0; attempt < 4; attempt++) {
      await expectTRPCError(client.auth.login({ username: 'alice', password: 'guess' }), 'UNAUTHORIZED');
    }
    await client.auth.login({ username: 'alice', password: PASSWORD });
    for (let attempt = 0; attempt < 4; attempt++) {
      await expectTRPCError(client.auth.login({ username: 'alice', password: 'guess' }), 'UNAUTHORIZED');
    }
    expect((await client.auth.login({ username: 'alice', password: PASSWORD })).user.username).toBe('alice');
  });

  it('logout revokes the session’s token only', async () => {
    const other = (await anonymous.auth.login({ username: 'alice', password: PASSWORD })).token;
    expect(await alice.protected.auth.logout()).toEqual({ revoked: true });
    await expectTRPCError(alice.protected.me(), 'UNAUTHORIZED', 'invalid, expired or revoked token');
    expect((await bearer(other).protected.me()).username).toBe('alice');
  });
});

describe('protected.tokens', () => {
  it('create shows the secret once; list shows it never, and marks the current token', async () => {
    const created = await alice.protected.tokens.create({ name: 'ci runner', expiresInDays: 30 });
    expect(created).toMatchObject({ name: 'ci runner', token: expect.stringMatching(/^mly_[A-Za-z0-9_-]{43}$/), current: false });
    expect(Date.parse(created.expiresAt!) - Date.parse(created.createdAt)).toBeCloseTo(30 * 24 * 3600_000, -3);

    const listed = await alice.protected.tokens.list();
    expect(listed.map((token) => token.name)).toEqual(['session', 'ci runner']);
    expect(listed.map((token) => token.current)).toEqual([true, false]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(await bearer(created.token).protected.me()).toEqual({ username: 'alice', role: 'user' });
  });

  it('a revoked token stops working at once', async () => {
    const created = await alice.protected.tokens.create({ name: 'laptop' });
    const laptop = bearer(created.token);
    expect((await laptop.protected.me()).username).toBe('alice');

    expect(await alice.protected.tokens.revoke({ id: created.id })).toEqual({ revoked: true });
    await expectTRPCError(laptop.protected.me(), 'UNAUTHORIZED', 'invalid, expired or revoked token');
    await expectTRPCError(laptop.protected.nodes.list(), 'UNAUTHORIZED');
    expect((await alice.protected.tokens.list()).map((token) => token.name)).toEqual(['session']);
    expect(await alice.protected.tokens.revoke({ id: created.id })).toEqual({ revoked: false });
  });

  it('one user cannot list or revoke another’s tokens', async () => {
    const created = await alice.protected.tokens.create({ name: 'laptop' });
    expect(await admin.protected.tokens.revoke({ id: created.id })).toEqual({ revoked: false });
    expect((await admin.protected.tokens.list()).map((token) => token.name)).toEqual(['bootstrap']);
    expect((await bearer(created.token).protected.me()).username).toBe('alice');
  });

  it('tokens are stored as hashes only', async () => {
    const created = await alice.protected.tokens.create({ name: 'laptop' });
    const rows = await select<{ token_hash: string }>(db, 'select token_hash from api_token');
    expect(rows.length).toBeGreaterThan(1);
    expect(JSON.stringify(rows)).not.toContain(created.token);
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(4));
  });
});

describe('protected.users (admins)', () => {
  it('create, list, update and delete', async () => {
    expect(await admin.protected.users.create({ username: 'bob', role: 'admin', password: PASSWORD })).toMatchObject({
      username: 'bob',
      role: 'admin',
    });
    expect((await admin.protected.users.list()).map((user) => [user.username, user.role])).toEqual([
      ['alice', 'user'],
      ['bob', 'admin'],
      ['root', 'admin'],
    ]);
    expect(await admin.protected.users.update({ username: 'bob', role: 'user' })).toMatchObject({ username: 'bob', role: 'user' });
    expect(await admin.protected.users.delete({ username: 'bob' })).toEqual({ deleted: 'bob' });
    expect((await admin.protected.users.list()).map((user) => user.username)).toEqual(['alice', 'root']);
  });

  it('are refused to plain users and to anonymous callers', async () => {
    await expectTRPCError(alice.protected.users.list(), 'FORBIDDEN', "user 'alice' is not an admin");
    await expectTRPCError(alice.protected.users.create({ username: 'eve', role: 'admin' }), 'FORBIDDEN');
    await expectTRPCError(alice.protected.users.update({ username: 'alice', role: 'admin' }), 'FORBIDDEN');
    await expectTRPCError(alice.protected.users.delete({ username: 'root' }), 'FORBIDDEN');
    await expectTRPCError(anonymous.protected.users.list(), 'UNAUTHORIZED');
    expect((await admin.protected.users.list()).map((user) => user.username)).toEqual(['alice', 'root']);
  });

  it('a role change applies to the user’s existing tokens at once', async () => {
    await expectTRPCError(alice.protected.users.list(), 'FORBIDDEN');
    await admin.protected.users.update({ username: 'alice', role: 'admin' });
    expect((await alice.protected.users.list()).length).toBe(2);
    expect(await alice.protected.me()).toEqual({ username: 'alice', role: 'admin' });
  });

  it('a new password replaces the old one', async () => {
    await admin.protected.users.update({ username: 'alice', password: 'a brand new passphrase' });
    await expectTRPCError(anonymous.auth.login({ username: 'alice', password: PASSWORD }), 'UNAUTHORIZED');
    expect((await anonymous.auth.login({ username: 'alice', password: 'a brand new passphrase' })).user.username).toBe('alice');
  });

  it('a deleted user’s tokens stop working', async () => {
    await admin.protected.users.delete({ username: 'alice' });
    await expectTRPCError(alice.protected.me(), 'UNAUTHORIZED');
    await expectTRPCError(anonymous.auth.login({ username: 'alice', password: PASSWORD }), 'UNAUTHORIZED');
  });

  it('refuses duplicates, unknown users, weak passwords, and taking away one’s own admin role', async () => {
    await expectTRPCError(admin.protected.users.create({ username: 'alice' }), 'CONFLICT', "user 'alice' already exists");
    await expectTRPCError(admin.protected.users.update({ username: 'zed', role: 'admin' }), 'NOT_FOUND', "user 'zed' does not exist");
    await expectTRPCError(admin.protected.users.delete({ username: 'zed' }), 'NOT_FOUND');
    expect(
      await expectInvalidInput(admin.protected.users.create({ username: 'carol', password: 'short' }), 'protected.users.create'),
    ).toEqual({
      password: ['must be at least 12 characters'],
    });
    await expectTRPCError(admin.protected.users.update({ username: 'root', role: 'user' }), 'CONFLICT', /your own admin role/);
    await expectTRPCError(admin.protected.users.delete({ username: 'root' }), 'CONFLICT', 'you cannot delete yourself');
  });

  it('refuses to delete a user who still owns nodes', async () => {
    const node = await admin.protected.enlist(machine(1));
    await alice.protected.nodes.acquire({ systemId: node.systemId });
    await expectTRPCError(
      admin.protected.users.delete({ username: 'alice' }),
      'CONFLICT',
      "user 'alice' still owns 1 node(s); release them first",
    );
    await alice.protected.nodes.release({ systemId: node.systemId });
    expect(await admin.protected.users.delete({ username: 'alice' })).toEqual({ deleted: 'alice' });
  });

  it('stores passwords hashed with scrypt, never in plain text', async () => {
    await admin.protected.users.create({ username: 'bob', password: PASSWORD });
    const rows = await select<{ username: string; password_hash: string | null }>(
      db,
      'select username, password_hash from app_user order by username',
    );
    expect(rows.map((row) => row.username)).toEqual(['alice', 'bob', 'root']);
    const [aliceHash, bobHash, rootHash] = rows.map((row) => row.password_hash);
    expect(aliceHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    // The same password, salted differently.
    expect(bobHash).toMatch(/^scrypt\$/);
    expect(bobHash).not.toBe(aliceHash);
    expect(rootHash).toBeNull();
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(JSON.stringify(rows)).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
  });
});
