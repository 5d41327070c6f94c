import { describe, expect, it } from 'vitest';
import type { Node } from '@metalyard/sdk';
import { DEFAULT_VIEW, machineViewQuery, nextSort, parseMachineView, sortNodes } from './machine-view.js';
import { fakeNode } from './test/nodes.js';

const node = (hostname: string, fields: Partial<Node> = {}) => fakeNode(hostname, 'ready', fields);

describe('the machine view in the URL', () => {
  it('reads every filter and the sort from a link, and writes back only what is set', () => {
    const query = new URLSearchParams('status=ready&q=rack1&zone=dc1&pool=ci&tag=gpu&arch=arm64%2Fgeneric&sort=-hostname');
    const view = parseMachineView(query);
    expect(view).toEqual({
      status: 'ready',
      search: 'rack1',
      zone: 'dc1',
      pool: 'ci',
      tag: 'gpu',
      architecture: 'arm64/generic',
      sort: { key: 'hostname', descending: true },
    });
    expect(new URLSearchParams(machineViewQuery(view) as Record<string, string>).toString()).toBe(query.toString());
    expect(Object.values(machineViewQuery(DEFAULT_VIEW)).filter(Boolean)).toEqual([]);
  });

  it('ignores a status, architecture or sort it does not know', () => {
    expect(parseMachineView(new URLSearchParams('status=exploded&arch=vax&sort=colour'))).toEqual(DEFAULT_VIEW);
  });
});

describe('sorting', () => {
  it('cycles a column ascending, descending, then back to the server order', () => {
    expect(nextSort(null, 'zone')).toEqual({ key: 'zone', descending: false });
    expect(nextSort({ key: 'zone', descending: false }, 'zone')).toEqual({ key: 'zone', descending: true });
    expect(nextSort({ key: 'zone', descending: true }, 'zone')).toBeNull();
    expect(nextSort({ key: 'zone', descending: true }, 'owner')).toEqual({ key: 'owner', descending: false });
  });

  it('sorts hostnames naturally, statuses in lifecycle order, and empty values last either way', () => {
    const nodes = [node('rack10'), node('rack2', { status: 'declared', zone: 'b' }), node('rack1', { status: 'broken', zone: 'a' })];
    const names = (sorted: Node[]) => sorted.map((each) => each.hostname);
    expect(names(sortNodes(nodes, { key: 'hostname', descending: false }))).toEqual(['rack1', 'rack2', 'rack10']);
    expect(names(sortNodes(nodes, { key: 'status', descending: false }))).toEqual(['rack2', 'rack10', 'rack1']);
    expect(names(sortNodes(nodes, { key: 'zone', descending: false }))).toEqual(['rack1', 'rack2', 'rack10']);
    expect(names(sortNodes(nodes, { key: 'zone', descending: true }))).toEqual(['rack2', 'rack1', 'rack10']);
    expect(names(sortNodes(nodes, null))).toEqual(['rack10', 'rack2', 'rack1']);
  });

  it('sorts power states on before off, unknown last either way', () => {
    const nodes = [node('p-unknown'), node('p-off', { powerState: 'off' }), node('p-on', { powerState: 'on' })];
    const names = (sorted: Node[]) => sorted.map((each) => each.hostname);
    expect(names(sortNodes(nodes, { key: 'powerState', descending: false }))).toEqual(['p-on', 'p-off', 'p-unknown']);
    expect(names(sortNodes(nodes, { key: 'powerState', descending: true }))).toEqual(['p-off', 'p-on', 'p-unknown']);
    expect(parseMachineView(new URLSearchParams('sort=-powerState')).sort).toEqual({ key: 'powerState', descending: true });
  });
});
