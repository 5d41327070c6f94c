import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '@metalyard/domain';
import { LoginThrottle } from '../src/auth/login-throttle.js';

function throttle() {
  let now = Date.parse('2026-12-01T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const subject = new LoginThrottle({ maxFailures: 5, maxFailuresPerClient: 20, windowMs: 15 * 60_000 }, clock);
  return { subject, advance: (ms: number) => (now += ms) };
}

const refusal = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return error as RateLimitedError;
  }
  return null;
};

describe('LoginThrottle', () => {
  it("locks a (username, client) pair after 5 failures, never the username: mallory's typos leave admin alone", () => {
    const { subject, advance } = throttle();
    for (let i = 0; i < 5; i++) subject.fail('mallory', '192.0.2.66');
    const refused = refusal(() => subject.check('mallory', '192.0.2.66'));
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused!.retryAfterSeconds).toBe(15 * 60);
    expect(refusal(() => subject.check('admin', '192.0.2.66'))).toBeNull();
    expect(refusal(() => subject.check('admin', '192.0.2.10'))).toBeNull();
    expect(refusal(() => subject.check('mallory', '192.0.2.10'))).toBeNull();
    advance(10 * 60_000);
    expect(refusal(() => subject.check('mallory', '192.0.2.66'))!.retryAfterSeconds).toBe(5 * 60);
    advance(5 * 60_000);
    expect(refusal(() => subject.check('mallory', '192.0.2.66'))).toBeNull();
  });

  it('locks a client that fails 20 times whatever the usernames, and a success clears only its pair', () => {
    const { subject } = throttle();
    for (let i = 0; i < 4; i++) subject.fail('alice', '10.0.0.1');
    subject.succeed('alice', '10.0.0.1');
    for (let i = 0; i < 4; i++) subject.fail('alice', '10.0.0.1');
    expect(refusal(() => subject.check('alice', '10.0.0.1'))).toBeNull();
    for (let i = 0; i < 12; i++) subject.fail(`user${i}`, '10.0.0.1');
    expect(refusal(() => subject.check('bob', '10.0.0.1'))).toBeInstanceOf(RateLimitedError);
    expect(refusal(() => subject.check('bob', '10.0.0.2'))).toBeNull();
  });

  it('counts an IPv6 client as its /64: fresh addresses from one /64 do not reset the count', () => {
    const { subject } = throttle();
    for (let i = 1; i <= 5; i++) subject.fail('mallory', `2001:db8:0:1::${i.toString(16)}`);
    expect(refusal(() => subject.check('mallory', '2001:db8:0:1:aaaa::77'))).toBeInstanceOf(RateLimitedError);
    expect(refusal(() => subject.check('mallory', '2001:db8:0:2::1'))).toBeNull();
  });
});
