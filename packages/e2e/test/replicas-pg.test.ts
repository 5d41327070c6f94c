import pg from 'pg';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetalyardClient, httpStatusOf, type MetalyardClient, type Node } from '@metalyard/sdk';
import {
  ADMIN_TOKEN,
  client,
  databaseUrlFor,
  manage,
  nextMac,
  onPostgres,
  scratchDir,
  startServer,
  type ServerProcess,
} from './harness.js';

/**
 * Two server processes on one PostgreSQL database, as replicas behind a load balancer would be.
 * Runs under `pnpm test:pg` (METALYARD_TEST_PG_URL); there is nothing to share on SQLite, so it skips.
 */
describe.skipIf(!onPostgres)('two replicas on one PostgreSQL database', () => {
  let scratch: ReturnType<typeof scratchDir>;
  let databaseUrl: string;
  let replicas: [ServerProcess, ServerProcess];
  let users: string[];

  /** A client of replica `i % 2`. */
  const on = (i: number, token: string = ADMIN_TOKEN): MetalyardClient => client(replicas[i % 2]!.url, token);

  beforeAll(async () => {
    scratch = scratchDir();
    databaseUrl = `${scratch.path}/replicas.sqlite`; // stands for a fresh PostgreSQL database
    // Both start at once on an empty database: one applies the migrations while the other waits.
    replicas = await Promise.all([startServer(databaseUrl), startServer(databaseUrl)]);
    users = await Promise.all(['u1', 'u2'].map((name) => manage(databaseUrl, 'createuser', '--username', name)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.stop()));
    scratch?.remove();
  });

  /** `count` ready nodes of `architecture`, enlisted through both replicas. */
  async function readyNodes(count: number, architecture: 'arm64/generic' | 'riscv64/generic'): Promise<Node[]> {
    return Promise.all(Array.from({ length: count }, (_, i) => on(i).protected.enlist.mutate({ architecture, macAddresses: [nextMac()] })));
  }

  /** The HTTP status of each rejection, or its message when it never got one. */
  function conflicts(outcomes: PromiseSettledResult<unknown>[]): (number | string)[] {
    return outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [httpStatusOf(outcome.reason) ?? String((outcome.reason as Error).message)] : [],
    );
  }

  async function eventsOf(systemId: string, type: string): Promise<number> {
    return (await on(0).protected.events.list.query({ systemId, type, limit: 100 })).items.length;
  }

  it('started both on the migrated database, the migrations applied once', async () => {
    const health = await Promise.all(replicas.map(async (replica) => (await fetch(`${replica.url}/healthz`)).json()));
    expect(health).toEqual([
      expect.objectContaining({ status: 'ok', database: 'postgresql', migration: 'Migration20261203000000' }),
      expect.objectContaining({ status: 'ok', database: 'postgresql', migration: 'Migration20261203000000' }),
    ]);
    const direct = new pg.Client({ connectionString: await databaseUrlFor(databaseUrl) });
    await direct.connect();
    try {
      // Each migration is recorded once: as many rows as migrations, no name twice.
      const { rows } = await direct.query<{ n: string; names: string }>(
        'select count(*) as n, count(distinct name) as names from mikro_orm_migrations',
      );
      expect(rows[0]).toEqual({ n: '4', names: '4' });
    } finally {
      await direct.end();
    }
  });

  it('gives each of 50 ready nodes to exactly one of 200 acquirers spread over both replicas', async () => {
    const nodes = await readyNodes(50, 'riscv64/generic');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        on(i, users[i % users.length]!).protected.nodes.acquire.mutate({ architecture: 'riscv64/generic' }),
      ),
    );
    const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(conflicts(outcomes)).toEqual(Array(150).fill(409));
    expect(winners).toHaveLength(50);
    expect(new Set(winners.map((node) => node.systemId))).toEqual(new Set(nodes.map((node) => node.systemId)));
    const allocated = await on(1).protected.nodes.list.query({ status: 'allocated', architecture: 'riscv64/generic', limit: 1000 });
    expect(allocated.items.map((node) => [node.systemId, node.owner]).sort()).toEqual(
      winners.map((node) => [node.systemId, node.owner]).sort(),
    );
  });

  it('lets one of two replicas deploy a node at the same moment; the other answers 409', async () => {
    const nodes = await readyNodes(10, 'arm64/generic');
    const owner = on(0, users[0]!);
    for (const node of nodes) await owner.protected.nodes.acquire.mutate({ systemId: node.systemId });
    const outcomes = await Promise.all(
      nodes.map((node) =>
        Promise.allSettled([0, 1].map((i) => on(i, users[0]!).protected.nodes.deploy.mutate({ systemId: node.systemId }))),
      ),
    );
    for (const [i, pair] of outcomes.entries()) {
      expect(pair.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(conflicts(pair)).toEqual([409]);
      expect(await eventsOf(nodes[i]!.systemId, 'deploy')).toBe(1);
    }
  });

  it('accepts a node once when both replicas accept it at the same moment', async () => {
    const declared = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client(replicas[i % 2]!.url).enlist.mutate({ architecture: 'arm64/generic', macAddresses: [nextMac()] }),
      ),
    );
    const outcomes = await Promise.all(
      declared.map((node) => Promise.allSettled([0, 1].map((i) => on(i).protected.nodes.accept.mutate({ systemIds: [node.systemId] })))),
    );
    for (const [i, pair] of outcomes.entries()) {
      const systemId = declared[i]!.systemId;
      // The loser either saw the node still declared and lost the conditional update (409), or read
      // it after the winner committed and found nothing left to accept.
      const accepted = pair.flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value.accepted : []));
      expect(accepted).toEqual([systemId]);
      expect(conflicts(pair).every((status) => status === 409)).toBe(true);
      expect(await eventsOf(systemId, 'accept')).toBe(1);
    }
  });

  it('releases a node once when both replicas release it at the same moment', async () => {
    const nodes = await readyNodes(10, 'arm64/generic');
    const owner = on(1, users[1]!);
    for (const node of nodes) await owner.protected.nodes.acquire.mutate({ systemId: node.systemId });
    const outcomes = await Promise.all(
      nodes.map((node) =>
        Promise.allSettled([0, 1].map((i) => on(i, users[1]!).protected.nodes.release.mutate({ systemId: node.systemId }))),
      ),
    );
    for (const [i, pair] of outcomes.entries()) {
      const systemId = nodes[i]!.systemId;
      // As for accept: the loser gets 409, or finds the node already ready and leaves it so.
      expect(pair.some((outcome) => outcome.status === 'fulfilled')).toBe(true);
      expect(conflicts(pair).every((status) => status === 409)).toBe(true);
      expect(await eventsOf(systemId, 'release')).toBe(1);
      expect((await on(i).protected.nodes.get.query({ systemId })).status).toBe('ready');
    }
  });

  it('shows a subscriber on one replica the events caused through the other, once each', async () => {
    const seen: { systemId: string; type: string }[] = [];
    const subscriber = createMetalyardClient({ url: replicas[0].url, token: ADMIN_TOKEN, EventSource });
    const subscription = subscriber.protected.events.onChange.subscribe(undefined, { onData: ({ data }) => seen.push(data) });
    const arrival = async (systemId: string) => {
      for (let waited = 0; waited < 10_000; waited += 50) {
        if (seen.some((event) => event.systemId === systemId)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no event for node ${systemId} reached the subscriber on replica A within 10 s`);
    };
    try {
      // An event on A itself first, so the subscription is surely live before B acts.
      const local = await on(0).protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
      await arrival(local.systemId);
      const remote = await on(1).protected.enlist.mutate({ architecture: 'amd64/generic', macAddresses: [nextMac()] });
      await arrival(remote.systemId);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(seen.filter((event) => event.systemId === remote.systemId).map((event) => event.type)).toEqual(['enlist']);
      expect(seen.filter((event) => event.systemId === local.systemId).map((event) => event.type)).toEqual(['enlist']);
    } finally {
      subscription.unsubscribe();
    }
  });
});
