import type { Session } from '@metalyard/domain';

/**
 * The sessions that bearer tokens opened, kept in memory on the embedded database so that an
 * authenticated request does not read the token table each time. Revocation stays immediate:
 * - every change this process makes to users or tokens clears it (SqlAuthRepository, the only code
 *   that writes those tables), and
 * - a commit by any other connection to the file (a management command, `metalyard` in another
 *   shell) clears it at the next lookup: SQLite's `data_version` changes exactly then.
 * Only sessions found are kept (a stream of made-up tokens cannot fill it), at most `max` of them;
 * expiry is checked by the use case on every request. PostgreSQL has none: replicas write apart.
 */
export class SessionCache {
  private readonly sessions = new Map<string, Session>();
  /** Bumped by every clear: a lookup that began before one may not store what it read. */
  private generation = 0;
  private version: number | undefined;

  constructor(
    /** SQLite's `pragma data_version` on the server's connection. */
    private readonly dataVersion: () => number,
    private readonly max = 10_000,
  ) {}

  /** The session for a token hash, if kept and nothing can have changed it since. */
  get(tokenHash: string): Session | undefined {
    this.sync();
    return this.sessions.get(tokenHash);
  }

  /** Taken before reading the token table; `set` stores the result only if no clear came in between. */
  ticket(): number {
    this.sync();
    return this.generation;
  }

  set(tokenHash: string, session: Session, ticket: number): void {
    if (ticket !== this.generation) return;
    if (this.sessions.size >= this.max) this.sessions.clear();
    this.sessions.set(tokenHash, session);
  }

  clear(): void {
    this.sessions.clear();
    this.generation += 1;
  }

  private sync(): void {
    const version = this.dataVersion();
    if (version !== this.version) {
      if (this.version !== undefined) this.clear();
      this.version = version;
    }
  }
}
