import { describe, expect, it } from 'vitest';
import { SYSTEM_ID_LENGTH, SYSTEM_ID_PATTERN, generateSystemId } from '../src/values/system-id.js';

describe('generateSystemId', () => {
  const ids = Array.from({ length: 2000 }, () => generateSystemId());

  it('gives 6 characters matching SYSTEM_ID_PATTERN', () => {
    expect(SYSTEM_ID_LENGTH).toBe(6);
    for (const id of ids) {
      expect(id).toHaveLength(6);
      expect(id).toMatch(SYSTEM_ID_PATTERN);
    }
  });

  it('is URL-safe: encoding changes nothing', () => {
    for (const id of ids) expect(encodeURIComponent(id)).toBe(id);
  });

  it('uses the whole base32 alphabet and varies', () => {
    const chars = new Set(ids.join(''));
    expect([...chars].sort().join('')).toBe('234567abcdefghijklmnopqrstuvwxyz');
    expect(new Set(ids).size).toBeGreaterThan(1990);
  });
});

describe('SYSTEM_ID_PATTERN', () => {
  it.each(['abc234', 'zzzzzz', '777777'])('accepts %s', (id) => expect(SYSTEM_ID_PATTERN.test(id)).toBe(true));
  it.each(['', 'abc23', 'abc2345', 'ABC234', 'abc018', 'abc-23', 'abc_23', ' abc234'])('refuses %j', (id) =>
    expect(SYSTEM_ID_PATTERN.test(id)).toBe(false),
  );
});
