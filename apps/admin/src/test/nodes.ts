import type { Node } from '@metalyard/sdk';

let counter = 0;

/** A node as the API returns it, in `status`, with a unique system id unless `fields` gives one. */
export function fakeNode(hostname: string, status: Node['status'] = 'ready', fields: Partial<Node> = {}): Node {
  counter += 1;
  return {
    systemId: `n${String(counter).padStart(5, '0')}`,
    hostname,
    status,
    architecture: 'amd64/generic',
    macAddresses: ['52:54:00:00:00:01'],
    powerType: 'manual',
    owner: null,
    zone: null,
    pool: null,
    tags: [],
    hardware: null,
    annotations: {},
    statusMessage: null,
    powerState: 'unknown',
    powerStateCheckedAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    agent: null,
    image: null,
    ...fields,
  } as Node;
}
