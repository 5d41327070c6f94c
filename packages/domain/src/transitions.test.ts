import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from './errors.js';
import { NODE_STATUSES, type NodeStatus } from './status.js';
import { NODE_ACTIONS, TRANSITIONS, allowedActions, canTransition, nextStatus, type NodeAction } from './transitions.js';

/** The lifecycle written out by hand, independently of TRANSITIONS: status → action → target. */
const EXPECTED: Record<NodeStatus, Partial<Record<NodeAction, NodeStatus>>> = {
  declared: { accept: 'ready' },
  ready: { acquire: 'allocated' },
  allocated: { release: 'ready' },
};

describe('the transition table', () => {
  it('has exactly the actions accept, acquire, release', () => {
    expect(NODE_ACTIONS).toEqual(['accept', 'acquire', 'release']);
  });

  it('matches the hand-written lifecycle', () => {
    for (const action of NODE_ACTIONS) {
      const from = NODE_STATUSES.filter((status) => EXPECTED[status][action] !== undefined);
      expect(TRANSITIONS[action].from, action).toEqual(from);
      for (const status of from) expect(TRANSITIONS[action].to, action).toBe(EXPECTED[status][action]);
    }
  });
});

describe.each(NODE_STATUSES.flatMap((status) => NODE_ACTIONS.map((action) => [status, action] as const)))(
  'from %s, %s',
  (status, action) => {
    const target = EXPECTED[status][action];
    const allowed = Object.keys(EXPECTED[status]);

    if (target !== undefined) {
      it(`leads to ${target}`, () => {
        expect(canTransition(status, action)).toBe(true);
        expect(nextStatus(status, action)).toBe(target);
        expect(nextStatus(status, action, 'abc234')).toBe(target);
      });
    } else {
      it('throws an InvalidTransitionError naming the state and the allowed actions', () => {
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
        expect(transition.allowed).toEqual(allowed);
        expect(transition.message).toBe(
          `cannot ${action} node abc234: it is ${status} (allowed from '${status}': ${allowed.join(', ')})`,
        );
        expect(transition.details).toEqual({ action, status, allowed, systemId: 'abc234' });
      });

      it('says "the node" when no system id is given', () => {
        expect(() => nextStatus(status, action)).toThrow(`cannot ${action} the node: it is ${status}`);
      });
    }
  },
);

describe('allowedActions', () => {
  it.each(NODE_STATUSES)('agrees with the table for %s', (status) => {
    expect(allowedActions(status)).toEqual(Object.keys(EXPECTED[status]));
    expect(allowedActions(status)).toEqual(NODE_ACTIONS.filter((action) => canTransition(status, action)));
  });
});

describe('InvalidTransitionError', () => {
  it('says nothing is allowed when the list is empty', () => {
    expect(new InvalidTransitionError('accept', 'gone', []).message).toBe(
      "cannot accept the node: it is gone (nothing is allowed from 'gone')",
    );
  });
});
