import { describe, expect, it } from 'vitest';
import { parsePowerParameters } from './AddMachineDialog.js';

describe('parsePowerParameters', () => {
  it('reads key=value lines, skipping blank ones and keeping = inside values', () => {
    expect(parsePowerParameters('address=10.0.0.10\n\n password = a=b ')).toEqual({
      parameters: { address: '10.0.0.10', password: 'a=b' },
    });
  });

  it('names the line that is not key=value', () => {
    expect(parsePowerParameters('address=10.0.0.10\nusername')).toEqual({ problem: 'Line 2 is not key=value.' });
  });
});
