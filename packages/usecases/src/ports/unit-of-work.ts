import type { AuthRepository } from './auth-repository.js';
import type { EventLog } from './event-log.js';
import type { LabelRepository } from './label-repository.js';
import type { NodeRepository } from './node-repository.js';

/** The repositories, all bound to one transaction (or, for reads, to none). */
export interface Repositories {
  nodes: NodeRepository;
  events: EventLog;
  auth: AuthRepository;
  labels: LabelRepository;
}

/** Repositories inside a transaction, which can nest a savepoint. */
export interface Transaction extends Repositories {
  /** Runs `work` in a savepoint: when it throws, its writes and events are undone and the transaction goes on. */
  savepoint<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs `task` once the transaction has committed (never when it rolls back): work that must not hold it open. */
  afterCommit(task: () => void): void;
}

/**
 * The one way use cases touch storage. `transaction` runs its work atomically and publishes the
 * events it appended once the commit is done; a transaction the database picked as a deadlock
 * victim did nothing and runs again (a few times at most). `read` runs read-only work on
 * committed data without opening a transaction.
 */
export interface UnitOfWork {
  /**
   * True when transactions run one at a time (SQLite's one connection): writes that arrive together
   * are then best committed together. False when several run at once (PostgreSQL's pool).
   */
  readonly serialWrites: boolean;
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}
