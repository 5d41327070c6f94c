import type { EntityManager } from '@mikro-orm/core';
import type { Role, Session, TokenInfo, UserInfo } from '@metalyard/domain';
import type { AuthRepository, NewToken, StoredUser } from '@metalyard/usecases';
import { ApiTokenEntity, UserEntity, type ApiTokenRow, type UserRow } from '../entities/index.js';
import { translateDatabaseError } from '../errors.js';
import { sqlOf } from '../queries/sql.js';
import { TABLES as T } from '../queries/tables.js';
import { dateValue } from '../queries/values.js';
import type { SessionCache } from './session-cache.js';

const toUserInfo = (row: UserRow): UserInfo => ({ id: row.id, username: row.username, role: row.role, createdAt: row.createdAt });
const toTokenInfo = (row: ApiTokenRow): TokenInfo => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt ?? null,
});

/** Users and tokens through MikroORM's entity manager; the per-request token lookup is one plain statement. */
export class SqlAuthRepository implements AuthRepository {
  constructor(
    private readonly em: EntityManager,
    /** SQLite: the sessions already looked up (session-cache.ts); PostgreSQL: none. */
    private readonly cache: SessionCache | null = null,
  ) {}

  /**
   * Every authenticated request asks this: from the session cache, else one statement on the
   * token_hash index, no entities. (Inside a transaction the cache is neither read nor filled.)
   */
  async findSession(tokenHash: string): Promise<Session | null> {
    const cache = this.em.getTransactionContext() === undefined ? this.cache : null;
    const kept = cache?.get(tokenHash);
    if (kept) return kept;
    const ticket = cache?.ticket() ?? 0;
    const session = await this.readSession(tokenHash);
    if (session) cache?.set(tokenHash, session, ticket);
    return session;
  }

  private async readSession(tokenHash: string): Promise<Session | null> {
    const [row] = await sqlOf(this.em).all<{ token_id: number; expires_at: unknown; user_id: number; username: string; role: Role }>(
      `select t.id as token_id, t.expires_at, u.id as user_id, u.username, u.role from ${T.apiToken} t join ${T.user} u on u.id = t.user_id ` +
        'where t.token_hash = ? and t.revoked_at is null',
      [tokenHash],
    );
    if (!row) return null;
    return {
      user: { id: Number(row.user_id), username: row.username, role: row.role },
      tokenId: Number(row.token_id),
      expiresAt: row.expires_at === null ? null : dateValue(row.expires_at),
    };
  }

  async findUser(username: string): Promise<StoredUser | null> {
    const row = await this.em.findOne(UserEntity, { username });
    return row ? { ...toUserInfo(row), passwordHash: row.passwordHash ?? null } : null;
  }

  async listUsers(): Promise<UserInfo[]> {
    return (await this.em.find(UserEntity, {}, { orderBy: { username: 'asc' } })).map(toUserInfo);
  }

  async insertUser(user: { username: string; role: Role; passwordHash: string | null; createdAt: Date }): Promise<UserInfo> {
    try {
      const id = await this.em.insert(UserEntity, user);
      return { id: Number(id), username: user.username, role: user.role, createdAt: user.createdAt };
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }

  async updateUser(id: number, changes: { role?: Role; passwordHash?: string }): Promise<void> {
    this.cache?.clear();
    await this.em.nativeUpdate(UserEntity, { id }, changes);
  }

  async deleteUser(id: number): Promise<void> {
    this.cache?.clear();
    await this.em.nativeDelete(UserEntity, { id });
  }

  async countOwnedNodes(userId: number): Promise<number> {
    const [row] = await sqlOf(this.em).all<{ n: number | string }>(`select count(*) as n from ${T.node} where owner_id = ?`, [userId]);
    return Number(row?.n ?? 0);
  }

  async insertToken(token: NewToken): Promise<number> {
    const { userId, ...rest } = token;
    return Number(await this.em.insert(ApiTokenEntity, { ...rest, user: userId }));
  }

  async findToken(tokenHash: string): Promise<{ id: number; userId: number; revoked: boolean } | null> {
    const row = await this.em.findOne(ApiTokenEntity, { tokenHash });
    return row ? { id: row.id, userId: (row.user as unknown as { id: number }).id, revoked: row.revokedAt != null } : null;
  }

  async listTokens(userId: number, now: Date): Promise<TokenInfo[]> {
    const rows = await this.em.find(
      ApiTokenEntity,
      { user: userId, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] },
      { orderBy: { id: 'asc' } },
    );
    return rows.map(toTokenInfo);
  }

  async revokeToken(userId: number, tokenId: number, at: Date): Promise<boolean> {
    this.cache?.clear();
    return (await this.em.nativeUpdate(ApiTokenEntity, { id: tokenId, user: userId, revokedAt: null }, { revokedAt: at })) > 0;
  }

  async restoreToken(tokenId: number): Promise<void> {
    this.cache?.clear();
    await this.em.nativeUpdate(ApiTokenEntity, { id: tokenId }, { revokedAt: null });
  }
}
