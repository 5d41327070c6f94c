import { describe, expect, it } from 'vitest';
import { hrefs, parseRoute } from './route.js';

describe('routes', () => {
  it('reads each screen from the hash, with the query of the screens that filter', () => {
    expect(parseRoute('#/machines/k3v9qa')).toEqual({ screen: 'machine', systemId: 'k3v9qa' });
    expect(parseRoute('#/zones')).toEqual({ screen: 'labels', kind: 'zones' });
    expect(parseRoute('#/users')).toEqual({ screen: 'users' });
    const events = parseRoute('#/events?type=release&machine=k3v9qa');
    expect(events.screen === 'events' && events.query.get('type')).toBe('release');
    const overview = parseRoute('#/?status=ready');
    expect(overview.screen === 'overview' && overview.query.get('status')).toBe('ready');
    expect(parseRoute('#main').screen).toBe('overview');
  });

  it('writes links with only the parameters that are set', () => {
    expect(hrefs.machines({ zone: 'dc1', tag: undefined, q: '' })).toBe('#/?zone=dc1');
    expect(hrefs.events({ machine: 'k3v9qa', since: 'all' })).toBe('#/events?machine=k3v9qa&since=all');
    expect(hrefs.events()).toBe('#/events');
  });
});
