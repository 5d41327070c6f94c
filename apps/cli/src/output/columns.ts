import { CliError, EXIT } from './exit-codes.js';

/**
 * One column of a resource, as `-c NAME` selects it: its API field (or a name derived from several),
 * its heading in a table, its value in JSON and YAML, and its text in a table or a `value` line.
 */
export interface Column<T> {
  name: string;
  heading: string;
  value(row: T): unknown;
  /** Default: the value as text (see textOf). */
  text?(row: T): string;
  /** Colours for a table (only ever applied when colours are on). */
  paint?(text: string, row: T): string;
}

/** Every column a resource has, and the ones a table shows when no `-c` is given. */
export interface Columns<T> {
  all: readonly Column<T>[];
  defaults: readonly string[];
}

/** A value as one cell: `-` for nothing, lists joined by spaces, objects as JSON. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value))
    return value.length ? value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(' ') : '-';
  if (typeof value === 'object') return Object.keys(value).length ? JSON.stringify(value) : '-';
  return String(value);
}

export const cellText = <T>(column: Column<T>, row: T): string => (column.text ? column.text(row) : textOf(column.value(row)));

/** A column that is a field of the API object. */
export function field<T>(name: keyof T & string, heading: string, more: Partial<Omit<Column<T>, 'name' | 'heading'>> = {}): Column<T> {
  return { name, heading, value: (row) => row[name], ...more };
}

/** The columns of a plain result (`{ accepted }`, `{ deleted }`, …): one per key, every one shown. */
export function columnsOfObject<T extends object>(row: T): Columns<T> {
  const names = Object.keys(row);
  return {
    all: names.map((name) => ({
      name,
      heading: name.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase(),
      value: (item: T) => (item as Record<string, unknown>)[name],
    })),
    defaults: names,
  };
}

/** `systemId`, `SYSTEM ID`, `system-id` and `system_id` all name the same column. */
const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The columns `-c` asked for, in its order, or the defaults; an unknown name is a usage error that lists them. */
export function selectColumns<T>(columns: Columns<T>, names: readonly string[]): Column<T>[] {
  const find = (name: string) =>
    columns.all.find((column) => normalise(column.name) === normalise(name) || normalise(column.heading) === normalise(name));
  if (names.length === 0) return columns.defaults.map((name) => find(name)!);
  return names.map((name) => {
    const column = find(name);
    if (!column)
      throw new CliError(`no column '${name}' here: use ${columns.all.map((candidate) => candidate.name).join(', ')}`, EXIT.usage);
    return column;
  });
}

/** The row with only the chosen columns, for JSON and YAML. */
export function pick<T>(row: T, columns: readonly Column<T>[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column.name, column.value(row) ?? null]));
}
