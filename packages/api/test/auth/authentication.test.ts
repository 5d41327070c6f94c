import { describe, expect, it } from 'vitest';
import { TOKEN_PREFIX } from '@metalyard/usecases';
import { callerWith, eachTestWithSeededYard, expectTRPCError, issueToken, machine, type Caller, type Cast, type Yard } from '../harness.js';

let db: Yard;
let as: Cast;
/** A declared node (to accept), one the admin holds (to release), and a ready one (to acquire). */
let declared: string;
let allocated: string;

eachTestWithSeededYard(async (fresh, cast) => {
  db = fresh;
  as = cast;
  declared = (await as.anonymous.enlist(machine(1))).systemId;
  allocated = (await as.admin.caller.protected.enlist(machine(2))).systemId;
  await as.admin.caller.protected.nodes.acquire({ systemId: allocated });
  await as.admin.caller.protected.enlist(machine(3));
});

/** Every protected procedure, called with valid input. */
const protectedCalls: [string, (caller: Caller) => Promise<unknown>][] = [
  ['protected.enlist', (caller) => caller.protected.enlist(machine(4))],
  ['protected.nodes.get', (caller) => caller.protected.nodes.get({ systemId: declared })],
  ['protected.nodes.list', (caller) => caller.protected.nodes.list()],
  ['protected.nodes.accept', (caller) => caller.protected.nodes.accept({ systemIds: [declared] })],
  ['protected.nodes.acquire', (caller) => caller.protected.nodes.acquire()],
  ['protected.nodes.release', (caller) => caller.protected.nodes.release({ systemId: allocated })],
];

const UNKNOWN_TOKEN = `${TOKEN_PREFIX}${'A'.repeat(43)}`;

describe.each(protectedCalls)('%s', (_path, call) => {
  it('UNAUTHORIZED without an Authorization header', async () => {
    await expectTRPCError(call(callerWith(db, null)), 'UNAUTHORIZED', 'authentication required: send Authorization: Bearer <token>');
  });

  it.each([
    ['another scheme', () => `Token ${as.admin.token}`],
    ['a lowercase scheme', () => `bearer ${as.admin.token}`],
    ['no token', () => 'Bearer '],
    ['a short token', () => 'Bearer abc'],
    ['two tokens', () => `Bearer ${as.admin.token} ${as.admin.token}`],
    ['a bare token', () => as.admin.token],
  ])('UNAUTHORIZED with a malformed header: %s', async (_label, header) => {
    await expectTRPCError(call(callerWith(db, header())), 'UNAUTHORIZED', 'malformed Authorization header: expected "Bearer <token>"');
  });

  it('UNAUTHORIZED with an unknown token', async () => {
    await expectTRPCError(call(callerWith(db, `Bearer ${UNKNOWN_TOKEN}`)), 'UNAUTHORIZED', 'invalid, expired or revoked token');
  });

  it('UNAUTHORIZED with a revoked token', async () => {
    expect(await db.app.tokens.revoke(as.admin.user, as.admin.tokenId)).toBe(true);
    await expectTRPCError(call(as.admin.caller), 'UNAUTHORIZED', 'invalid, expired or revoked token');
  });

  it('UNAUTHORIZED with a token that expired since its last use', async () => {
    const expiring = await issueToken(db, as.admin.user, 'expiring', new Date(db.clock.now().getTime() + 3600_000));
    const caller = callerWith(db, `Bearer ${expiring.token}`);
    await expect(call(caller)).resolves.toBeDefined();
    db.clock.advance(2 * 3600_000);
    await expectTRPCError(call(caller), 'UNAUTHORIZED', 'invalid, expired or revoked token');
  });

  it('runs with a valid admin token, and changes nothing without one', async () => {
    const before = await as.admin.caller.protected.nodes.list();
    await expectTRPCError(call(callerWith(db, `Bearer ${UNKNOWN_TOKEN}`)), 'UNAUTHORIZED');
    expect(await as.admin.caller.protected.nodes.list()).toEqual(before);
    await expect(call(as.admin.caller)).resolves.toBeDefined();
  });
});

describe('tokens', () => {
  it('revoking one token leaves the user’s other tokens working', async () => {
    const second = await issueToken(db, as.alice.user, 'second');
    await db.app.tokens.revoke(as.alice.user, as.alice.tokenId);
    await expectTRPCError(as.alice.caller.protected.nodes.list(), 'UNAUTHORIZED');
    const page = await callerWith(db, `Bearer ${second.token}`).protected.nodes.list();
    expect(page.items.map((node) => node.systemId)).toContain(declared);
  });

  it('only the token’s owner can revoke it', async () => {
    expect(await db.app.tokens.revoke(as.bob.user, as.alice.tokenId)).toBe(false);
    await expect(as.alice.caller.protected.nodes.list()).resolves.toBeDefined();
  });

  it('a token not yet expired still works', async () => {
    const expiring = await issueToken(db, as.alice.user, 'expiring', new Date(db.clock.now().getTime() + 60_000));
    await expect(callerWith(db, `Bearer ${expiring.token}`).protected.nodes.list()).resolves.toBeDefined();
  });

  it('tolerates whitespace around the header', async () => {
    const page = await callerWith(db, `  Bearer ${as.alice.token}  `).protected.nodes.list();
    expect(page.items).toHaveLength(3);
  });

  it('the anonymous enlist needs no token, and ignores a bad one', async () => {
    expect((await callerWith(db, null).enlist(machine(5))).status).toBe('declared');
    expect((await callerWith(db, 'Bearer nonsense-nonsense-nonsense').enlist(machine(6))).status).toBe('declared');
  });
});
