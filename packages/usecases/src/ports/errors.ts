/**
 * What a repository reports when a write broke a unique rule (a MAC, a hostname, a username taken
 * at the same moment by another request). Not a domain error: each use case decides what it means —
 * try again, or a 409 in its own words.
 */
export class DuplicateKeyError extends Error {
  constructor(message = 'a unique value was taken at the same moment') {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}
