import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, manage, nextMac, scratchDir, startServer, type ServerProcess } from './harness.js';

const scratch = scratchDir();
const databaseUrl = `${scratch.path}/metalyard.sqlite`;
let server: ServerProcess;
let tokens: string[];

beforeAll(async () => {
  tokens = [];
  for (const name of ['u1', 'u2', 'u3']) tokens.push(await manage(databaseUrl, 'createuser', '--username', name));
  server = await startServer(databaseUrl);
});

afterAll(async () => {
  await server.stop();
  scratch.remove();
});

it('gives each of 20 ready nodes to exactly one of 60 concurrent acquirers', async () => {
  const admin = client(server.url, ADMIN_TOKEN);
  const nodes = await Promise.all(
    Array.from({ length: 20 }, () => admin.protected.enlist.mutate({ architecture: 'i386/generic', macAddresses: [nextMac()] })),
  );
  expect(nodes.every((node) => node.status === 'ready')).toBe(true);

  // 60 clients, one request each, so the server really sees 60 concurrent HTTP requests.
  const outcomes = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) =>
      client(server.url, tokens[i % 3]).protected.nodes.acquire.mutate({ architecture: 'i386/generic' }),
    ),
  );
  const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const losers = outcomes.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as { data?: { httpStatus?: number } }] : [],
  );
  expect(winners).toHaveLength(20);
  expect(new Set(winners.map((node) => node.systemId)).size).toBe(20);
  expect(new Set(winners.map((node) => node.systemId))).toEqual(new Set(nodes.map((node) => node.systemId)));
  expect(losers.map((error) => error.data?.httpStatus)).toEqual(Array(40).fill(409));

  const allocated = await admin.protected.nodes.list.query({ status: 'allocated', limit: 1000 });
  expect(allocated.items).toHaveLength(20);
  for (const winner of winners) {
    expect(allocated.items.find((node) => node.systemId === winner.systemId)?.owner).toBe(winner.owner);
  }
});
