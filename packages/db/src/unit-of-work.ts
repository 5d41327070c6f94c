import { DeadlockException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import type { EventRecord } from '@metalyard/domain';
import type { Repositories, Transaction, UnitOfWork } from '@metalyard/usecases';
import type { EventBus } from './events/event-bus.js';
import { SqlAuthRepository } from './repositories/auth-repository.js';
import { SqlEventLog } from './repositories/event-log.js';
import { SqlLabelRepository } from './repositories/label-repository.js';
import { SqlNodeRepository } from './repositories/node-repository.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { CountsCache } from './repositories/counts-cache.js';
import type { SessionCache } from './repositories/session-cache.js';

const MAX_ATTEMPTS = 3;
/** Entity managers kept for reuse (see MikroUnitOfWork.fork): about as many as run at once. */
const MAX_SPARE_FORKS = 32;

/** What a process keeps between requests on SQLite (none on PostgreSQL). */
export interface ReadCaches {
  sessions: SessionCache;
  counts: CountsCache;
}

function repositories(em: EntityManager, secrets: SecretBox, caches: ReadCaches | null, appended?: EventRecord[]): Repositories {
  return {
    nodes: new SqlNodeRepository(em, secrets, caches?.counts ?? null),
    events: new SqlEventLog(em, appended ? (records) => appended.push(...records) : undefined),
    auth: new SqlAuthRepository(em, caches?.sessions ?? null),
    labels: new SqlLabelRepository(em),
  };
}

/**
 * Transactions on MikroORM: one forked entity manager per transaction, begun and committed by hand
 * (em.transactional() would give the same transaction through an AsyncLocalStorage context, which
 * taxes every promise of the request). Events appended inside are published after the commit.
 */
export class MikroUnitOfWork implements UnitOfWork {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    /** The current key's box (a key rotation replaces it). */
    private readonly secrets: () => SecretBox,
    /**
     * SQLite: one connection, so transactions take turns, strictly in the order they asked. (The
     * driver's own connection lock wakes every waiter at once and lets a newcomer that asks in
     * between go first.) PostgreSQL: none; its pool and row locks order the transactions.
     */
    private readonly turns: FifoLock | null = null,
    /** SQLite: sessions and status counts kept between requests. PostgreSQL: none. */
    private readonly caches: ReadCaches | null = null,
  ) {}

  get serialWrites(): boolean {
    return this.turns !== null;
  }

  /**
   * Forks whose work has ended, cleared, for the next one: MikroORM's fork() writes its configuration
   * twice (each write sets an environment variable) and builds a new EntityManager — a few percent of
   * a small request. A cleared fork outside any transaction is as good as a new one.
   */
  private readonly spare: EntityManager[] = [];

  private fork(): EntityManager {
    return this.spare.pop() ?? this.orm.em.fork();
  }

  private recycle(em: EntityManager): void {
    if (em.getTransactionContext() !== undefined || this.spare.length >= MAX_SPARE_FORKS) return;
    em.clear();
    this.spare.push(em);
  }

  /** Transactions begun and not yet ended (closing the database waits for them: idle()). */
  private readonly running = new Set<Promise<unknown>>();

  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const running = this.run(work);
    this.running.add(running);
    const forget = () => void this.running.delete(running);
    running.then(forget, forget);
    return running;
  }

  /**
   * Resolves once no transaction is running, including those a queue starts right after another ends
   * (a write whose client went away is still committed, and its events published, before closing).
   */
  async idle(): Promise<void> {
    do {
      await Promise.allSettled([...this.running]);
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.running.size > 0);
  }

  private async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const appended: EventRecord[] = [];
      const tasks: (() => void)[] = [];
      try {
        const em = this.fork();
        const done = await this.turns?.take();
        let result: T;
        try {
          await em.begin();
          try {
            result = await work(this.bind(em, appended, tasks));
            await em.commit();
          } catch (error) {
            await em.rollback();
            throw error;
          }
        } finally {
          done?.();
          this.recycle(em);
        }
        for (const event of appended) this.bus.publish(event);
        for (const task of tasks) task();
        return result;
      } catch (error) {
        // PostgreSQL may pick this transaction as a deadlock victim: it did nothing, so run it again.
        if (!(error instanceof DeadlockException) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const em = this.fork();
    try {
      return await work(repositories(em, this.secrets(), this.caches));
    } finally {
      this.recycle(em);
    }
  }

  private bind(em: EntityManager, appended: EventRecord[], tasks: (() => void)[]): Transaction {
    return {
      ...repositories(em, this.secrets(), this.caches, appended),
      savepoint: async (work) => {
        const inner: EventRecord[] = [];
        const innerTasks: (() => void)[] = [];
        const result = await em.transactional((nested) => work(this.bind(nested, inner, innerTasks)));
        appended.push(...inner);
        tasks.push(...innerTasks);
        return result;
      },
      afterCommit: (task) => void tasks.push(task),
    };
  }
}

/** A lock handed out strictly in the order it was asked for. */
export class FifoLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  /** Resolves when it is the caller's turn, with the function that ends the turn. */
  take(): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held = false;
    };
    if (!this.held) {
      this.held = true;
      return Promise.resolve(release);
    }
    return new Promise((resolve) => this.waiting.push(() => resolve(release)));
  }
}
