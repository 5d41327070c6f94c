import { describe, expect, it } from 'vitest';
import { encodeCursor } from '@metalyard/db';
import { NODE_STATUSES, type NodeStatus } from '@metalyard/domain';
import { eachTestWithSeededYard, expectInvalidInput, expectTRPCError, machine, type Caller, type Cast } from '../harness.js';

let as: Cast;
let alice: Caller;

eachTestWithSeededYard((_db, cast) => {
  as = cast;
  alice = as.alice.caller;
});

describe('protected.nodes.get', () => {
  it('gives the node', async () => {
    const node = await as.anonymous.enlist(machine(1, { hostname: 'n1' }));
    expect(await alice.protected.nodes.get({ systemId: node.systemId })).toEqual(node);
  });

  it('NOT_FOUND for an unknown node', async () => {
    await expectTRPCError(alice.protected.nodes.get({ systemId: 'abc234' }), 'NOT_FOUND', "node 'abc234' does not exist");
  });

  it.each([['ABC234'], ['abc23'], ['abc2345'], ['abc018'], ['../etc'], ['']])('BAD_REQUEST for the system id %j', async (systemId) => {
    expect(await expectInvalidInput(alice.protected.nodes.get({ systemId }), 'protected.nodes.get')).toEqual({
      systemId: ['must be a system id: 6 characters from a-z and 2-7'],
    });
  });
});

describe('protected.nodes.list', () => {
  /** The per-status counts a page carries: every status, zero unless given. */
  const counts = (nonZero: Partial<Record<NodeStatus, number>>) => ({
    ...Object.fromEntries(NODE_STATUSES.map((status) => [status, 0])),
    ...nonZero,
  });

  /** Enlists `count` nodes; every third anonymously (declared), the others trusted (ready). */
  async function enlistMany(count: number) {
    const nodes = [];
    for (let n = 1; n <= count; n++) {
      nodes.push(n % 3 === 0 ? await as.anonymous.enlist(machine(n)) : await alice.protected.enlist(machine(n)));
    }
    return nodes;
  }

  /** Follows nextCursor to the end, returning every page. */
  async function allPages(input: { limit: number; status?: NodeStatus }) {
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await alice.protected.nodes.list({ ...input, cursor });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null && pages.length < 100);
    return pages;
  }

  it('is empty on an empty database', async () => {
    expect(await alice.protected.nodes.list()).toEqual({ items: [], nextCursor: null, counts: counts({}) });
  });

  it('visits each of 25 nodes exactly once, in enlistment order, 7 at a time', async () => {
    const nodes = await enlistMany(25);
    const pages = await allPages({ limit: 7 });
    expect(pages.map((page) => page.items.length)).toEqual([7, 7, 7, 4]);
    expect(pages.map((page) => page.nextCursor === null)).toEqual([false, false, false, true]);
    const seen = pages.flatMap((page) => page.items.map((node) => node.systemId));
    expect(seen).toEqual(nodes.map((node) => node.systemId));
    expect(new Set(seen).size).toBe(25);
  });

  it('gives the same pages when asked again', async () => {
    await enlistMany(25);
    expect(await allPages({ limit: 7 })).toEqual(await allPages({ limit: 7 }));
  });

  it('stays stable when nodes are added between pages', async () => {
    const nodes = await enlistMany(10);
    const first = await alice.protected.nodes.list({ limit: 4 });
    const later = await alice.protected.enlist(machine(100));
    const second = await alice.protected.nodes.list({ limit: 100, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((node) => node.systemId)).toEqual([...nodes.map((node) => node.systemId), later.systemId]);
    expect(second.nextCursor).toBeNull();
  });

  it('ends with nextCursor null when the last page is exactly full', async () => {
    await enlistMany(14);
    const pages = await allPages({ limit: 7 });
    expect(pages.map((page) => page.items.length)).toEqual([7, 7]);
    expect(pages[1]!.nextCursor).toBeNull();
  });

  it('filters by status, paginating within the filter', async () => {
    const nodes = await enlistMany(25);
    const declared = nodes.filter((node) => node.status === 'declared').map((node) => node.systemId);
    const ready = nodes.filter((node) => node.status === 'ready').map((node) => node.systemId);
    expect(declared).toHaveLength(8);

    const declaredPages = await allPages({ limit: 3, status: 'declared' });
    expect(declaredPages.map((page) => page.items.length)).toEqual([3, 3, 2]);
    expect(declaredPages.flatMap((page) => page.items.map((node) => node.systemId))).toEqual(declared);
    expect(declaredPages.flatMap((page) => page.items.map((node) => node.status))).toEqual(Array(8).fill('declared'));

    const readyPages = await allPages({ limit: 7, status: 'ready' });
    expect(readyPages.flatMap((page) => page.items.map((node) => node.systemId))).toEqual(ready);

    // The counts ignore the status filter: they are what the other statuses would give.
    expect(await alice.protected.nodes.list({ status: 'allocated' })).toEqual({
      items: [],
      nextCursor: null,
      counts: counts({ declared: 8, ready: 17 }),
    });
    for (const page of [...declaredPages, ...readyPages]) expect(page.counts).toEqual(counts({ declared: 8, ready: 17 }));
  });

  it('defaults to 100 per page', async () => {
    await enlistMany(101);
    const page = await alice.protected.nodes.list();
    expect(page.items).toHaveLength(100);
    expect(page.nextCursor).not.toBeNull();
    const next = await alice.protected.nodes.list({ cursor: page.nextCursor });
    expect(next.items).toHaveLength(1);
    expect(next.nextCursor).toBeNull();
  });

  it.each([
    ['garbage', '!!not-a-cursor!!'],
    ['base64 of something else', Buffer.from('x42').toString('base64url')],
    ['a negative id', Buffer.from('n-1').toString('base64url')],
  ])('BAD_REQUEST for a %s cursor', async (_label, cursor) => {
    await enlistMany(3);
    const error = await expectTRPCError(
      alice.protected.nodes.list({ cursor }),
      'BAD_REQUEST',
      'cursor: is not a cursor from a previous page',
    );
    expect(error.cause).toMatchObject({ kind: 'invalid_input', details: { field: 'cursor' } });
  });

  it('BAD_REQUEST for a cursor longer than 64 characters', async () => {
    expect(await expectInvalidInput(alice.protected.nodes.list({ cursor: 'A'.repeat(65) }), 'protected.nodes.list')).toEqual({
      cursor: ['is not a cursor from a previous page'],
    });
  });

  it('accepts a cursor past the end', async () => {
    await enlistMany(3);
    expect(await alice.protected.nodes.list({ cursor: encodeCursor(1000) })).toEqual({
      items: [],
      nextCursor: null,
      counts: counts({ declared: 1, ready: 2 }),
    });
  });

  it.each([0, 1001, 2.5])('BAD_REQUEST for limit %s', async (limit) => {
    const fields = await expectInvalidInput(alice.protected.nodes.list({ limit }), 'protected.nodes.list');
    expect(Object.keys(fields)).toEqual(['limit']);
  });

  it('BAD_REQUEST for an unknown status', async () => {
    const fields = await expectInvalidInput(alice.protected.nodes.list({ status: 'gone' as never }), 'protected.nodes.list');
    expect(fields).toEqual({ status: [`must be one of ${NODE_STATUSES.join(', ')}`] });
    expect(NODE_STATUSES).toHaveLength(11);
  });
});
