import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../src/shared/group-commit.js';

describe('GroupCommit', () => {
  it('writes what arrives together in one batch, and later arrivals in the next', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return items.map((item) => item * 10);
    }, 100);
    const first = [1, 2, 3].map((item) => commit.submit(item));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = [4, 5].map((item) => commit.submit(item));
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('tells each batch size as it is written, for the metrics', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => items,
      2,
      (size) => sizes.push(size),
    );
    await Promise.all([1, 2, 3].map((item) => commit.submit(item)));
    expect(sizes).toEqual([2, 1]);
  });

  it('fails only the item whose result is an error', async () => {
    const commit = new GroupCommit<number, number>(async (items) => items.map((item) => (item === 2 ? new Error('two') : item)), 100);
    const results = await Promise.allSettled([1, 2, 3].map((item) => commit.submit(item)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('two');
  });

  it('retries a failed batch one item at a time, so one bad item cannot fail the others', async () => {
    const calls: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      calls.push(items);
      if (items.includes(2)) throw new Error('unique constraint');
      return items;
    }, 100);
    const results = await Promise.allSettled([1, 2, 3].map((item) => commit.submit(item)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('bounds a batch by weight', async () => {
    const batches: string[][] = [];
    const commit = new GroupCommit<string, string>(async (items) => {
      batches.push(items);
      return items;
    }, 4);
    await Promise.all(['a', 'b', 'c', 'd'].map((item) => commit.submit(item, 2)));
    expect(batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
