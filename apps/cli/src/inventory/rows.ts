import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Architecture, EnlistInput, Node } from '@metalyard/sdk';
import { CliError, EXIT } from '../output/exit-codes.js';
import type { InventoryFormat } from './formats.js';

/** One machine in an import or export file. Values are as written: the server validates them. */
export interface InventoryRow {
  hostname?: string;
  architecture: string;
  macs: string[];
  powerType?: string;
  power: Record<string, string>;
  zone?: string;
  pool?: string;
  tags: string[];
}

/** The value the server puts in place of a secret power parameter. */
const MASKED = '********';
const POWER_PREFIX = 'power.';
const CSV_COLUMNS = ['hostname', 'architecture', 'macs', 'power_type', 'zone', 'pool', 'tags'];
const YAML_KEYS = ['hostname', 'architecture', 'macs', 'power_type', 'power', 'zone', 'pool', 'tags'];

/** MACs (or tags) separated by spaces, semicolons or commas. */
function splitList(text: string): string[] {
  return text.split(/[\s;,]+/).filter(Boolean);
}

function invalid(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

function parseCsvRows(text: string): InventoryRow[] {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, trim: true, skip_empty_lines: true });
  } catch (error) {
    throw invalid(`not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (!header) return [];
  const unknown = header.filter((column) => !CSV_COLUMNS.includes(column) && !column.startsWith(POWER_PREFIX));
  if (unknown.length) {
    throw invalid(`unknown column(s) ${unknown.join(', ')}: use ${CSV_COLUMNS.join(', ')} and power.KEY (e.g. power.address)`);
  }
  return data.map((cells) => {
    const cell = (column: string) => cells[header.indexOf(column)] || undefined;
    const power = Object.fromEntries(
      header.flatMap((column, index) =>
        column.startsWith(POWER_PREFIX) && cells[index] ? [[column.slice(POWER_PREFIX.length), cells[index]]] : [],
      ),
    );
    const hostname = cell('hostname');
    const powerType = cell('power_type');
    const zone = cell('zone');
    const pool = cell('pool');
    return {
      ...(hostname ? { hostname } : {}),
      architecture: cell('architecture') ?? '',
      macs: splitList(cell('macs') ?? ''),
      ...(powerType ? { powerType } : {}),
      power,
      ...(zone ? { zone } : {}),
      ...(pool ? { pool } : {}),
      tags: splitList(cell('tags') ?? ''),
    };
  });
}

function yamlRow(item: unknown, index: number): InventoryRow {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(`item ${index + 1} is not a map`);
  const entry = item as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((key) => !YAML_KEYS.includes(key));
  if (unknown.length) throw invalid(`item ${index + 1}: unknown key(s) ${unknown.join(', ')}: use ${YAML_KEYS.join(', ')}`);
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : splitList(String(value ?? '')));
  const power = entry.power ?? {};
  if (typeof power !== 'object' || Array.isArray(power)) throw invalid(`item ${index + 1}: power must be a map`);
  return {
    ...(entry.hostname != null ? { hostname: String(entry.hostname) } : {}),
    architecture: String(entry.architecture ?? ''),
    macs: list(entry.macs),
    ...(entry.power_type != null ? { powerType: String(entry.power_type) } : {}),
    power: Object.fromEntries(Object.entries(power).map(([key, value]) => [key, String(value)])),
    ...(entry.zone != null ? { zone: String(entry.zone) } : {}),
    ...(entry.pool != null ? { pool: String(entry.pool) } : {}),
    tags: list(entry.tags),
  };
}

function parseYamlRows(text: string): InventoryRow[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw invalid(`not valid YAML: ${(error as Error).message}`);
  }
  if (document == null) return [];
  if (!Array.isArray(document)) throw invalid('the YAML document must be a list of machines');
  return document.map(yamlRow);
}

export function parseInventory(text: string, format: InventoryFormat): InventoryRow[] {
  return format === 'csv' ? parseCsvRows(text) : parseYamlRows(text);
}

/** What the server is asked to enlist for a row; it checks every field and says what is wrong. */
export function enlistInputOf(row: InventoryRow): EnlistInput {
  return {
    ...(row.hostname ? { hostname: row.hostname } : {}),
    architecture: row.architecture as Architecture,
    macAddresses: row.macs,
    ...(row.powerType ? { powerType: row.powerType as EnlistInput['powerType'] } : {}),
    powerParameters: row.power,
  };
}

/** A node as a row; masked secrets are left out (the server never returns them). */
export function rowOfNode(node: Node): InventoryRow {
  const power = Object.entries(node.powerParameters ?? {}).filter(([, value]) => value !== MASKED);
  return {
    hostname: node.hostname,
    architecture: node.architecture,
    macs: node.macAddresses,
    powerType: node.powerType,
    power: Object.fromEntries(power),
    ...(node.zone ? { zone: node.zone } : {}),
    ...(node.pool ? { pool: node.pool } : {}),
    tags: node.tags,
  };
}

/** The plain-object form of a row, as YAML and --json write it. */
export function recordOfRow(row: InventoryRow): Record<string, unknown> {
  return {
    hostname: row.hostname,
    architecture: row.architecture,
    macs: row.macs,
    power_type: row.powerType,
    ...(Object.keys(row.power).length ? { power: row.power } : {}),
    ...(row.zone ? { zone: row.zone } : {}),
    ...(row.pool ? { pool: row.pool } : {}),
    ...(row.tags.length ? { tags: row.tags } : {}),
  };
}

export function serializeInventory(rows: InventoryRow[], format: InventoryFormat): string {
  if (format === 'yaml') return rows.length ? stringifyYaml(rows.map(recordOfRow)) : '[]\n';
  const powerKeys = [...new Set(rows.flatMap((row) => Object.keys(row.power)))].sort();
  const columns = [...CSV_COLUMNS, ...powerKeys.map((key) => `${POWER_PREFIX}${key}`)];
  const records = rows.map((row) => [
    row.hostname ?? '',
    row.architecture,
    row.macs.join(' '),
    row.powerType ?? '',
    row.zone ?? '',
    row.pool ?? '',
    row.tags.join(' '),
    ...powerKeys.map((key) => row.power[key] ?? ''),
  ]);
  return stringifyCsv([columns, ...records]);
}
