import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../src/errors.js';
import { mayTakeAction } from '../src/permissions.js';
import type { User } from '../src/model.js';
import { NODE_STATUSES, type NodeStatus } from '../src/lifecycle/status.js';
import { agentStepOf } from '../src/lifecycle/effects.js';
import {
  NODE_ACTIONS,
  TRANSITIONS,
  USER_ACTIONS,
  allowedActions,
  canTransition,
  nextStatus,
  transitionEdges,
  trustedEnlistStatus,
  type ActionActor,
  type NodeAction,
} from '../src/lifecycle/transitions.js';

/** The lifecycle written out by hand, independently of TRANSITIONS: status → action → target (null: deleted). */
const EXPECTED: Record<NodeStatus, Partial<Record<NodeAction, NodeStatus | null>>> = {
  declared: { accept: 'ready', retire: 'retired', delete: null },
  commissioning: {
    passCommissioning: 'ready',
    failCommissioning: 'failed_commissioning',
    abort: 'failed_commissioning',
    markBroken: 'broken',
    delete: null,
  },
  failed_commissioning: { commission: 'commissioning', markBroken: 'broken', retire: 'retired', delete: null },
  ready: { commission: 'commissioning', acquire: 'allocated', markBroken: 'broken', retire: 'retired', delete: null },
  allocated: { deploy: 'deploying', release: 'releasing', markBroken: 'broken' },
  deploying: { abort: 'allocated', passDeployment: 'deployed', failDeployment: 'failed_deployment', markBroken: 'broken' },
  deployed: { release: 'releasing', markBroken: 'broken' },
  failed_deployment: { release: 'releasing', markBroken: 'broken' },
  releasing: { finishRelease: 'ready', failRelease: 'broken' },
  broken: { commission: 'commissioning', markFixed: 'ready', retire: 'retired', delete: null },
  retired: { delete: null },
};

/** Who takes each action, by hand. */
const EXPECTED_ACTORS: Record<NodeAction, ActionActor> = {
  accept: 'admin',
  commission: 'admin',
  passCommissioning: 'machine',
  failCommissioning: 'machine',
  abort: 'owner',
  acquire: 'user',
  deploy: 'owner',
  passDeployment: 'machine',
  failDeployment: 'machine',
  release: 'owner',
  finishRelease: 'system',
  failRelease: 'machine',
  markBroken: 'owner',
  markFixed: 'admin',
  retire: 'admin',
  delete: 'admin',
};

const NOT_A_PERSONS: NodeAction[] = [
  'passCommissioning',
  'failCommissioning',
  'passDeployment',
  'failDeployment',
  'finishRelease',
  'failRelease',
];

/** The actions possible from a status, in table order. */
const possibleFrom = (status: NodeStatus) => NODE_ACTIONS.filter((action) => action in EXPECTED[status]);
/** What an InvalidTransitionError offers: the actions a person may take from the status. */
const offeredFrom = (status: NodeStatus) => possibleFrom(status).filter((action) => !NOT_A_PERSONS.includes(action));

describe('the transition table', () => {
  it('has exactly the hand-written actions, in lifecycle order', () => {
    expect(NODE_ACTIONS).toEqual(Object.keys(EXPECTED_ACTORS));
  });

  it('matches the hand-written lifecycle, edge for edge', () => {
    for (const action of NODE_ACTIONS) {
      const edges = Object.fromEntries(
        NODE_STATUSES.filter((status) => action in EXPECTED[status]).map((status) => [status, EXPECTED[status][action]]),
      );
      expect(TRANSITIONS[action].edges, action).toEqual(edges);
    }
    const edgeCount = NODE_STATUSES.reduce((sum, status) => sum + Object.keys(EXPECTED[status]).length, 0);
    expect(transitionEdges()).toHaveLength(edgeCount);
    for (const [action, from, to] of transitionEdges()) expect(EXPECTED[from][action], `${action} from ${from}`).toBe(to);
  });

  it('names who takes each action', () => {
    for (const action of NODE_ACTIONS) expect(TRANSITIONS[action].actor, action).toBe(EXPECTED_ACTORS[action]);
    expect(USER_ACTIONS).toEqual(NODE_ACTIONS.filter((action) => !NOT_A_PERSONS.includes(action)));
  });

  it('leaves nothing a dead end but a deleted node', () => {
    for (const status of NODE_STATUSES) expect(allowedActions(status).length, status).toBeGreaterThan(0);
  });
});

describe.each(NODE_STATUSES.flatMap((status) => NODE_ACTIONS.map((action) => [status, action] as const)))(
  'from %s, %s',
  (status, action) => {
    const target = EXPECTED[status][action];
    const offered = offeredFrom(status);

    if (target !== undefined) {
      it(`leads to ${target ?? '(deleted)'}`, () => {
        expect(canTransition(status, action)).toBe(true);
        expect(nextStatus(status, action)).toBe(target);
        expect(nextStatus(status, action, 'abc234')).toBe(target);
      });
    } else {
      it('throws an InvalidTransitionError naming the state and what a person may do from it', () => {
        expect(canTransition(status, action)).toBe(false);
        let error: unknown;
        try {
          nextStatus(status, action, 'abc234');
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(InvalidTransitionError);
        const transition = error as InvalidTransitionError;
        expect(transition.kind).toBe('conflict');
        expect(transition.status).toBe(status);
        expect(transition.action).toBe(action);
        expect(transition.allowed).toEqual(offered);
        const options = offered.length ? `allowed from '${status}': ${offered.join(', ')}` : `nothing is allowed from '${status}'`;
        expect(transition.message).toBe(`cannot ${action} node abc234: it is ${status} (${options})`);
        expect(transition.details).toEqual({ action, status, allowed: offered, systemId: 'abc234' });
      });

      it('says "the node" when no system id is given', () => {
        expect(() => nextStatus(status, action)).toThrow(`cannot ${action} the node: it is ${status}`);
      });
    }
  },
);

describe('allowedActions', () => {
  it.each(NODE_STATUSES)('agrees with the table for %s', (status) => {
    expect(allowedActions(status)).toEqual(possibleFrom(status));
    expect(allowedActions(status, USER_ACTIONS)).toEqual(offeredFrom(status));
  });
});

describe('the commissioning policy', () => {
  const on = { commissioning: true };

  it('sends an accepted node to commissioning instead of ready', () => {
    expect(nextStatus('declared', 'accept', 'abc234', on)).toBe('commissioning');
    expect(nextStatus('declared', 'accept', 'abc234', { commissioning: false })).toBe('ready');
  });

  it('leaves every other way to ready alone', () => {
    expect(nextStatus('commissioning', 'passCommissioning', 'abc234', on)).toBe('ready');
    expect(nextStatus('broken', 'markFixed', 'abc234', on)).toBe('ready');
    expect(nextStatus('releasing', 'finishRelease', 'abc234', on)).toBe('ready');
  });

  it('decides where a user’s enlistment lands', () => {
    expect(trustedEnlistStatus()).toBe('ready');
    expect(trustedEnlistStatus(on)).toBe('commissioning');
  });
});

describe('mayTakeAction', () => {
  const admin: User = { id: 1, username: 'root', role: 'admin' };
  const alice: User = { id: 2, username: 'alice', role: 'user' };

  it('lets an admin take every action a person may, and no machine or system action', () => {
    for (const action of NODE_ACTIONS) expect(mayTakeAction(action, admin, 'alice'), action).toBe(!NOT_A_PERSONS.includes(action));
  });

  it('lets a user acquire, act on her own nodes, and nothing an admin alone may do', () => {
    for (const action of NODE_ACTIONS) {
      const actor = EXPECTED_ACTORS[action];
      expect(mayTakeAction(action, alice, 'alice'), `${action} on her node`).toBe(actor === 'user' || actor === 'owner');
      expect(mayTakeAction(action, alice, 'bob'), `${action} on bob's node`).toBe(actor === 'user');
      expect(mayTakeAction(action, alice, null), `${action} on a free node`).toBe(actor === 'user');
    }
  });
});

describe('InvalidTransitionError', () => {
  it('says nothing is allowed when the list is empty', () => {
    expect(new InvalidTransitionError('accept', 'gone', []).message).toBe(
      "cannot accept the node: it is gone (nothing is allowed from 'gone')",
    );
  });
});

describe('the machine agent’s step', () => {
  it('is commission and deploy in those statuses, erase in releasing only for a machine Metalyard powers, else none', () => {
    const steps = (driven: boolean) =>
      Object.fromEntries(NODE_STATUSES.map((status) => [status, agentStepOf(status, driven)]).filter(([, step]) => step !== null));
    expect(steps(true)).toEqual({ commissioning: 'commission', deploying: 'deploy', releasing: 'erase' });
    expect(steps(false)).toEqual({ commissioning: 'commission', deploying: 'deploy' });
  });
});
