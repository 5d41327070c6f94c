import { stringify } from 'yaml';
import { cellText, columnsOfObject, pick, selectColumns, type Column, type Columns } from './columns.js';
import type { OutputChoice } from './format.js';
import { printJson, printLine, printYaml } from './print.js';
import { printRecord, tableText } from './table.js';

/** Prints what a command returns in the format the run asked for (see OUTPUT_HELP). */
export interface Printer {
  /** Rows of one resource: a table, JSON or YAML list, or a line per row. */
  list<T>(rows: readonly T[], columns: Columns<T>): void;
  /**
   * One object. A table shows `human()` when given and no `-c` was (a detail view, or a sentence);
   * else `key  value` lines. `value` prints each column's text on its own line.
   */
  one<T extends object>(row: T, columns?: Columns<T>, human?: () => void): void;
  /** One row of a live stream: a compact JSON line, a YAML document, a value line or table cells. */
  streamed<T>(row: T, columns: Columns<T>): void;
  /** The table `list` prints, as text: for a screen drawn in one write. */
  tableText<T>(rows: readonly T[], columns: Columns<T>): string;
}

const painted = <T>(column: Column<T>, row: T) => {
  const text = cellText(column, row);
  return column.paint ? column.paint(text, row) : text;
};

/** What JSON and YAML show of a row: all of it, or the columns `-c` chose. */
export function dataOf<T>(choice: OutputChoice, row: T, columns: Columns<T>): unknown {
  return choice.columns.length ? pick(row, selectColumns(columns, choice.columns)) : row;
}

export function createPrinter(choice: OutputChoice): Printer {
  const chosen = <T>(columns: Columns<T>) => selectColumns(columns, choice.columns);
  const picked = choice.columns.length > 0;
  const data = <T>(row: T, columns: Columns<T>) => dataOf(choice, row, columns);
  const table = <T>(rows: readonly T[], selected: readonly Column<T>[]) =>
    tableText(
      selected.map((column) => column.heading),
      rows.map((row) => selected.map((column) => painted(column, row))),
    );
  const structured = (value: unknown) => (choice.format === 'json' ? printJson(value) : printYaml(value));
  return {
    list(rows, columns) {
      const selected = chosen(columns);
      if (choice.format === 'json' || choice.format === 'yaml') return structured(rows.map((row) => data(row, columns)));
      if (choice.format === 'value') return rows.forEach((row) => printLine(selected.map((column) => cellText(column, row)).join(' ')));
      printLine(table(rows, selected));
    },
    tableText: (rows, columns) => table(rows, chosen(columns)),
    one(row, columns = columnsOfObject(row), human) {
      if (choice.format === 'json' || choice.format === 'yaml') return structured(data(row, columns));
      const selected = chosen(columns);
      if (choice.format === 'value') return selected.forEach((column) => printLine(cellText(column, row)));
      if (human && !picked) return human();
      printRecord(selected.map((column) => [column.heading.toLowerCase(), painted(column, row)]));
    },
    streamed(row, columns) {
      if (choice.format === 'json') return printLine(JSON.stringify(data(row, columns)));
      if (choice.format === 'yaml') {
        process.stdout.write(`---\n${stringify(data(row, columns))}`);
        return;
      }
      const selected = chosen(columns);
      if (choice.format === 'value') return printLine(selected.map((column) => cellText(column, row)).join(' '));
      printLine(selected.map((column) => painted(column, row)).join('  '));
    },
  };
}
