import { describe, expect, it } from 'vitest';
import { generateHostname, hostnameProblem } from '../src/values/hostname.js';

const label = (length: number, char = 'a') => char.repeat(length);

describe('hostnameProblem (RFC 1123)', () => {
  it.each([
    'a',
    'node1',
    'swift-otter',
    'rack-12-node-03',
    '1node',
    '123',
    'Node-A.Example.COM',
    'a.b.c.d',
    'x-y.z',
    label(63),
    `${label(63)}.${label(63)}.${label(63)}.${label(61)}`, // 253 characters
  ])('accepts %j', (hostname) => {
    expect(hostnameProblem(hostname)).toBeNull();
  });

  it.each([
    ['', 'must not be empty'],
    ['-node', "label '-node' may hold only letters, digits and inner hyphens"],
    ['node-', "label 'node-' may hold only letters, digits and inner hyphens"],
    ['a.-b', "label '-b' may hold only letters, digits and inner hyphens"],
    ['-', "label '-' may hold only letters, digits and inner hyphens"],
    ['under_score', "label 'under_score' may hold only letters, digits and inner hyphens"],
    ['has space', "label 'has space' may hold only letters, digits and inner hyphens"],
    ['café', "label 'café' may hold only letters, digits and inner hyphens"],
    ['node!', "label 'node!' may hold only letters, digits and inner hyphens"],
    ['a..b', 'must not have an empty label'],
    ['.a', 'must not have an empty label'],
    ['a.', 'must not have an empty label'],
    ['.', 'must not have an empty label'],
    [label(64), `label '${label(20)}…' is longer than 63 characters`],
    [`ok.${label(64)}`, `label '${label(20)}…' is longer than 63 characters`],
    [`${label(63)}.${label(63)}.${label(63)}.${label(62)}`, 'must be at most 253 characters'],
    [label(300), 'must be at most 253 characters'],
  ])('refuses %j: %s', (hostname, problem) => {
    expect(hostnameProblem(hostname)).toBe(problem);
  });
});

describe('generateHostname', () => {
  it('gives valid adjective-noun names', () => {
    for (let i = 0; i < 500; i++) {
      const hostname = generateHostname();
      expect(hostname).toMatch(/^[a-z]+-[a-z]+$/);
      expect(hostnameProblem(hostname)).toBeNull();
    }
  });

  it('covers many names', () => {
    const names = new Set(Array.from({ length: 500 }, () => generateHostname()));
    expect(names.size).toBeGreaterThan(100);
  });

  it('uses the random source, from its lowest to its highest value', () => {
    expect(generateHostname(() => 0)).toBe('able-anvil');
    expect(generateHostname(() => 0.999999)).toBe('witty-yak');
  });

  it('appends a numeric suffix when asked', () => {
    expect(generateHostname(() => 0, 3)).toBe('able-anvil-3');
    const hostname = generateHostname(Math.random, 9999);
    expect(hostname).toMatch(/^[a-z]+-[a-z]+-9999$/);
    expect(hostnameProblem(hostname)).toBeNull();
  });
});
