import { describe, expect, it } from 'vitest';
import type { Node } from '@metalyard/sdk';
import { changesOf } from './EditMachineDialog.js';

const node = {
  systemId: 'k3v9qa',
  hostname: 'rack1-n2',
  tags: ['gpu', 'ssd'],
  zone: null,
  pool: 'ci',
  powerType: 'manual',
} as unknown as Node;

describe('changesOf', () => {
  it('sends only the fields that changed', () => {
    expect(changesOf(node, { hostname: 'rack1-n2', tags: ['ssd', 'gpu'], zone: null, pool: 'ci', powerType: 'manual' })).toEqual({
      systemId: 'k3v9qa',
    });
    expect(changesOf(node, { hostname: 'rack1-n3', tags: ['gpu'], zone: 'dc1', pool: null })).toEqual({
      systemId: 'k3v9qa',
      hostname: 'rack1-n3',
      tags: ['gpu'],
      zone: 'dc1',
      pool: null,
    });
  });

  it('sends new power parameters whenever some were typed (the current ones arrive masked)', () => {
    expect(changesOf(node, { powerParameters: { address: '10.0.0.10' } })).toEqual({
      systemId: 'k3v9qa',
      powerParameters: { address: '10.0.0.10' },
    });
  });
});
