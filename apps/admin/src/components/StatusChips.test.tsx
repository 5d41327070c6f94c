import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { NODE_STATUSES } from '@metalyard/sdk';
import { StatusChips } from './StatusChips.js';

afterEach(cleanup);

describe('StatusChips', () => {
  it('offers All and one chip per status of the domain until the counts are known', () => {
    render(<StatusChips value="ready" counts={undefined} onChange={() => {}} />);
    expect(screen.getAllByRole('button')).toHaveLength(NODE_STATUSES.length + 1);
    expect(screen.getByRole('button', { name: 'Ready' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: 'All' }).getAttribute('aria-pressed')).toBe('false');
  });

  it("shows the server's count per status, and only statuses that have machines or are chosen", () => {
    render(<StatusChips value="broken" counts={{ declared: 2, ready: 5 }} onChange={() => {}} />);
    expect(screen.getAllByRole('button').map((chip) => chip.textContent)).toEqual(['All 7', 'Declared 2', 'Ready 5', 'Broken 0']);
  });

  it('reports the status chosen, and null for All', () => {
    const onChange = vi.fn();
    render(<StatusChips value={null} counts={{ declared: 1 }} onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Declared 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'All 1' }));
    expect(onChange.mock.calls).toEqual([['declared'], [null]]);
  });
});
