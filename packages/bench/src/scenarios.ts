import { HttpClient, runConcurrently, trpcData } from './http-client.js';
import { benchMac } from './seed.js';
import { since, summarize, type LatencySummary } from './stats.js';
import { cpuSeconds } from './wrk.js';
import { RawHttpConnection } from './raw-http.js';

export interface EnlistResult {
  perSecond: number;
  latency: LatencySummary;
  /** The system ids of every enlistment the server answered 200 to (warm-up included). */
  acknowledged: string[];
  refused: number;
}

/**
 * `total` anonymous enlistments with unique MACs from `concurrency` keep-alive clients, after a
 * short untimed warm-up, as raw `POST /trpc/enlist`.
 */
export async function enlistLoad(url: string, total: number, concurrency: number): Promise<EnlistResult> {
  const client = new HttpClient(url, concurrency);
  const acknowledged: string[] = [];
  let refused = 0;
  let macIndex = 0;
  const run = async (count: number, latencies: number[]) => {
    let issued = 0;
    await runConcurrently(concurrency, async () => {
      while (issued < count) {
        issued += 1;
        const body = {
          architecture: 'amd64/generic',
          macAddresses: [benchMac(0x02, macIndex++)],
          powerType: 'ipmi',
          powerParameters: { address: '10.0.0.10', username: 'admin', password: 'bench-secret' },
        };
        const start = performance.now();
        const reply = await client.post('/trpc/enlist', body);
        latencies.push(since(start));
        if (reply.status === 200) acknowledged.push(trpcData<{ systemId: string }>(reply, 'enlist').systemId);
        else refused += 1;
      }
    });
  };
  try {
    await run(Math.min(500, total), []);
    const latencies: number[] = [];
    const start = performance.now();
    await run(total, latencies);
    const seconds = since(start) / 1000;
    return { perSecond: total / seconds, latency: summarize(latencies), acknowledged, refused };
  } finally {
    client.close();
  }
}

export interface AcquireResult {
  acquire: LatencySummary;
  acquired: number;
  /** Times the server handed a node to a client while another still held it. */
  doubleAllocations: number;
  /** Answers other than 200 or the expected 409 "nothing ready". */
  unexpected: string[];
  /** CPU of the server and of the bench's own client while the clients ran, in % of one core. */
  serverCpu: number;
  clientCpu: number;
}

/** Unmeasured acquire/release rounds per client before the measured ones. */
const ACQUIRE_WARM_UP_ROUNDS = 20;

/**
 * `clients` concurrent clients each acquiring and releasing `rounds` times over `nodes` ready
 * nodes. A node counts as held from the acquire's answer until just before its release is sent,
 * which lies inside the server's own hold, so a node seen held twice is a real double allocation.
 */
export async function acquireContention(
  url: string,
  serverPid: number,
  token: string,
  nodes: number,
  clients: number,
  rounds: number,
): Promise<AcquireResult> {
  const client = new HttpClient(url, 1, token);
  const connections: RawHttpConnection[] = [];
  try {
    for (let index = 0; index < nodes; index++) {
      trpcData(
        await client.post('/trpc/protected.enlist', { architecture: 'arm64/generic', macAddresses: [benchMac(0x0a, index)] }),
        'protected.enlist',
      );
    }
    // Every client's connection is open before the clock starts, on both servers: what is measured is
    // contention for nodes, not connection set-up. (A server saturated by the clients already
    // connected accepts a new connection about once per turn of its event loop: with cold
    // connections the last of 64 clients waited 2.6 s for its first answer from Metalyard.)
    // Each client on a connection of its own, through a lean client (raw-http.ts).
    const { hostname, port } = new URL(url);
    for (let index = 0; index < clients; index++) connections.push(new RawHttpConnection(hostname, Number(port), token));
    await Promise.all(connections.map((connection) => connection.open()));
    const holders = new Map<string, number>();
    const latencies: number[] = [];
    const unexpected: string[] = [];
    let acquired = 0;
    let doubleAllocations = 0;
    // A few unmeasured rounds first, on both servers: the figures are of warm code, the bench's own
    // client included (cold, it made the side measured first look slower). Every answer is checked.
    const warmUp = Math.min(ACQUIRE_WARM_UP_ROUNDS, rounds);
    const started = { wall: performance.now(), client: process.cpuUsage(), server: cpuSeconds(serverPid) };
    await runConcurrently(clients, async (me) => {
      for (let round = 0; round < warmUp + rounds; round++) {
        const start = performance.now();
        const reply = await connections[me]!.post('/trpc/protected.nodes.acquire', '{}');
        if (round >= warmUp) latencies.push(since(start));
        if (reply.status === 409) continue;
        if (reply.status !== 200) {
          unexpected.push(`acquire ${reply.status}: ${reply.body.slice(0, 200)}`);
          continue;
        }
        const { systemId } = trpcData<{ systemId: string }>(reply, 'acquire');
        if (round >= warmUp) acquired += 1;
        if (holders.has(systemId)) doubleAllocations += 1;
        holders.set(systemId, me);
        await new Promise((resolve) => setTimeout(resolve, 1)); // hold it a moment, as a user would
        if (holders.get(systemId) === me) holders.delete(systemId);
        const released = await connections[me]!.post('/trpc/protected.nodes.release', JSON.stringify({ systemId }));
        if (released.status !== 200) unexpected.push(`release ${released.status}: ${released.body.slice(0, 200)}`);
      }
    });
    const seconds = (performance.now() - started.wall) / 1000;
    const used = process.cpuUsage(started.client);
    return {
      acquire: summarize(latencies),
      acquired,
      doubleAllocations,
      unexpected,
      serverCpu: (100 * (cpuSeconds(serverPid) - started.server)) / seconds,
      clientCpu: (100 * (used.user + used.system)) / 1e6 / seconds,
    };
  } finally {
    client.close();
    connections.forEach((connection) => connection.close());
  }
}

export interface ListResult {
  firstPage: LatencySummary;
  deepPage: LatencySummary;
}

/** Latency of `protected.nodes.list` (100 per page) for the first page and for one near the end of `nodes`. */
export async function listLatency(url: string, token: string, nodes: number, samples: number): Promise<ListResult> {
  const client = new HttpClient(url, 1, token);
  const list = async (input: { limit: number; cursor?: string }) =>
    trpcData<{ nextCursor: string | null }>(await client.query('/trpc/protected.nodes.list', input), 'protected.nodes.list');
  try {
    // Walk to the end once, in a few pages at least, to find a cursor near it.
    const stride = Math.min(1000, Math.max(1, Math.floor(nodes / 4)));
    let deepCursor: string | undefined;
    for (let cursor = (await list({ limit: stride })).nextCursor; cursor; cursor = (await list({ limit: stride, cursor })).nextCursor) {
      deepCursor = cursor;
    }
    if (!deepCursor) throw new Error('the list has a single page; seed more nodes');
    const measure = async (input: { limit: number; cursor?: string }) => {
      for (let warmUp = 0; warmUp < 20; warmUp++) await list(input);
      const latencies: number[] = [];
      for (let sample = 0; sample < samples; sample++) {
        const start = performance.now();
        await list(input);
        latencies.push(since(start));
      }
      return summarize(latencies);
    };
    return { firstPage: await measure({ limit: 100 }), deepPage: await measure({ limit: 100, cursor: deepCursor }) };
  } finally {
    client.close();
  }
}
