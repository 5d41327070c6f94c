import { describe, expect, it } from 'vitest';
import type { RouterOutputs } from '../../src/index.js';
import { eachTestWithSeededYard, eventLog, expectTRPCError, machine, type Cast, type Yard } from '../harness.js';

let db: Yard;
let as: Cast;
/** A node alice has acquired. */
let owned: RouterOutputs['protected']['nodes']['acquire'];

eachTestWithSeededYard(async (fresh, cast) => {
  db = fresh;
  as = cast;
  await as.admin.caller.protected.enlist(machine(1));
  owned = await as.alice.caller.protected.nodes.acquire();
});

describe('protected.nodes.release', () => {
  it('by the owner: ready again, with no owner', async () => {
    const node = await as.alice.caller.protected.nodes.release({ systemId: owned.systemId });
    expect(node).toMatchObject({ systemId: owned.systemId, status: 'ready', owner: null, annotations: {}, statusMessage: null });
    expect(await as.bob.caller.protected.nodes.get({ systemId: owned.systemId })).toEqual(node);
    expect((await as.bob.caller.protected.nodes.acquire()).systemId).toBe(owned.systemId);
  });

  it('by another plain user: FORBIDDEN, and the node stays allocated', async () => {
    await expectTRPCError(
      as.bob.caller.protected.nodes.release({ systemId: owned.systemId }),
      'FORBIDDEN',
      `only its owner (alice) or an admin may release node ${owned.systemId}`,
    );
    expect(await as.bob.caller.protected.nodes.get({ systemId: owned.systemId })).toMatchObject({
      status: 'allocated',
      owner: 'alice',
    });
  });

  it('by an admin: ok', async () => {
    const node = await as.admin.caller.protected.nodes.release({ systemId: owned.systemId });
    expect(node).toMatchObject({ status: 'ready', owner: null });
    expect(node.powerParameters).toEqual({});
    expect((await eventLog(db)).slice(-2)).toEqual([
      `${owned.systemId} release allocated → releasing by root`,
      `${owned.systemId} finishRelease releasing → ready by system:erase`,
    ]);
  });

  it('of a ready node: a no-op', async () => {
    const released = await as.alice.caller.protected.nodes.release({ systemId: owned.systemId });
    const eventsBefore = await eventLog(db);
    const again = await as.bob.caller.protected.nodes.release({ systemId: owned.systemId });
    expect(again).toEqual(released);
    expect(await eventLog(db)).toEqual(eventsBefore);
  });

  it('of a declared node: CONFLICT', async () => {
    const declared = await as.anonymous.enlist(machine(2));
    await expectTRPCError(
      as.admin.caller.protected.nodes.release({ systemId: declared.systemId }),
      'CONFLICT',
      `cannot release node ${declared.systemId}: it is declared (allowed from 'declared': accept, retire, delete)`,
    );
    expect((await as.admin.caller.protected.nodes.get({ systemId: declared.systemId })).status).toBe('declared');
  });

  it('of an unknown node: NOT_FOUND', async () => {
    await expectTRPCError(as.alice.caller.protected.nodes.release({ systemId: 'abc234' }), 'NOT_FOUND', "node 'abc234' does not exist");
  });
});
