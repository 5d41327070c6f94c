import { describe, expect, it } from 'vitest';
import { sinceInput } from './api/events.js';
import { eventFilterQuery, fromLocalInput, parseEventFilter, toLocalInput } from './event-view.js';

describe('the event log filters in the URL', () => {
  it('reads the machine, actor, type and since of a link, and writes back only what is not the default', () => {
    const filter = parseEventFilter(new URLSearchParams('machine=k3v9qa&actor=alice&type=markBroken&since=7d'));
    expect(filter).toEqual({ systemId: 'k3v9qa', actor: 'alice', type: 'markBroken', since: '7d' });
    expect(eventFilterQuery(filter)).toEqual({ machine: 'k3v9qa', actor: 'alice', type: 'markBroken', since: '7d' });
    expect(eventFilterQuery(parseEventFilter(new URLSearchParams()))).toEqual({});
  });

  it('falls back to the last 24 hours and any type for what it does not know', () => {
    expect(parseEventFilter(new URLSearchParams('type=explode&since=yesterday-ish'))).toEqual({
      systemId: '',
      actor: '',
      type: '',
      since: '24h',
    });
    expect(parseEventFilter(new URLSearchParams('since=2026-01-10T12:00:00.000Z')).since).toBe('2026-01-10T12:00:00.000Z');
  });
});

describe('since', () => {
  it('turns a preset into a time relative to now, and any time into no bound', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(sinceInput('1h', now)).toBe('2026-01-10T11:00:00.000Z');
    expect(sinceInput('7d', now)).toBe('2026-01-03T12:00:00.000Z');
    expect(sinceInput('all', now)).toBeUndefined();
    expect(sinceInput('2026-01-01T00:00:00.000Z', now)).toBe('2026-01-01T00:00:00.000Z');
  });

  it('round-trips a date-time through the local-time input', () => {
    expect(fromLocalInput(toLocalInput('2026-01-10T12:34:00.000Z'))).toBe('2026-01-10T12:34:00.000Z');
    expect(fromLocalInput('')).toBe('');
  });
});
