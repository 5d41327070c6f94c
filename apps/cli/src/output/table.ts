import Table from 'cli-table3';
import { colours } from './colour.js';

const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** Aligned columns under upper-case headings, as text (no final newline). */
export function tableText(head: string[], rows: string[][]): string {
  const table = new Table({
    head: head.map((title) => colours.bold(title)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...rows);
  // cli-table3 pads the last column too; trailing spaces only get in the way of grep and diff.
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** Prints aligned columns under upper-case headings, as `maas` and `openstack` do. */
export function printTable(head: string[], rows: string[][]): void {
  process.stdout.write(`${tableText(head, rows)}\n`);
}

/** Prints `key  value` lines, aligned, for one object. */
export function printRecord(pairs: Array<[string, string]>): void {
  const width = Math.max(...pairs.map(([key]) => key.length));
  for (const [key, value] of pairs) process.stdout.write(`${colours.bold(key.padEnd(width))}  ${value}\n`);
}
