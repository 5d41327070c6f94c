// Rewrites the README's state machine section from the domain's transition table.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderStateTable } from '../dist/index.js';

const README = new URL('../../../README.md', import.meta.url);
const BEGIN = '<!-- state-table:begin (generated from packages/domain: pnpm docs) -->';
const END = '<!-- state-table:end -->';
const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (start < 0 || end < start) throw new Error('README.md has no state-table markers');
writeFileSync(README, `${readme.slice(0, start + BEGIN.length)}\n${renderStateTable()}\n${readme.slice(end)}`);
console.log('README.md: state machine table regenerated');
