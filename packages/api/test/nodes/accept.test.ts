import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  eachTestWithSeededYard,
  eventLog,
  expectInvalidInput,
  expectTRPCError,
  machine,
  type Caller,
  type Cast,
  type Yard,
} from '../harness.js';

let db: Yard;
let as: Cast;
let admin: Caller;

eachTestWithSeededYard((fresh, cast) => {
  db = fresh;
  as = cast;
  admin = as.admin.caller;
});

const statusOf = async (systemId: string) => (await admin.protected.nodes.get({ systemId })).status;

describe('protected.nodes.accept', () => {
  it('moves declared nodes to ready', async () => {
    const a = await as.anonymous.enlist(machine(1));
    const b = await as.anonymous.enlist(machine(2));
    const untouched = await as.anonymous.enlist(machine(3));

    expect(await admin.protected.nodes.accept({ systemIds: [a.systemId, b.systemId] })).toEqual({
      accepted: [a.systemId, b.systemId],
    });
    expect(await statusOf(a.systemId)).toBe('ready');
    expect(await statusOf(b.systemId)).toBe('ready');
    expect(await statusOf(untouched.systemId)).toBe('declared');

    const accepted = await admin.protected.nodes.get({ systemId: a.systemId });
    expect(accepted.owner).toBeNull();
    expect(Date.parse(accepted.updatedAt)).toBeGreaterThanOrEqual(Date.parse(a.updatedAt));
  });

  it('leaves a ready node alone and does not list it as accepted', async () => {
    const declared = await as.anonymous.enlist(machine(1));
    const ready = await as.alice.caller.protected.enlist(machine(2));
    const result = await admin.protected.nodes.accept({ systemIds: [ready.systemId, declared.systemId] });
    expect(result).toEqual({ accepted: [declared.systemId] });
    expect(await admin.protected.nodes.get({ systemId: ready.systemId })).toMatchObject({
      status: 'ready',
      updatedAt: ready.updatedAt,
    });
    expect(await admin.protected.nodes.accept({ systemIds: [declared.systemId] })).toEqual({ accepted: [] });
    expect(await eventLog(db)).toEqual([
      `${declared.systemId} enlist ∅ → declared by ${ANONYMOUS}`,
      `${ready.systemId} enlist ∅ → ready by alice`,
      `${declared.systemId} accept declared → ready by root`,
    ]);
  });

  it('accepts a node named twice once', async () => {
    const node = await as.anonymous.enlist(machine(1));
    expect(await admin.protected.nodes.accept({ systemIds: [node.systemId, node.systemId] })).toEqual({
      accepted: [node.systemId],
    });
  });

  it('refuses an allocated node, naming it and its state, and accepts nothing else of the call', async () => {
    const declared = await as.anonymous.enlist(machine(1));
    const allocated = await as.alice.caller.protected.enlist(machine(2));
    await as.alice.caller.protected.nodes.acquire({ systemId: allocated.systemId });
    const eventsBefore = await eventLog(db);

    const error = await expectTRPCError(
      admin.protected.nodes.accept({ systemIds: [declared.systemId, allocated.systemId] }),
      'CONFLICT',
      `cannot accept node ${allocated.systemId}: it is allocated (allowed from 'allocated': deploy, release, markBroken)`,
    );
    expect(error.cause).toMatchObject({
      details: { action: 'accept', status: 'allocated', allowed: ['deploy', 'release', 'markBroken'], systemId: allocated.systemId },
    });
    expect(await statusOf(declared.systemId)).toBe('declared');
    expect(await statusOf(allocated.systemId)).toBe('allocated');
    expect(await eventLog(db)).toEqual(eventsBefore);
  });

  it('NOT_FOUND for an unknown node, accepting nothing else of the call', async () => {
    const declared = await as.anonymous.enlist(machine(1));
    await expectTRPCError(
      admin.protected.nodes.accept({ systemIds: [declared.systemId, 'abc234'] }),
      'NOT_FOUND',
      "node 'abc234' does not exist",
    );
    expect(await statusOf(declared.systemId)).toBe('declared');
  });

  it('is for admins only: FORBIDDEN for a plain user, and nothing changes', async () => {
    const node = await as.anonymous.enlist(machine(1));
    await expectTRPCError(
      as.alice.caller.protected.nodes.accept({ systemIds: [node.systemId] }),
      'FORBIDDEN',
      "user 'alice' is not an admin",
    );
    expect(await statusOf(node.systemId)).toBe('declared');
  });

  it('takes one node as systemId too, but not both ways at once', async () => {
    const node = await as.anonymous.enlist(machine(40));
    expect(await admin.protected.nodes.accept({ systemId: node.systemId })).toEqual({ accepted: [node.systemId] });
    expect(
      await expectInvalidInput(
        admin.protected.nodes.accept({ systemId: node.systemId, systemIds: [node.systemId] }),
        'protected.nodes.accept',
      ),
    ).toEqual({ systemIds: ['name the nodes as systemIds, or one node as systemId'] });
    expect(await expectInvalidInput(admin.protected.nodes.accept({}), 'protected.nodes.accept')).toEqual({
      systemIds: ['name the nodes as systemIds, or one node as systemId'],
    });
  });

  it('wants 1..1000 valid system ids', async () => {
    expect(await expectInvalidInput(admin.protected.nodes.accept({ systemIds: [] }), 'protected.nodes.accept')).toEqual({
      systemIds: ['must name at least one node'],
    });
    expect(await expectInvalidInput(admin.protected.nodes.accept({ systemIds: ['abc234', 'NOPE!!'] }), 'protected.nodes.accept')).toEqual({
      'systemIds.1': ['must be a system id: 6 characters from a-z and 2-7'],
    });
  });
});
