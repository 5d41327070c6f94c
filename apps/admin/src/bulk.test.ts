import { describe, expect, it } from 'vitest';
import type { Node } from '@metalyard/sdk';
import { assignmentUpdate, bulkChoices, bulkSummary, planBulk, runBulk } from './bulk.js';
import { apiError, fakeClient } from './test/fake-client.js';
import { fakeNode } from './test/nodes.js';
import { ADMIN, ALICE } from './test/render.js';

const node = (systemId: string, status: Node['status'], fields: Partial<Node> = {}) =>
  fakeNode(`host-${systemId}`, status, { systemId, ...fields });

describe('planBulk', () => {
  it('applies an action to the selected machines the transition table allows it from, and says why it skips the others', () => {
    const plan = planBulk(
      [node('aaaaaa', 'allocated', { owner: 'bob' }), node('bbbbbb', 'ready'), node('cccccc', 'deployed', { owner: 'bob' })],
      ADMIN,
      'release',
    );
    expect(plan.label).toBe('Release');
    expect(plan.eligible.map(({ node }) => node.systemId)).toEqual(['aaaaaa', 'cccccc']);
    expect(plan.skipped).toEqual([{ node: expect.objectContaining({ systemId: 'bbbbbb' }), reason: 'ready' }]);
  });

  it("leaves a user's hands off machines that are not theirs and off admin actions", () => {
    const selection = [
      node('aaaaaa', 'allocated', { owner: 'alice' }),
      node('bbbbbb', 'allocated', { owner: 'bob' }),
      node('cccccc', 'declared'),
    ];
    expect(planBulk(selection, ALICE, 'release').skipped.map(({ reason }) => reason)).toEqual(['owned by bob', 'declared']);
    expect(bulkChoices(selection, ALICE).map((plan) => plan.action)).toEqual(['markBroken', 'release']);
    expect(bulkChoices(selection, ADMIN).map((plan) => plan.action)).toEqual(['accept', 'markBroken', 'release', 'delete']);
  });
});

describe('runBulk', () => {
  it('accepts in one all-or-nothing call and keeps the machine tokens it returns', async () => {
    const fake = fakeClient({ 'protected.nodes.accept': () => ({ accepted: ['aaaaaa', 'bbbbbb'], machineTokens: { aaaaaa: 'mt-a' } }) });
    const plan = planBulk([node('aaaaaa', 'declared'), node('bbbbbb', 'declared')], ADMIN, 'accept');
    const result = await runBulk(fake.client, plan, {});
    expect(fake.inputsOf('protected.nodes.accept')).toEqual([{ systemIds: ['aaaaaa', 'bbbbbb'] }]);
    expect(result.done).toHaveLength(2);
    expect(result.machineTokens).toEqual([{ machine: 'host-aaaaaa', token: 'mt-a' }]);
  });

  it('runs other actions per machine, so that one refusal does not stop the rest', async () => {
    const fake = fakeClient({
      'protected.nodes.markBroken': (input) => {
        const { systemId } = input as { systemId: string };
        if (systemId === 'bbbbbb') throw apiError(409, 'node bbbbbb changed while it was being updated; try again');
        return node(systemId, 'broken');
      },
    });
    const plan = planBulk([node('aaaaaa', 'ready'), node('bbbbbb', 'ready')], ADMIN, 'markBroken');
    const result = await runBulk(fake.client, plan, { comment: 'rack power' });
    expect(fake.inputsOf('protected.nodes.markBroken')).toEqual([
      { systemId: 'aaaaaa', comment: 'rack power' },
      { systemId: 'bbbbbb', comment: 'rack power' },
    ]);
    expect(result.done.map((each) => each.systemId)).toEqual(['aaaaaa']);
    expect(result.failed.map(({ node, error }) => [node.systemId, (error as Error).message])).toEqual([
      ['bbbbbb', 'node bbbbbb changed while it was being updated; try again'],
    ]);
    expect(bulkSummary('Mark broken', result)).toBe('Mark broken: 1 machine done, 1 refused.');
  });
});

describe('assignmentUpdate', () => {
  it('adds and removes tags and sets zone and pool, sending only what changes', () => {
    const tagged = node('aaaaaa', 'ready', { tags: ['gpu', 'old'], zone: 'dc1' });
    expect(assignmentUpdate(tagged, { zone: 'dc1', pool: 'ci', addTags: ['ssd', 'gpu'], removeTags: ['old'] })).toEqual({
      systemId: 'aaaaaa',
      pool: 'ci',
      tags: ['gpu', 'ssd'],
    });
    expect(assignmentUpdate(tagged, { addTags: ['gpu'], removeTags: [] })).toEqual({ systemId: 'aaaaaa' });
  });
});
