import { describe, expect, it } from 'vitest';
import { allowedActions, NODE_STATUSES, USER_ACTIONS } from '@metalyard/sdk';
import type { Viewer } from './api/viewer.js';
import { actionFor, actionsFor, BULK_ACTIONS, destination, hasSpec } from './lifecycle.js';

const admin: Viewer = { username: 'admin', role: 'admin' };
const alice: Viewer = { username: 'alice', role: 'user' };
const names = (status: Parameters<typeof actionsFor>[0]['status'], viewer: Viewer, owner: string | null = null) =>
  actionsFor({ status, owner }, viewer).map((view) => view.action);

describe('actionsFor', () => {
  it('offers an admin accept for a declared machine, with the wipe warning to confirm', () => {
    const [accept] = actionsFor({ status: 'declared', owner: null }, admin);
    expect(accept?.action).toBe('accept');
    expect(accept?.to).toBe('ready');
    expect(accept?.mayCommission).toBe(true);
    expect(accept?.confirm).toMatch(/wipes its disks/);
  });

  it('hides admin-only actions from a user', () => {
    expect(names('declared', alice)).toEqual([]);
    expect(names('ready', alice)).toEqual(['acquire']);
    expect(names('ready', admin)).toEqual(expect.arrayContaining(['commission', 'acquire', 'markBroken', 'retire', 'delete']));
  });

  it("offers an owner's actions to the owner and admins, not to other users", () => {
    expect(names('allocated', alice, 'alice')).toEqual(['deploy', 'release', 'markBroken']);
    expect(names('allocated', alice, 'bob')).toEqual([]);
    expect(names('allocated', admin, 'bob')).toEqual(['deploy', 'release', 'markBroken']);
  });

  it('asks for a comment before marking broken, and confirms before deleting', () => {
    const actions = actionsFor({ status: 'ready', owner: null }, admin);
    expect(actions.find((view) => view.action === 'markBroken')?.comment).toBe('required');
    expect(actions.find((view) => view.action === 'delete')).toMatchObject({ to: null, confirm: expect.stringMatching(/forgets/) });
  });

  it('knows how to take every action a person may take', () => {
    expect(USER_ACTIONS.filter((action) => !hasSpec(action))).toEqual([]);
  });

  it('never offers an action the transition table forbids from a status', () => {
    for (const status of NODE_STATUSES) {
      const allowed = allowedActions(status);
      for (const action of names(status, admin, 'admin')) expect(allowed).toContain(action);
    }
  });
});

describe('bulk actions', () => {
  it('are actions of the transition table the app can run, each saying what happens to the disks', () => {
    for (const [action, effect] of Object.entries(BULK_ACTIONS)) {
      expect(hasSpec(action as keyof typeof BULK_ACTIONS)).toBe(true);
      expect(effect.explanation.length).toBeGreaterThan(20);
    }
    expect(BULK_ACTIONS.release.disks).toBe('erased');
    expect(BULK_ACTIONS.commission.disks).toBe('kept');
  });

  it('say where an action leads, including the erase a release goes through', () => {
    const [release] = actionsFor({ status: 'deployed', owner: 'alice' }, alice).filter((view) => view.action === 'release');
    expect(destination(release!)).toBe('Releasing, then Ready once its disks are erased');
    expect(destination(actionFor({ status: 'declared', owner: null }, admin, 'accept')!)).toBe('Ready (or Commissioning)');
    expect(destination(actionFor({ status: 'ready', owner: null }, admin, 'delete')!)).toBe('deleted');
    expect(actionFor({ status: 'declared', owner: null }, alice, 'accept')).toBeNull();
  });
});
