import { describe, expect, it } from 'vitest';
import { searchInput } from './nodes.js';

describe('searchInput', () => {
  it('sends a whole MAC in any notation as a MAC search, as typed (the API normalises it)', () => {
    expect(searchInput('52:54:00:12:34:56')).toEqual({ mac: '52:54:00:12:34:56' });
    expect(searchInput(' AA-BB-CC-DD-EE-FF ')).toEqual({ mac: 'AA-BB-CC-DD-EE-FF' });
    expect(searchInput('aabb.ccdd.eeff')).toEqual({ mac: 'aabb.ccdd.eeff' });
  });

  it('sends anything else as a hostname prefix, and nothing for an empty search', () => {
    expect(searchInput('Rack1')).toEqual({ hostnamePrefix: 'rack1' });
    expect(searchInput('52:54:00')).toEqual({ hostnamePrefix: '52:54:00' });
    expect(searchInput('   ')).toEqual({});
  });
});
