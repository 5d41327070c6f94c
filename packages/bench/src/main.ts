/**
 * pnpm bench: starts the built Metalyard server and the bare node:http + better-sqlite3 baseline,
 * each on fresh SQLite files in a temp folder, drives both with the same load and prints a
 * markdown table. Targets show as pass/FAIL; the command never fails on them.
 *
 * Settings: BENCH_ENLISTMENTS (20000), BENCH_ACQUIRE_ROUNDS (100), BENCH_LIST_SAMPLES (300),
 * BENCH_LARGE_NODES (100000), --pg (Metalyard on PostgreSQL at BENCH_PG_URL, default the local test server: wrk and
 * acquire only), BENCH_SERVER (another build's server main.js, e.g. a "before") and BENCH_SERVER_NODE (its node), BENCH_PHASES (wrk,enlist,acquire,scale,cores: a subset runs only those; cores is the baseline alone, in one process and in two), BENCH_WRK_SECONDS (10: each wrk run; needs Debian's wrk, skipped without it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, trpcData } from './http-client.js';
import { acquireContention, enlistLoad, listLatency, type AcquireResult, type EnlistResult, type ListResult } from './scenarios.js';
import { seedNodes, storedSystemIds } from './seed.js';
import { ADMIN_TOKEN, BASELINE_CLUSTER_MAIN, BASELINE_MAIN, METALYARD_MAIN, startServer } from './server-process.js';
import type { LatencySummary } from './stats.js';
import { freshPostgresDatabase, PG_ADMIN_URL } from './postgres.js';
import { wrkAvailable, wrkEnlist, wrkGet, type WrkResult } from './wrk.js';
import { markdownTable, ms, p50p99, times, type Row } from './table.js';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not '${raw}'`);
  return value;
}

const ENLISTMENTS = setting('BENCH_ENLISTMENTS', 20_000);
const ACQUIRE_ROUNDS = setting('BENCH_ACQUIRE_ROUNDS', 100);
const LIST_SAMPLES = setting('BENCH_LIST_SAMPLES', 300);
const LARGE = setting('BENCH_LARGE_NODES', 100_000);
const WRK_SECONDS = setting('BENCH_WRK_SECONDS', 10);
const WRK = wrkAvailable();
/** --pg: Metalyard on PostgreSQL (a fresh database each phase), the baseline on SQLite; wrk and acquire only. */
const ON_PG = process.argv.includes('--pg');
const PHASES = new Set((process.env.BENCH_PHASES ?? 'wrk,enlist,acquire,scale,cores').split(',').map((phase) => phase.trim()));
const SMALL = 1_000;
const ENLIST_CLIENTS = 16;
const ACQUIRE_CLIENTS = 64;
const READY_NODES = 32;

const scratch = mkdtempSync(join(tmpdir(), 'metalyard-bench-'));
const servers = { metalyard: METALYARD_MAIN, baseline: BASELINE_MAIN } as const;
type Side = keyof typeof servers;
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);

interface EnlistOutcome extends EnlistResult {
  /** Acknowledged enlistments found in the file after kill -9. */
  durable: number;
}

async function enlistPhase(side: Side): Promise<EnlistOutcome> {
  const file = join(scratch, `${side}-enlist.sqlite`);
  const server = await startServer(servers[side], file);
  log(`${side}: ${ENLISTMENTS} enlistments from ${ENLIST_CLIENTS} clients`);
  const result = await enlistLoad(server.url, ENLISTMENTS, ENLIST_CLIENTS);
  await server.kill();
  const stored = storedSystemIds(file);
  return { ...result, durable: result.acknowledged.filter((systemId) => stored.has(systemId)).length };
}

/** A phase's database: a SQLite file in the scratch folder, or with --pg a fresh PostgreSQL database for Metalyard. */
async function databaseFor(side: Side, phase: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (ON_PG && side === 'metalyard') return freshPostgresDatabase();
  return { url: join(scratch, `${side}-${phase}.sqlite`), drop: async () => undefined };
}

/** p50 / p99, with the CPU of the server and of the bench's client (a saturated client shows). */
const acquireFigure = (result: AcquireResult) =>
  `${p50p99(result.acquire)} (server ${Math.round(result.serverCpu)} % CPU, client ${Math.round(result.clientCpu)} %)`;

/** The acquire rows. */
function acquireRows(acquire: Record<Side, AcquireResult>): Row[] {
  const m = acquire.metalyard;
  const b = acquire.baseline;
  return [
    {
      figure: `acquire p50 / p99, ${ACQUIRE_CLIENTS} clients over ${READY_NODES} ready nodes (${m.acquired} / ${b.acquired} acquired)`,
      metalyard: acquireFigure(m),
      baseline: acquireFigure(b),
      ratio: times(m.acquire.p99 / b.acquire.p99),
      target: 'p99 ≤ 2×',
      pass: m.acquire.p99 <= 2 * b.acquire.p99,
    },
    {
      figure: 'double allocations; unexpected answers (no 5xx)',
      metalyard: `${m.doubleAllocations}; ${m.unexpected.length}`,
      baseline: `${b.doubleAllocations}; ${b.unexpected.length}`,
      target: '0; 0',
      pass: m.doubleAllocations === 0 && m.unexpected.length === 0,
    },
  ];
}

interface WrkOutcome {
  c16: WrkResult;
  c1: WrkResult;
}

/** protected.enlist under wrk: 16 connections, then one, on a fresh file (after a short warm-up). */
async function wrkPhase(side: Side): Promise<WrkOutcome | null> {
  if (!WRK) return null;
  const database = await databaseFor(side, 'wrk');
  const server = await startServer(servers[side], database.url);
  const run = (connections: number, seconds: number, seed: number) =>
    wrkEnlist({ url: server.url, serverPid: server.pid, token: ADMIN_TOKEN, connections, seconds, seed, scratch });
  try {
    log(`${side}: wrk, protected.enlist, ${WRK_SECONDS} s at 16 connections, then at 1`);
    await run(16, 2, 1);
    const c16 = await run(16, WRK_SECONDS, 2);
    const c1 = await run(1, Math.max(3, Math.round(WRK_SECONDS / 2)), 3);
    return { c16, c1 };
  } finally {
    await server.stop();
    await database.drop();
  }
}

function wrkRows(wrk: Record<Side, WrkOutcome | null>): Row[] {
  const m = wrk.metalyard;
  const b = wrk.baseline;
  if (!m || !b) return [{ figure: 'protected.enlist under wrk', metalyard: 'skipped: no wrk (apt-get install wrk)', baseline: '' }];
  const cpu = (r: WrkResult) => `server ${r.serverCpuPercent.toFixed(0)} % CPU, wrk ${r.wrkCpuPercent.toFixed(0)} %`;
  const ratio = m.c16.perSecond / b.c16.perSecond;
  return [
    {
      figure: `protected.enlist under wrk, 16 connections, ${WRK_SECONDS} s (CPU: 100 % = one core)`,
      metalyard: `${Math.round(m.c16.perSecond)}/s, p50 ${m.c16.p50Ms.toFixed(2)} ms, p99 ${m.c16.p99Ms.toFixed(1)} ms (${cpu(m.c16)})`,
      baseline: `${Math.round(b.c16.perSecond)}/s, p50 ${b.c16.p50Ms.toFixed(2)} ms, p99 ${b.c16.p99Ms.toFixed(1)} ms (${cpu(b.c16)})`,
      ratio: times(ratio),
      target: '≥ 0.5×',
      pass: ratio >= 0.5,
    },
    {
      figure: 'protected.enlist under wrk, 1 connection: p50 / p99',
      metalyard: `${m.c1.p50Ms.toFixed(2)} / ${m.c1.p99Ms.toFixed(2)} ms (${Math.round(m.c1.perSecond)}/s)`,
      baseline: `${b.c1.p50Ms.toFixed(2)} / ${b.c1.p99Ms.toFixed(2)} ms (${Math.round(b.c1.perSecond)}/s)`,
      ratio: times(m.c1.p50Ms / b.c1.p50Ms),
      target: 'p50 ≤ 0.5 ms',
      pass: m.c1.p50Ms <= 0.5,
    },
    {
      figure: 'wrk: non-2xx answers; socket errors',
      metalyard: `${m.c16.non2xx + m.c1.non2xx}; ${m.c16.socketErrors + m.c1.socketErrors}`,
      baseline: `${b.c16.non2xx + b.c1.non2xx}; ${b.c16.socketErrors + b.c1.socketErrors}`,
      target: '0; 0',
      pass: m.c16.non2xx + m.c1.non2xx + m.c16.socketErrors + m.c1.socketErrors === 0,
    },
  ];
}

/** One process, or two on one file, under the same write and read loads. */
interface CoresOutcome {
  one: { enlist: WrkResult; list: WrkResult };
  two: { enlist: WrkResult; list: WrkResult };
}

/**
 * What a second core buys on SQLite, measured on the bare baseline (Metalyard holds one writer per
 * file by design): the baseline in one process and in two (node:cluster, one connection each to the
 * same WAL file), each on a fresh file: protected.enlist under wrk at 16 connections, then the first
 * page of protected.nodes.list (100 nodes) at 16 connections.
 */
async function coresPhase(): Promise<CoresOutcome | null> {
  if (!WRK) return null;
  const run = async (main: string, label: string) => {
    const server = await startServer(main, join(scratch, `baseline-cores-${label}.sqlite`));
    const common = { url: server.url, serverPid: server.pid, connections: 16, scratch };
    try {
      log(`baseline in ${label}: wrk, protected.enlist then protected.nodes.list, ${WRK_SECONDS} s each at 16 connections`);
      await wrkEnlist({ ...common, token: ADMIN_TOKEN, seconds: 2, seed: 11 });
      const enlist = await wrkEnlist({ ...common, token: ADMIN_TOKEN, seconds: WRK_SECONDS, seed: 12 });
      const path = `/trpc/protected.nodes.list?input=${encodeURIComponent(JSON.stringify({ limit: 100 }))}`;
      await wrkGet({ ...common, token: ADMIN_TOKEN, seconds: 2, path });
      const list = await wrkGet({ ...common, token: ADMIN_TOKEN, seconds: WRK_SECONDS, path });
      return { enlist, list };
    } finally {
      await server.stop();
    }
  };
  const one = await run(BASELINE_MAIN, 'one process');
  const two = await run(BASELINE_CLUSTER_MAIN, 'two processes');
  return { one, two };
}

function coresRows(cores: CoresOutcome | null): Row[] {
  if (!cores)
    return [{ figure: 'a second core (two processes on one file)', metalyard: 'skipped: no wrk (apt-get install wrk)', baseline: '' }];
  const line = (r: WrkResult) =>
    `${Math.round(r.perSecond)}/s, p99 ${r.p99Ms.toFixed(1)} ms (server ${r.serverCpuPercent.toFixed(0)} % CPU, wrk ${r.wrkCpuPercent.toFixed(0)} %)`;
  const errors = (r: WrkResult) => r.non2xx + r.socketErrors;
  return [
    {
      figure: 'a second core for writes: bare baseline, protected.enlist, 16 connections, two processes on one file vs one',
      metalyard: `two: ${line(cores.two.enlist)}`,
      baseline: `one: ${line(cores.one.enlist)}`,
      ratio: times(cores.two.enlist.perSecond / cores.one.enlist.perSecond),
      target: 'informs: one writer',
    },
    {
      figure: 'a second core for reads: bare baseline, protected.nodes.list first page, 16 connections, two processes vs one',
      metalyard: `two: ${line(cores.two.list)}`,
      baseline: `one: ${line(cores.one.list)}`,
      ratio: times(cores.two.list.perSecond / cores.one.list.perSecond),
      target: 'informs: readers',
    },
    {
      figure: 'two processes: non-2xx answers and socket errors (writes; reads)',
      metalyard: `${errors(cores.two.enlist)}; ${errors(cores.two.list)}`,
      baseline: `${errors(cores.one.enlist)}; ${errors(cores.one.list)}`,
      target: '0; 0',
      pass: errors(cores.two.enlist) + errors(cores.two.list) + errors(cores.one.enlist) + errors(cores.one.list) === 0,
    },
  ];
}

async function acquirePhase(side: Side): Promise<AcquireResult> {
  const database = await databaseFor(side, 'acquire');
  const server = await startServer(servers[side], database.url);
  log(`${side}: ${ACQUIRE_CLIENTS} clients acquiring and releasing ${READY_NODES} nodes, ${ACQUIRE_ROUNDS} rounds each`);
  try {
    return await acquireContention(server.url, server.pid, ADMIN_TOKEN, READY_NODES, ACQUIRE_CLIENTS, ACQUIRE_ROUNDS);
  } finally {
    await server.stop();
    await database.drop();
  }
}

interface ScaleOutcome {
  small: ListResult;
  large: ListResult;
  peakRssMiB: number;
  startupMs: number;
}

async function scalePhase(side: Side): Promise<ScaleOutcome> {
  const file = join(scratch, `${side}-scale.sqlite`);
  const first = await startServer(servers[side], file);
  const client = new HttpClient(first.url, 1, ADMIN_TOKEN);
  // The node every seeded one copies has a BMC, as a datacenter's machines do: its password is
  // stored sealed, and the pages carry what that costs. (Loopback address; the bench's servers
  // never ask a BMC anything: METALYARD_POWER_SYNC_INTERVAL=0, and a ready node is not powered.)
  trpcData(
    await client.post('/trpc/protected.enlist', {
      architecture: 'amd64/generic',
      macAddresses: ['02:00:00:00:00:01'],
      powerType: 'ipmi',
      powerParameters: { address: '127.0.0.1', username: 'bench', password: 'bench-bmc-password' },
    }),
    'protected.enlist',
  );
  client.close();
  await first.stop();

  const listAt = async (count: number) => {
    seedNodes(file, count);
    const server = await startServer(servers[side], file);
    log(`${side}: list at ${count} nodes`);
    const list = await listLatency(server.url, ADMIN_TOKEN, count, LIST_SAMPLES);
    const facts = { list, peakRssMiB: server.peakRssMiB(), startupMs: server.startupMs };
    await server.stop();
    return facts;
  };
  const small = await listAt(SMALL);
  const large = await listAt(LARGE);
  return { small: small.list, large: large.list, peakRssMiB: large.peakRssMiB, startupMs: large.startupMs };
}

/** The Node.js-client enlist rows. */
function enlistRows(enlist: Record<Side, EnlistOutcome>): Row[] {
  const m = enlist.metalyard;
  const b = enlist.baseline;
  const throughputRatio = m.perSecond / b.perSecond;
  const durable = (outcome: EnlistOutcome) => `${outcome.durable} / ${outcome.acknowledged.length}`;
  return [
    {
      figure: `enlist throughput, ${ENLIST_CLIENTS} keep-alive clients, ${ENLISTMENTS.toLocaleString('en')} enlistments`,
      metalyard: `${Math.round(m.perSecond)}/s`,
      baseline: `${Math.round(b.perSecond)}/s`,
      ratio: times(throughputRatio),
      target: '≥ 0.30×',
      pass: throughputRatio >= 0.3,
    },
    {
      figure: 'enlist latency p50 / p99',
      metalyard: p50p99(m.latency),
      baseline: p50p99(b.latency),
      ratio: times(m.latency.p99 / b.latency.p99),
    },
    {
      figure: 'enlistments refused (should be none)',
      metalyard: String(m.refused),
      baseline: String(b.refused),
      target: '0',
      pass: m.refused === 0,
    },
    {
      figure: 'acknowledged enlistments (warm-up included) in the file after kill -9',
      metalyard: durable(m),
      baseline: durable(b),
      target: 'all',
      pass: m.durable === m.acknowledged.length,
    },
  ];
}

/** The list, memory and start-up rows at 1,000 and 100,000 nodes. */
function scaleRows(scale: Record<Side, ScaleOutcome>): Row[] {
  const m = scale.metalyard;
  const b = scale.baseline;
  const listRow = (label: string, pick: (list: ListResult) => LatencySummary): Row[] => {
    const small = pick(m.small);
    const large = pick(m.large);
    return [
      {
        figure: `list ${label}, p50 / p99 at ${SMALL.toLocaleString('en')} nodes`,
        metalyard: p50p99(small),
        baseline: p50p99(pick(b.small)),
        ratio: times(small.p99 / pick(b.small).p99),
      },
      {
        figure: `list ${label}, p50 / p99 at ${LARGE.toLocaleString('en')} nodes`,
        metalyard: p50p99(large),
        baseline: p50p99(pick(b.large)),
        ratio: times(large.p99 / pick(b.large).p99),
        target: `p99 ≤ 2× the ${SMALL.toLocaleString('en')}-node p99 (now ${times(large.p99 / small.p99)})`,
        pass: large.p99 <= 2 * small.p99,
      },
    ];
  };
  return [
    ...listRow('first page', (list) => list.firstPage),
    ...listRow('deep page', (list) => list.deepPage),
    {
      figure: `peak RSS (VmHWM) at ${LARGE.toLocaleString('en')} nodes`,
      metalyard: `${m.peakRssMiB.toFixed(0)} MiB`,
      baseline: `${b.peakRssMiB.toFixed(0)} MiB`,
      ratio: times(m.peakRssMiB / b.peakRssMiB),
      target: '≤ 200 MB',
      pass: m.peakRssMiB * 1024 * 1024 <= 200e6,
    },
    {
      figure: `process start to /healthz at ${LARGE.toLocaleString('en')} nodes`,
      metalyard: ms(m.startupMs),
      baseline: ms(b.startupMs),
      ratio: times(m.startupMs / b.startupMs),
      target: '≤ 2 s',
      pass: m.startupMs <= 2000,
    },
  ];
}

async function both<T>(phase: (side: Side) => Promise<T>): Promise<Record<Side, T>> {
  // One after the other: the two servers never compete for the cores.
  const baseline = await phase('baseline');
  const metalyard = await phase('metalyard');
  return { metalyard, baseline };
}

async function main(): Promise<void> {
  const started = performance.now();
  try {
    if (ON_PG) log(`--pg: Metalyard on PostgreSQL (${new URL(PG_ADMIN_URL).host}), the baseline on SQLite`);
    const wrk = PHASES.has('wrk') ? await both(wrkPhase) : null;
    const enlist = PHASES.has('enlist') && !ON_PG ? await both(enlistPhase) : null;
    const acquire = PHASES.has('acquire') ? await both(acquirePhase) : null;
    const scale = PHASES.has('scale') && !ON_PG ? await both(scalePhase) : null;
    const cores = PHASES.has('cores') && !ON_PG ? await coresPhase() : undefined;
    const problems = acquire ? [...acquire.metalyard.unexpected, ...acquire.baseline.unexpected].slice(0, 5) : [];
    const table = [
      ...(wrk ? wrkRows(wrk) : []),
      ...(enlist ? enlistRows(enlist) : []),
      ...(acquire ? acquireRows(acquire) : []),
      ...(scale ? scaleRows(scale) : []),
      ...(cores !== undefined ? coresRows(cores) : []),
    ];
    if (ON_PG) process.stdout.write('Metalyard on PostgreSQL against the SQLite baseline:\n\n');
    process.stdout.write(`${markdownTable(table)}\n`);
    if (problems.length) process.stdout.write(`\nFirst unexpected answers:\n${problems.map((line) => `- ${line}`).join('\n')}\n`);
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
