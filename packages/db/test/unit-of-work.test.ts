/**
 * The unit of work keeps the entity managers of finished reads and transactions for the next ones
 * (a fork is a few percent of a small request). What one of them loaded must never reach another.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/core';
import type { User } from '@metalyard/domain';
import { openYard, type Yard } from './yard.js';

let yard: Yard | undefined;
afterEach(async () => {
  await yard?.db.close();
  yard = undefined;
});

describe('reused entity managers', () => {
  it('start empty: a read after a change sees the change, never what an earlier read loaded', async () => {
    yard = await openYard({ url: ':memory:' });
    const { app } = yard;
    const boss = await app.users.create('boss', 'admin');
    await app.users.create('keeper', 'user');
    const admin: User = { id: boss.id, username: boss.username, role: 'admin' };
    for (const role of ['admin', 'user', 'admin'] as const) {
      // Loaded through the ORM (an entity in the identity map), then changed by a plain UPDATE.
      expect((await app.users.find('keeper'))?.role).not.toBe(role);
      await app.users.update(admin, { username: 'keeper', role });
      expect((await app.users.find('keeper'))?.role).toBe(role);
    }
  });

  it('are kept empty: nothing a finished read or transaction loaded stays managed', async () => {
    yard = await openYard({ url: ':memory:' });
    const { app, db } = yard;
    await app.users.create('keeper', 'user');
    await Promise.all([app.users.find('keeper'), app.users.list(), db.uow.transaction((tx) => tx.auth.findUser('keeper'))]);
    const spare = (db.uow as unknown as { spare: EntityManager[] }).spare;
    expect(spare.length).toBeGreaterThan(0);
    for (const em of spare) expect(em.getUnitOfWork().getIdentityMap().values()).toEqual([]);
  });

  it('start empty after a rolled-back transaction too', async () => {
    yard = await openYard({ url: ':memory:' });
    const { app, db } = yard;
    await app.users.create('keeper', 'user');
    await expect(
      db.uow.transaction(async (tx) => {
        await tx.auth.findUser('keeper');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const boss = await app.users.create('boss', 'admin');
    await app.users.update({ id: boss.id, username: 'boss', role: 'admin' }, { username: 'keeper', role: 'admin' });
    expect(await db.uow.transaction((tx) => tx.auth.findUser('keeper'))).toMatchObject({ role: 'admin' });
  });
});
