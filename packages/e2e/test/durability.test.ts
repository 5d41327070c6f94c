import { afterAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, nextMac, scratchDir, startServer } from './harness.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

it('keeps every acknowledged enlistment through kill -9', async () => {
  const databaseUrl = `${scratch.path}/metalyard.sqlite`;
  const first = await startServer(databaseUrl);
  const anonymous = client(first.url);
  const acknowledged = await Promise.all(
    Array.from({ length: 50 }, () => anonymous.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] })),
  );
  await first.kill();

  const second = await startServer(databaseUrl);
  try {
    const page = await client(second.url, ADMIN_TOKEN).protected.nodes.list.query({ limit: 1000 });
    const present = new Set(page.items.map((node) => node.systemId));
    expect(acknowledged.filter((node) => !present.has(node.systemId))).toEqual([]);
    expect(page.items).toHaveLength(50);
  } finally {
    expect(await second.stop()).toBe(0);
  }
});

it('stops cleanly on SIGTERM and starts again on the same file', async () => {
  const databaseUrl = `${scratch.path}/restart.sqlite`;
  const first = await startServer(databaseUrl);
  const node = await client(first.url).enlist.mutate({ architecture: 'arm64/generic', macAddresses: [nextMac()] });
  expect(await first.stop()).toBe(0);
  expect(first.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
  const second = await startServer(databaseUrl);
  try {
    expect(await client(second.url, ADMIN_TOKEN).protected.nodes.get.query({ systemId: node.systemId })).toMatchObject(node);
  } finally {
    await second.stop();
  }
});

it('refuses to start with a clear message when the admin token is too short', async () => {
  await expect(startServer(`${scratch.path}/short.sqlite`, { METALYARD_ADMIN_TOKEN: 'short' })).rejects.toThrow(
    /METALYARD_ADMIN_TOKEN must be at least 32 characters/,
  );
});
