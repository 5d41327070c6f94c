import type { Node } from '@metalyard/sdk';
import { printLine } from '../output/print.js';
import { printRecord, printTable } from '../output/table.js';
import { paintStatus } from './vocabulary.js';

const NODE_COLUMNS = ['SYSTEM ID', 'HOSTNAME', 'STATUS', 'ARCH', 'MACS', 'POWER', 'OWNER'];

function nodeRow(node: Node): string[] {
  return [
    node.systemId,
    node.hostname,
    paintStatus(node.status),
    node.architecture,
    node.macAddresses.join(' '),
    node.powerType,
    node.owner ?? '-',
  ];
}

/** One line per node. */
export function printNodeTable(nodes: Node[]): void {
  printTable(NODE_COLUMNS, nodes.map(nodeRow));
}

/** Every field of one node; power parameters only when the server sent them (admins). */
export function printNodeDetail(node: Node): void {
  const parameters = Object.entries(node.powerParameters ?? {}).map(([key, value]): [string, string] => [`power.${key}`, value]);
  printRecord([
    ['system id', node.systemId],
    ['hostname', node.hostname],
    ['status', paintStatus(node.status)],
    ['architecture', node.architecture],
    ['macs', node.macAddresses.join(' ')],
    ['power type', node.powerType],
    ...parameters,
    ['owner', node.owner ?? '-'],
    ['zone', node.zone ?? '-'],
    ['pool', node.pool ?? '-'],
    ['tags', node.tags.join(' ') || '-'],
    ...Object.entries(node.annotations).map(([key, value]): [string, string] => [`annotation.${key}`, value]),
    ...(node.statusMessage ? [['status message', node.statusMessage] as [string, string]] : []),
    ['created', node.createdAt],
    ['updated', node.updatedAt],
  ]);
}

/**
 * A node an action just changed, as a table; when the action started commissioning or deployment,
 * the per-node token it returned, which the server never shows again.
 */
export function printNodeChange(node: Node & { machineToken?: string }): void {
  printNodeTable([node]);
  if (node.machineToken) printLine(`Machine token (shown once; hand it to the machine): ${node.machineToken}`);
}
