/**
 * Property-based test of the node lifecycle: random sequences of operations by random actors run
 * against the real router and database and, side by side, against a simple model built from the
 * domain's transition table and the permission rules. After every step the real node must be
 * where the model says, every refusal must be the one the model predicts, and at the end each
 * node's events must replay, transition by transition of the table, to its current status.
 */
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TRANSITIONS, USER_ACTIONS, type NodeAction, type NodeStatus } from '@metalyard/domain';
import { ACCESS, type ProcedurePath } from '../../src/index.js';
import {
  callerWith as callerOf,
  issueToken,
  mac,
  openYard as openTestYard,
  rows,
  type Caller,
  type TestClock,
  type Yard as TestYard,
} from '../harness.js';
type Who = 'anonymous' | 'alice' | 'bob' | 'root';
/** The actions a person takes (the others are the machine's reports and the server's sweeps). */
type PersonAction = { [A in NodeAction]: (typeof TRANSITIONS)[A]['actor'] extends 'machine' | 'system' ? never : A }[NodeAction];
type Outcome = 'ok' | TRPCError['code'];

const WHO: Who[] = ['anonymous', 'alice', 'bob', 'root'];
const MAX_NODES = 4;
const TIMEOUT_MS = 10 * 60_000;
const START = Date.parse('2026-03-01T08:00:00.000Z');
const HARDWARE = { cpuCount: 8, memoryMb: 16_384 };
const FORGED_TOKEN = `mlm_${'A'.repeat(43)}`;

/** Statuses in which a node keeps the owner it had (the model's rule for who owns what). */
const KEEPS_OWNER: NodeStatus[] = ['allocated', 'deploying', 'deployed', 'failed_deployment', 'broken'];
/** Statuses in which the machine holds a live per-node token. */
const REPORTING: NodeStatus[] = ['commissioning', 'deploying'];

// The operations ---------------------------------------------------------------------------------

type Op =
  | { kind: 'enlist'; who: Who }
  | { kind: 'act'; action: PersonAction; who: Who | 'owner'; node: number; fitting: boolean }
  /** The machine reports: `matching` sends the report its status expects (deployment while deploying, else commissioning). */
  | { kind: 'report'; matching: boolean; passed: boolean; token: 'node' | 'forged' | 'user'; node: number; fitting: boolean }
  | { kind: 'sweep'; advanceMs: number };

const whoArb = fc.constantFrom(...WHO);
const nodeArb = fc.nat({ max: MAX_NODES - 1 });
/** Mostly pick a node the operation fits, so runs go deep into the lifecycle instead of bouncing off refusals. */
const fittingArb = fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('enlist' as const), who: whoArb }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('act' as const),
      action: fc.constantFrom(...(USER_ACTIONS as PersonAction[])),
      who: fc.oneof(
        { weight: 3, arbitrary: fc.constant('owner' as const) },
        { weight: 2, arbitrary: fc.constant('root' as const) },
        { weight: 3, arbitrary: whoArb },
      ),
      node: nodeArb,
      fitting: fittingArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      matching: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      passed: fc.boolean(),
      token: fc.constantFrom('node' as const, 'node' as const, 'node' as const, 'forged' as const, 'user' as const),
      node: nodeArb,
      fitting: fittingArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('sweep' as const), advanceMs: fc.constantFrom(0, 60_000, 60_000, 2 * 60_000, TIMEOUT_MS) }),
  },
);
const settingsArb = fc.record({ commissioning: fc.boolean(), eraseDelayMs: fc.constantFrom(0, 2 * 60_000) });

// The model ------------------------------------------------------------------------------------------

interface ModelNode {
  systemId: string;
  status: NodeStatus | 'deleted';
  owner: string | null;
  /** The per-node token last issued to the machine (live only while it is commissioning or deploying). */
  token: string | null;
  deadline: number | null;
}

interface Model {
  nodes: ModelNode[];
  now: number;
  commissioning: boolean;
  eraseDelayMs: number;
}

/** What the model expects of a step: an outcome, and where the node goes when it succeeds. */
interface Prediction {
  outcome: Outcome;
  to?: NodeStatus | 'deleted';
  owner?: string;
}

const refuse = (outcome: Outcome): Prediction => ({ outcome });
const unchanged: Prediction = { outcome: 'ok' };

function edge(action: NodeAction, from: NodeStatus): NodeStatus | null | undefined {
  return (TRANSITIONS[action].edges as Partial<Record<NodeStatus, NodeStatus | null>>)[from];
}

function predictAction(model: Model, node: ModelNode, action: PersonAction, who: Who): Prediction {
  if (who === 'anonymous') return refuse('UNAUTHORIZED');
  if (ACCESS[`protected.nodes.${action}` as ProcedurePath] === 'admin' && who !== 'root') return refuse('FORBIDDEN');
  if (node.status === 'deleted') return refuse('NOT_FOUND');
  const from = node.status;
  if ((action === 'accept' && from === 'ready') || (action === 'release' && (from === 'ready' || from === 'releasing'))) return unchanged;
  const to = edge(action, from);
  if (to === undefined) return refuse('CONFLICT');
  const actor = TRANSITIONS[action].actor;
  const permitted = who === 'root' || actor === 'user' || (actor === 'owner' && node.owner === who);
  if (!permitted) return refuse('FORBIDDEN');
  if (to === null) return { outcome: 'ok', to: 'deleted' };
  if (action === 'accept' && model.commissioning) return { outcome: 'ok', to: 'commissioning' };
  if (action === 'release' && model.eraseDelayMs === 0) return { outcome: 'ok', to: 'ready' };
  return action === 'acquire' ? { outcome: 'ok', to, owner: who } : { outcome: 'ok', to };
}

function predictReport(
  node: ModelNode,
  of: 'commissioning' | 'deployment',
  passed: boolean,
  token: 'node' | 'forged' | 'user',
): Prediction {
  if (node.status === 'deleted') return refuse('UNAUTHORIZED');
  const live = token === 'node' && node.token !== null && REPORTING.includes(node.status);
  if (!live) return refuse('UNAUTHORIZED');
  const action: NodeAction =
    of === 'commissioning' ? (passed ? 'passCommissioning' : 'failCommissioning') : passed ? 'passDeployment' : 'failDeployment';
  const to = edge(action, node.status);
  return to ? { outcome: 'ok', to } : refuse('CONFLICT');
}

function enter(model: Model, node: ModelNode, to: NodeStatus | 'deleted', owner?: string, token?: string): void {
  if (to === 'deleted') {
    node.status = to;
    return;
  }
  if (REPORTING.includes(to)) {
    expect(token, `a token for ${node.systemId} entering ${to}`).toMatch(/^mlm_/);
    node.token = token!;
  }
  node.owner = owner ?? (KEEPS_OWNER.includes(to) ? node.owner : null);
  node.deadline = to === 'commissioning' ? model.now + TIMEOUT_MS : to === 'releasing' ? model.now + model.eraseDelayMs : null;
  node.status = to;
}

/** The node an operation acts on: the index-th among those it fits (when asked and there are any), else among all. */
function pick(model: Model, index: number, fits: false | ((status: NodeStatus) => boolean)): ModelNode | undefined {
  const fitting = fits ? model.nodes.filter((node) => node.status !== 'deleted' && fits(node.status)) : [];
  const candidates = fitting.length ? fitting : model.nodes;
  return candidates[index % Math.max(candidates.length, 1)];
}

// Running the real thing -----------------------------------------------------------------------------

async function outcomeOf<T>(promise: Promise<T>): Promise<{ outcome: Outcome; value?: T }> {
  try {
    return { outcome: 'ok', value: await promise };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { outcome: error.code };
  }
}

/** Each person action as its procedure, returning the per-node token when the call issued one. */
const PERFORM: Record<PersonAction, (caller: Caller, systemId: string) => Promise<string | undefined>> = {
  accept: async (caller, systemId) => (await caller.protected.nodes.accept({ systemIds: [systemId] })).machineTokens?.[systemId],
  acquire: async (caller, systemId) => void (await caller.protected.nodes.acquire({ systemId })),
  commission: async (caller, systemId) => (await caller.protected.nodes.commission({ systemId })).machineToken,
  abort: async (caller, systemId) => (await caller.protected.nodes.abort({ systemId })).machineToken,
  deploy: async (caller, systemId) => (await caller.protected.nodes.deploy({ systemId })).machineToken,
  release: async (caller, systemId) => void (await caller.protected.nodes.release({ systemId })),
  markBroken: async (caller, systemId) => (await caller.protected.nodes.markBroken({ systemId, comment: 'property test' })).machineToken,
  markFixed: async (caller, systemId) => (await caller.protected.nodes.markFixed({ systemId })).machineToken,
  retire: async (caller, systemId) => (await caller.protected.nodes.retire({ systemId })).machineToken,
  delete: async (caller, systemId) => void (await caller.protected.nodes.delete({ systemId })),
};

/** Checks a node's status-changing events: each a transition of the table, chained, ending at its status. */
function expectReplay(
  events: { type: string; fromStatus: NodeStatus | null; toStatus: NodeStatus | null }[],
  node: ModelNode,
  model: Model,
) {
  let status: NodeStatus | null = null;
  for (const event of events.filter((e) => e.fromStatus !== null || e.toStatus !== null)) {
    expect(event.fromStatus, `${node.systemId}: ${event.type} starts where the last event ended`).toBe(status);
    if (event.type === 'enlist') {
      expect(['declared', 'ready', 'commissioning']).toContain(event.toStatus);
    } else {
      expect(Object.keys(TRANSITIONS), `${event.type} is an action of the table`).toContain(event.type);
      const to = edge(event.type as NodeAction, event.fromStatus!);
      const commissions = event.type === 'accept' && model.commissioning;
      expect(event.toStatus, `${event.type} from ${event.fromStatus}`).toBe(commissions ? 'commissioning' : to);
    }
    status = event.toStatus;
  }
  expect(status ?? 'deleted').toBe(node.status);
}

interface Settings {
  commissioning: boolean;
  eraseDelayMs: number;
}

/** A database per setting, opened once (opening costs far more than a run) and emptied of nodes before each run. */
interface Yard {
  yard: TestYard;
  clock: TestClock;
  tokens: Record<Who, string | null>;
  callerWith: (authorization: string | null) => Caller;
  callers: Record<Who, Caller>;
}
const yards = new Map<string, Promise<Yard>>();

async function openYard(settings: Settings): Promise<Yard> {
  const yard = await openTestYard({
    settings: {
      lifecycle: {
        policy: { commissioning: settings.commissioning },
        commissioningTimeoutMs: TIMEOUT_MS,
        eraseDelayMs: settings.eraseDelayMs,
      },
    },
    at: new Date(START),
  });
  const callerWith = (authorization: string | null) => callerOf(yard, authorization);
  const tokens: Record<Who, string | null> = { anonymous: null, alice: null, bob: null, root: null };
  for (const who of ['alice', 'bob', 'root'] as const) {
    const user = await yard.app.users.create(who, who === 'root' ? 'admin' : 'user');
    tokens[who] = (await issueToken(yard, user, 'test')).token;
  }
  const callers = Object.fromEntries(WHO.map((who) => [who, callerWith(tokens[who] ? `Bearer ${tokens[who]}` : null)])) as Record<
    Who,
    Caller
  >;
  return { yard, clock: yard.clock, tokens, callerWith, callers };
}

async function freshYard(settings: Settings): Promise<Yard> {
  const key = JSON.stringify(settings);
  if (!yards.has(key)) yards.set(key, openYard(settings));
  const yard = await yards.get(key)!;
  // MAC addresses and tags go with their nodes (foreign keys cascade).
  await rows(yard.yard, 'delete from node');
  await rows(yard.yard, 'delete from node_event');
  yard.clock.set(new Date(START));
  return yard;
}

afterAll(async () => {
  for (const yard of yards.values()) await (await yard).yard.close();
});

/** Every node's status and owner straight from the database (cheaper than the API after every step). */
function realNodes(yard: TestYard): Promise<{ systemId: string; status: string; owner: string | null }[]> {
  return rows(
    yard,
    'select n.system_id as systemId, n.status as status, u.username as owner from node n left join app_user u on u.id = n.owner_id order by n.id',
  );
}

async function run(settings: Settings, ops: Op[]): Promise<void> {
  const model: Model = { nodes: [], now: START, ...settings };
  const { yard, clock, tokens, callerWith, callers } = await freshYard(settings);
  for (const [step, op] of ops.entries()) {
    const context = `step ${step}: ${JSON.stringify(op)}`;
    if (op.kind === 'enlist') {
      if (model.nodes.length >= MAX_NODES) continue;
      const input = { architecture: 'amd64/generic' as const, macAddresses: [mac(model.nodes.length + 1)] };
      const created =
        op.who === 'anonymous'
          ? { ...(await callers.anonymous.enlist(input)), machineToken: undefined }
          : await callers[op.who].protected.enlist(input);
      const expected: NodeStatus = op.who === 'anonymous' ? 'declared' : model.commissioning ? 'commissioning' : 'ready';
      expect(created.status, context).toBe(expected);
      const node: ModelNode = { systemId: created.systemId, status: 'declared', owner: null, token: null, deadline: null };
      model.nodes.push(node);
      enter(model, node, expected, undefined, created.machineToken);
    } else if (op.kind === 'act') {
      const node = pick(model, op.node, op.fitting && ((status) => edge(op.action, status) !== undefined));
      if (!node) continue;
      const who = op.who === 'owner' ? ((node.owner as Who | null) ?? 'alice') : op.who;
      const prediction = predictAction(model, node, op.action, who);
      const real = await outcomeOf(PERFORM[op.action](callers[who], node.systemId));
      expect(real.outcome, context).toBe(prediction.outcome);
      if (prediction.to) enter(model, node, prediction.to, prediction.owner, real.value);
    } else if (op.kind === 'report') {
      const node = pick(model, op.node, op.fitting && ((status) => REPORTING.includes(status)));
      if (!node) continue;
      const of = (node.status === 'deploying') === op.matching ? 'deployment' : 'commissioning';
      const prediction = predictReport(node, of, op.passed, op.token);
      const token = op.token === 'user' ? tokens.alice! : op.token === 'forged' ? FORGED_TOKEN : (node.token ?? FORGED_TOKEN);
      const machine = callerWith(`Bearer ${token}`).machine;
      const report =
        of === 'commissioning'
          ? machine.reportCommissioning({
              systemId: node.systemId,
              ...(op.passed ? { result: 'passed', hardware: HARDWARE } : { result: 'failed' }),
            })
          : machine.reportDeployment({ systemId: node.systemId, result: op.passed ? 'passed' : 'failed' });
      const real = await outcomeOf(report);
      expect(real.outcome, context).toBe(prediction.outcome);
      if (prediction.to) enter(model, node, prediction.to);
    } else {
      model.now += op.advanceMs;
      clock.set(new Date(model.now));
      const due = model.nodes.filter(
        (node) => (node.status === 'commissioning' || node.status === 'releasing') && node.deadline! <= model.now,
      );
      expect(await yard.app.sweep(), context).toBe(due.length);
      for (const node of due) enter(model, node, node.status === 'commissioning' ? 'failed_commissioning' : 'ready');
    }

    const live = model.nodes.filter((node) => node.status !== 'deleted');
    expect(await realNodes(yard), `${context}: every node where the model says`).toEqual(
      live.map((node) => ({ systemId: node.systemId, status: node.status, owner: node.owner })),
    );
  }

  for (const node of model.nodes) {
    const { items } = await callers.root.protected.events.list({ systemId: node.systemId, limit: 1000 });
    expectReplay(items, node, model);
  }
}

describe('the node lifecycle, as a state machine', () => {
  it('matches the model for random operations by random actors, and its events replay to the current status', async () => {
    await fc.assert(
      fc.asyncProperty(
        settingsArb,
        fc.array(whoArb, { minLength: 1, maxLength: MAX_NODES }),
        fc.array(opArb, { minLength: 10, maxLength: 30 }),
        (settings, enlisters, ops) => run(settings, [...enlisters.map((who): Op => ({ kind: 'enlist', who })), ...ops]),
      ),
      { numRuns: 25 },
    );
  }, 60_000);

  it('matches the model on a long run that reaches every status', async () => {
    // A fixed walk through every status, so the property's coverage does not depend on luck.
    const act = (action: PersonAction, who: Who): Op => ({ kind: 'act', action, who, node: 0, fitting: false });
    const report = (passed: boolean): Op => ({ kind: 'report', matching: true, passed, token: 'node', node: 0, fitting: false });
    const walk: Op[] = [
      { kind: 'enlist', who: 'anonymous' },
      act('accept', 'root'),
      { kind: 'sweep', advanceMs: TIMEOUT_MS },
      act('commission', 'root'),
      report(true),
      act('acquire', 'alice'),
      act('deploy', 'bob'),
      act('deploy', 'alice'),
      report(false),
      act('release', 'alice'),
      { kind: 'sweep', advanceMs: 2 * 60_000 },
      act('acquire', 'bob'),
      act('deploy', 'bob'),
      report(true),
      act('markBroken', 'bob'),
      act('markFixed', 'root'),
      act('retire', 'root'),
      act('delete', 'alice'),
      act('delete', 'root'),
    ];
    await run({ commissioning: true, eraseDelayMs: 2 * 60_000 }, walk);
  });
});
