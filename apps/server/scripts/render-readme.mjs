// Rewrites the README's configuration table from the server's configuration schema (apps/server/src/config.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { CONFIG_TABLE_BEGIN, CONFIG_TABLE_END, renderConfigTable } from '../dist/config.js';

const README = new URL('../../../README.md', import.meta.url);
const readme = readFileSync(README, 'utf8');
const start = readme.indexOf(CONFIG_TABLE_BEGIN);
const end = readme.indexOf(CONFIG_TABLE_END);
if (start < 0 || end < start) throw new Error('README.md has no config-table markers');
writeFileSync(README, `${readme.slice(0, start + CONFIG_TABLE_BEGIN.length)}\n${renderConfigTable()}\n${readme.slice(end)}`);
console.log('README.md: configuration table regenerated');
