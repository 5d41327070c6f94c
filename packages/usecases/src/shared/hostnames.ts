import { ConflictError, generateHostname, generateSystemId } from '@metalyard/domain';
import type { Repositories } from '../ports/index.js';

/**
 * Readable hostnames (`swift-otter`) for nodes enlisted without one: plain adjective-noun while
 * those are mostly free, with a number once they run short.
 */
export class HostnamePicker {
  /** Set once plain names are mostly taken: from then on every generated name gets a number. */
  private numbered = false;

  /** `count` hostnames free in storage and not in `reserved`, checked a round at a time. */
  async pick(repositories: Repositories, count: number, reserved: ReadonlySet<string>): Promise<string[]> {
    const found: string[] = [];
    for (let round = 0; found.length < count && round < 8; round++) {
      const numbered = this.numbered || round >= 2;
      const candidates = new Set<string>();
      for (let tries = 0; candidates.size < count - found.length && tries < 20 * count; tries++) {
        const name = generateHostname(Math.random, numbered ? Math.floor(Math.random() * 100_000) : undefined);
        if (!reserved.has(name) && !found.includes(name)) candidates.add(name);
      }
      if (numbered) {
        // One in millions collides; the unique index catches that, and the write is tried again.
        found.push(...candidates);
        continue;
      }
      const taken = await repositories.nodes.hostnameHolders([...candidates]);
      if (taken.size * 2 > candidates.size) this.numbered = true;
      found.push(...[...candidates].filter((name) => !taken.has(name)));
    }
    if (found.length < count) throw new ConflictError('could not find a free hostname; give one explicitly');
    return found.slice(0, count);
  }
}

/**
 * Fresh system ids, distinct within the batch. Not looked up first: at a million nodes a new id
 * collides about once in a thousand; the unique index refuses it and the write is tried again.
 */
export function freshSystemIds(count: number): string[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(generateSystemId());
  return [...ids];
}
