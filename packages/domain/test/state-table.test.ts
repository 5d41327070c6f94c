import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStateTable } from '../src/index.js';
import { NODE_ACTIONS, NODE_STATUSES } from '../src/index.js';

const README = new URL('../../../README.md', import.meta.url);
const BEGIN = '<!-- state-table:begin (generated from packages/domain: pnpm docs) -->';
const END = '<!-- state-table:end -->';

describe('the README state machine', () => {
  it('names every status and every action of the table', () => {
    const table = renderStateTable();
    for (const status of NODE_STATUSES) expect(table).toContain(`| \`${status}\` |`);
    for (const action of NODE_ACTIONS) expect(table).toContain(`| \`${action}\` |`);
  });

  it('is the one generated from the transition table (run `pnpm docs` after changing it)', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start + BEGIN.length, end).trim()).toBe(renderStateTable());
  });
});
