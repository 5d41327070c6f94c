import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/index.js';

/**
 * Sessions are kept in memory on SQLite (repositories/session-cache.ts); revoking must still take
 * effect on the very next request, whether this process or another one (a management command on
 * the same file) revoked.
 */
const dir = mkdtempSync(join(tmpdir(), 'metalyard-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let file: string;
let server: Database;
let tokenId: number;
let userId: number;
const HASH = 'a'.repeat(64);
const session = () => server.uow.read((repositories) => repositories.auth.findSession(HASH));

beforeEach(async () => {
  file = join(dir, `${Math.random().toString(36).slice(2)}.sqlite`);
  server = await openDatabase({ url: file });
  ({ tokenId, userId } = await server.uow.transaction(async (tx) => {
    const user = await tx.auth.insertUser({ username: 'ops', role: 'admin', passwordHash: null, createdAt: new Date() });
    const id = await tx.auth.insertToken({ userId: user.id, name: 'ci', tokenHash: HASH, createdAt: new Date(), expiresAt: null });
    return { tokenId: id, userId: user.id };
  }));
});
afterEach(() => server.close());

describe('the session cache', () => {
  it('forgets a token revoked by this process at once', async () => {
    expect((await session())?.user.username).toBe('ops');
    expect((await session())?.tokenId).toBe(tokenId);
    await server.uow.transaction((tx) => tx.auth.revokeToken(userId, tokenId, new Date()));
    expect(await session()).toBeNull();
  });

  it('forgets a demoted user’s role at once', async () => {
    expect((await session())?.user.role).toBe('admin');
    await server.uow.transaction((tx) => tx.auth.updateUser(userId, { role: 'user' }));
    expect((await session())?.user.role).toBe('user');
  });

  it('forgets what another process changed in the file, at the next lookup', async () => {
    expect((await session())?.user.username).toBe('ops');
    const other = await openDatabase({ url: file });
    try {
      await other.uow.transaction((tx) => tx.auth.revokeToken(userId, tokenId, new Date()));
    } finally {
      await other.close();
    }
    expect(await session()).toBeNull();
  });

  it('forgets a user deleted by another process', async () => {
    expect(await session()).not.toBeNull();
    const other = await openDatabase({ url: file });
    try {
      await other.uow.transaction((tx) => tx.auth.deleteUser(userId));
    } finally {
      await other.close();
    }
    expect(await session()).toBeNull();
  });
});
