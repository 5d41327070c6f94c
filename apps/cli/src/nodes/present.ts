import type { Node } from '@metalyard/sdk';
import { field, type Columns } from '../output/columns.js';
import { printLine } from '../output/print.js';
import type { Printer } from '../output/printer.js';
import { printRecord } from '../output/table.js';
import { paintStatus } from './vocabulary.js';

/** A node as an action returns it: with the per-node token when it started commissioning or deployment. */
export type ChangedNode = Node & { machineToken?: string };

/**
 * A node's columns, as `-c` names them. The table shows the defaults: POWER is the power state the BMC
 * last reported (`on`, `off`, `unknown`), next to the status; POWER TYPE is how Metalyard reaches it.
 */
export const NODE_COLUMNS: Columns<ChangedNode> = {
  all: [
    field('systemId', 'SYSTEM ID'),
    field('hostname', 'HOSTNAME'),
    field('status', 'STATUS', { paint: (text, node) => paintStatus(node.status) }),
    field('architecture', 'ARCH'),
    field('macAddresses', 'MACS'),
    field('powerState', 'POWER'),
    field('powerType', 'POWER TYPE'),
    field('owner', 'OWNER'),
    field('zone', 'ZONE'),
    field('pool', 'POOL'),
    field('tags', 'TAGS'),
    field('statusMessage', 'STATUS MESSAGE'),
    field('powerParameters', 'POWER PARAMETERS'),
    field('hardware', 'HARDWARE'),
    field('annotations', 'ANNOTATIONS'),
    field('createdAt', 'CREATED'),
    field('updatedAt', 'UPDATED'),
    field('machineToken', 'MACHINE TOKEN'),
  ],
  defaults: ['systemId', 'hostname', 'status', 'powerState', 'architecture', 'macAddresses', 'powerType', 'owner', 'zone', 'pool', 'tags'],
};

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
    ['power state', node.powerState],
    ['power checked', node.powerStateCheckedAt ?? (node.powerType === 'manual' ? '- (manual: powered by hand)' : '- (not asked yet)')],
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

/** The per-node token an action returned, which the server never shows again. */
export function machineTokenLine(node: ChangedNode): string | null {
  return node.machineToken ? `Machine token (shown once; hand it to the machine): ${node.machineToken}` : null;
}

/** A node an action just changed: one table row (and its machine token), or the chosen format. */
export function printChangedNode(print: Printer, node: ChangedNode): void {
  print.one(node, NODE_COLUMNS, () => {
    print.list([node], NODE_COLUMNS);
    const token = machineTokenLine(node);
    if (token) printLine(token);
  });
}
