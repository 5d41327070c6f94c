import type { NodeEvent } from '@metalyard/sdk';
import { printTable } from '../output/table.js';
import { paintStatus } from '../nodes/vocabulary.js';

const EVENT_COLUMNS = ['ID', 'TIME', 'NODE', 'TYPE', 'CHANGE', 'ACTOR', 'DETAILS'];

function change(event: NodeEvent): string {
  if (!event.fromStatus && !event.toStatus) return '-';
  return `${event.fromStatus ? paintStatus(event.fromStatus) : '-'} → ${event.toStatus ? paintStatus(event.toStatus) : '(deleted)'}`;
}

function eventCells(event: NodeEvent): string[] {
  return [String(event.id), event.createdAt, event.systemId, event.type, change(event), event.actor, event.details ? JSON.stringify(event.details) : '-'];
}

export function printEventTable(events: NodeEvent[]): void {
  printTable(EVENT_COLUMNS, events.map(eventCells));
}

/** One event on one line, for a live tail: the table's columns separated by two spaces. */
export function eventLine(event: NodeEvent): string {
  return eventCells(event).join('  ');
}
