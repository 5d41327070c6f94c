import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, failure, nextMac, scratchDir, startServer } from './harness.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

function enlistRaw(url: string, mac: string): Promise<Response> {
  return fetch(`${url}/trpc/enlist`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ architecture: 'amd64/generic', macAddresses: [mac] }),
  });
}

describe('the anonymous door', () => {
  it('rate-limits public calls per address with 429 and Retry-After, and leaves users alone', async () => {
    const server = await startServer(`${scratch.path}/rate.sqlite`, { METALYARD_ANON_RATE: '0.5', METALYARD_ANON_BURST: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await enlistRaw(server.url, nextMac())).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const refused = await enlistRaw(server.url, nextMac());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/too many requests/);
      // A signed-in user is not behind the anonymous door.
      const admin = client(server.url, ADMIN_TOKEN);
      expect((await admin.protected.nodes.list.query({ limit: 100 })).items).toHaveLength(5);
      expect((await admin.protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] })).status).toBe('ready');
    } finally {
      await server.stop();
    }
  });

  it('caps the machines waiting for approval, writing nothing beyond the cap', async () => {
    const server = await startServer(`${scratch.path}/cap.sqlite`, { METALYARD_MAX_DECLARED: '3' });
    try {
      const anonymous = client(server.url);
      for (let i = 0; i < 3; i++) await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
      const refused = await failure(anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] }));
      expect(refused.status).toBe(503);
      expect(refused.message).toMatch(/3 machines are already waiting for approval/);
      const admin = client(server.url, ADMIN_TOKEN);
      expect((await admin.protected.nodes.list.query({ status: 'declared' })).items).toHaveLength(3);
      // Accepting one makes room again.
      const [first] = (await admin.protected.nodes.list.query({ status: 'declared' })).items;
      await admin.protected.nodes.accept.mutate({ systemIds: [first!.systemId] });
      expect((await anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] })).status).toBe('declared');
    } finally {
      await server.stop();
    }
  });

  it('refuses a batch of more calls than METALYARD_MAX_BATCH', async () => {
    const server = await startServer(`${scratch.path}/batch.sqlite`, { METALYARD_MAX_BATCH: '3' });
    try {
      const paths = Array(4).fill('protected.me').join(',');
      const response = await fetch(`${server.url}/trpc/${paths}?batch=1&input=${encodeURIComponent('{}')}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(response.status).toBe(400);
      const ok = await fetch(`${server.url}/trpc/${Array(3).fill('protected.me').join(',')}?batch=1&input=${encodeURIComponent('{}')}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
