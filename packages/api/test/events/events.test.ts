import { describe, expect, it } from 'vitest';
import { ANONYMOUS, eachTestWithSeededYard, eventLog, events, expectTRPCError, machine, type Cast, rows, type Yard } from '../harness.js';

let db: Yard;
let as: Cast;

eachTestWithSeededYard((fresh, cast) => {
  db = fresh;
  as = cast;
});

describe('the node event log', () => {
  it('records every status change with from, to and actor', async () => {
    const pxe = await as.anonymous.enlist(machine(1));
    const trusted = await as.bob.caller.protected.enlist(machine(2));
    await as.admin.caller.protected.nodes.accept({ systemIds: [pxe.systemId] });
    await as.alice.caller.protected.nodes.acquire({ systemId: pxe.systemId });
    await as.alice.caller.protected.nodes.release({ systemId: pxe.systemId });
    await as.bob.caller.protected.nodes.acquire({ systemId: trusted.systemId });
    await as.admin.caller.protected.nodes.release({ systemId: trusted.systemId });
    const reenlisted = await as.anonymous.enlist(machine(3));
    await as.alice.caller.protected.enlist(machine(3));

    expect(await eventLog(db)).toEqual([
      `${pxe.systemId} enlist ∅ → declared by ${ANONYMOUS}`,
      `${trusted.systemId} enlist ∅ → ready by bob`,
      `${pxe.systemId} accept declared → ready by root`,
      `${pxe.systemId} acquire ready → allocated by alice`,
      `${pxe.systemId} release allocated → releasing by alice`,
      `${pxe.systemId} finishRelease releasing → ready by system:erase`,
      `${trusted.systemId} acquire ready → allocated by bob`,
      `${trusted.systemId} release allocated → releasing by root`,
      `${trusted.systemId} finishRelease releasing → ready by system:erase`,
      `${reenlisted.systemId} enlist ∅ → declared by ${ANONYMOUS}`,
      `${reenlisted.systemId} accept declared → ready by alice`,
    ]);
  });

  it('ties each event to its node row and time', async () => {
    const before = Date.now();
    const node = await as.anonymous.enlist(machine(1));
    const [row] = await events(db);
    const ids = await rows<{ id: number }>(db, 'select id from node where system_id = ?', [node.systemId]);
    expect(row).toMatchObject({ node_id: ids[0]!.id, system_id: node.systemId, type: 'enlist', from_status: null, to_status: 'declared' });
    const createdAt = (row as unknown as { created_at: string | number }).created_at;
    expect(new Date(createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('records the caller’s address for anonymous events', async () => {
    await as.anonymous.enlist(machine(1));
    expect((await events(db)).map((row) => row.actor)).toEqual(['anonymous@10.0.0.5']);
  });

  it('records nothing for no-ops, refusals and failures', async () => {
    const declared = await as.anonymous.enlist(machine(1));
    const ready = await as.alice.caller.protected.enlist(machine(2));
    const allocated = await as.alice.caller.protected.enlist(machine(3));
    await as.alice.caller.protected.nodes.acquire({ systemId: allocated.systemId });
    const before = await eventLog(db);
    expect(before).toHaveLength(4);

    await as.anonymous.enlist(machine(1)); // re-enlisting a declared node anonymously
    await as.admin.caller.protected.nodes.accept({ systemIds: [ready.systemId] }); // already ready
    await as.alice.caller.protected.nodes.release({ systemId: ready.systemId }); // not allocated
    await expectTRPCError(as.admin.caller.protected.nodes.accept({ systemIds: [declared.systemId, allocated.systemId] }), 'CONFLICT');
    await expectTRPCError(as.bob.caller.protected.nodes.release({ systemId: allocated.systemId }), 'FORBIDDEN');
    await expectTRPCError(as.alice.caller.protected.nodes.release({ systemId: declared.systemId }), 'CONFLICT');
    await expectTRPCError(as.bob.caller.protected.nodes.acquire({ architecture: 'arm64/generic' }), 'CONFLICT');
    await expectTRPCError(as.anonymous.enlist(machine(2)), 'CONFLICT');
    await expectTRPCError(as.anonymous.enlist(machine(9, { hostname: ready.hostname })), 'CONFLICT');

    expect(await eventLog(db)).toEqual(before);
  });
});
