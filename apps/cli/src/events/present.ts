import type { NodeEvent } from '@metalyard/sdk';
import { field, type Columns } from '../output/columns.js';
import { paintStatus } from '../nodes/vocabulary.js';

function change(event: NodeEvent, paint: boolean): string {
  if (!event.fromStatus && !event.toStatus) return '-';
  const status = (value: NodeEvent['toStatus']) => (value && paint ? paintStatus(value) : value);
  return `${status(event.fromStatus) ?? '-'} → ${status(event.toStatus) ?? '(deleted)'}`;
}

/** An event's columns, as `-c` names them; `change` is from → to. */
export const EVENT_COLUMNS: Columns<NodeEvent> = {
  all: [
    field('id', 'ID'),
    field('createdAt', 'TIME'),
    field('systemId', 'NODE'),
    field('type', 'TYPE'),
    { name: 'change', heading: 'CHANGE', value: (event) => change(event, false), paint: (_text, event) => change(event, true) },
    field('actor', 'ACTOR'),
    field('details', 'DETAILS'),
    field('fromStatus', 'FROM'),
    field('toStatus', 'TO'),
  ],
  defaults: ['id', 'createdAt', 'systemId', 'type', 'change', 'actor', 'details'],
};
