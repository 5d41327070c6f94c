import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { NodeStatus } from '@metalyard/sdk';
import { listAllNodes } from '../nodes/pages.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { printJson, printLine } from '../output/print.js';
import { printTable } from '../output/table.js';
import { sessionOf } from '../session.js';
import { formatOfPath, type InventoryFormat } from './formats.js';
import { importRows, type RowResult } from './import.js';
import { ensureLabels, type CreatedLabels } from './labels.js';
import { createProgress, describeTally, tallyOf } from './progress.js';
import { parseInventory, recordOfRow, rowOfNode, serializeInventory } from './rows.js';

/** The import and export commands' actions, loaded only when one of them runs (they need the parsers). */

async function readInventoryFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, EXIT.usage);
  }
}

function printImportSummary(file: string, results: RowResult[], labels: CreatedLabels): void {
  const created = Object.entries(labels).filter(([, names]) => names.length);
  if (created.length) printLine(`Created ${created.map(([group, names]) => `${group} ${names.join(', ')}`).join('; ')}.`);
  printLine(`Imported ${results.length} rows from ${file}: ${describeTally(tallyOf(results))}.`);
  const refused = results.filter((result) => result.outcome === 'refused');
  if (refused.length) {
    printLine('');
    printTable(
      ['ROW', 'HOSTNAME', 'REFUSED BECAUSE'],
      refused.map((result) => [String(result.row), result.hostname ?? '-', result.reason ?? '']),
    );
  }
}

export async function importFile(file: string, options: { concurrency: number }, command: Command) {
  const session = sessionOf(command);
  const rows = parseInventory(await readInventoryFile(file), formatOfPath(file));
  const client = await session.client();
  const labels = await ensureLabels(client, rows);
  const progress = createProgress(rows.length);
  let results: RowResult[];
  try {
    results = await importRows(client, rows, { concurrency: options.concurrency, onResult: (result) => progress.record(result) });
  } finally {
    progress.stop();
  }
  session.print.one({ file, total: results.length, ...tallyOf(results), labelsCreated: labels, rows: results }, undefined, () =>
    printImportSummary(file, results, labels),
  );
  const refused = results.filter((result) => result.outcome === 'refused').length;
  if (refused) throw new CliError(`${refused} of ${results.length} rows were refused`, EXIT.failure);
}

export async function exportNodes(options: { format?: InventoryFormat; status?: NodeStatus; output?: string }, command: Command) {
  const session = sessionOf(command);
  const nodes = await listAllNodes(await session.client(), options.status ? { status: options.status } : {});
  const rows = nodes.map(rowOfNode);
  if (session.output.format === 'json') return printJson(rows.map(recordOfRow));
  const format = options.format ?? (options.output ? formatOfPath(options.output) : 'csv');
  const text = serializeInventory(rows, format);
  if (options.output) {
    await writeFile(options.output, text);
    printLine(`Exported ${rows.length} nodes to ${options.output}.`);
  } else {
    process.stdout.write(text);
  }
}
