import { describe, expect, it } from 'vitest';
import { age, gigabytes, humanize, memory } from './format.js';

describe('format', () => {
  it('says how old something is in words', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(age('2026-01-10T11:59:50Z', now)).toBe('just now');
    expect(age('2026-01-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(age('2026-01-09T12:00:00Z', now)).toBe('yesterday');
    expect(age('2026-02-09T12:00:00Z', now)).toBe('in 30 days');
    expect(age('2026-04-10T12:00:00Z', now)).toBe('in 3 months');
  });

  it('turns a status or an action into words', () => {
    expect(humanize('failed_commissioning')).toBe('Failed commissioning');
    expect(humanize('markBroken')).toBe('Mark broken');
    expect(humanize('ready')).toBe('Ready');
  });

  it('gives memory and disk sizes in readable units', () => {
    expect(memory(512)).toBe('512 MiB');
    expect(memory(16384)).toBe('16 GiB');
    expect(memory(1536)).toBe('1.5 GiB');
    expect(gigabytes(480)).toBe('480 GB');
    expect(gigabytes(3840)).toBe('3.84 TB');
  });
});
