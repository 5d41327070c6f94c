import { describe, expect, it } from 'vitest';
import { apiError, networkError } from '../test/fake-client.js';
import { errorMessage, fieldErrorsOf } from './errors.js';

describe('errorMessage', () => {
  it("keeps the server's own words for bad input and conflicts", () => {
    expect(errorMessage(apiError(400, 'invalid input: name: must be 1-64 letters'))).toBe('invalid input: name: must be 1-64 letters');
    expect(errorMessage(apiError(409, 'you cannot delete yourself'))).toBe('you cannot delete yourself');
  });

  it('says what a refusal means and what to do about it', () => {
    expect(errorMessage(apiError(403, "user 'alice' is not an admin"))).toBe(
      "Not allowed: user 'alice' is not an admin. Ask an admin if you need to do this.",
    );
    expect(errorMessage(apiError(404, "tag 'gpu' not found"))).toMatch(/^Not found: tag 'gpu' not found\. It may have been deleted/);
    expect(errorMessage(apiError(429, 'too many failed logins'))).toBe(
      'Too many requests: too many failed logins. Wait a moment, then try again.',
    );
  });

  it('tells a server failure from a server that cannot be reached', () => {
    expect(errorMessage(apiError(500, 'internal server error'))).toBe(
      "The server failed (500): Internal server error. Try again; if it keeps failing, the server's log says why.",
    );
    expect(errorMessage(apiError(503, 'database is unavailable'))).toBe(
      'The server is unavailable (503): Database is unavailable. Try again shortly.',
    );
    expect(errorMessage(networkError('Failed to fetch'))).toMatch(
      /^Cannot reach the Metalyard server \(Failed to fetch\)\. Check that it is running/,
    );
  });

  it('reads per-field messages of a 400, and none from other errors', () => {
    expect(fieldErrorsOf(apiError(400, 'invalid input', { password: ['must be at least 12 characters'] }))).toEqual({
      password: ['must be at least 12 characters'],
    });
    expect(fieldErrorsOf(new Error('boom'))).toEqual({});
  });
});
