import { describe, expect, it } from 'vitest';
import { describeDetails } from './EventTimeline.js';

describe('describeDetails', () => {
  it('shows a comment or reason as it is, and other details by name', () => {
    expect(describeDetails({ comment: 'fan failure' })).toBe('fan failure');
    expect(describeDetails({ changed: ['hostname', 'tags'] })).toBe('Changed: hostname, tags');
    expect(describeDetails({ reason: 'disk test failed', report: 'commissioning' })).toBe('disk test failed · Report: commissioning');
  });

  it('says nothing when there is nothing to say', () => {
    expect(describeDetails(null)).toBeNull();
    expect(describeDetails({ comment: '', tests: [] })).toBeNull();
  });

  it('counts structured entries instead of dumping them', () => {
    expect(
      describeDetails({
        tests: [
          { name: 'memtest', passed: true },
          { name: 'smart', passed: true },
        ],
      }),
    ).toBe('Tests: 2 entries');
  });
});
