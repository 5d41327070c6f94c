import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useSettledText } from './use-debounced.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function Search({ outside, commit }: { outside: string; commit(value: string): void }) {
  const [text, setText] = useSettledText(outside, commit, 250);
  return <input aria-label="search" value={text} onChange={(event) => setText(event.target.value)} />;
}

describe('useSettledText', () => {
  it('commits what was typed once typing stops, trimmed, and follows a change from outside', () => {
    vi.useFakeTimers();
    const commit = vi.fn();
    const { rerender } = render(<Search outside="" commit={commit} />);
    const input = screen.getByLabelText('search') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'ra' } });
    fireEvent.change(input, { target: { value: 'rack ' } });
    act(() => vi.advanceTimersByTime(300));
    expect(commit.mock.calls).toEqual([['rack']]);

    rerender(<Search outside="rack" commit={commit} />);
    expect(input.value).toBe('rack ');
    rerender(<Search outside="" commit={commit} />);
    expect(input.value).toBe('');
    act(() => vi.advanceTimersByTime(300));
    expect(commit.mock.calls).toEqual([['rack']]);
  });
});
