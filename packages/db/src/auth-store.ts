import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import {
  ConflictError,
  NotFoundError,
  type AuthStore,
  type IssuedToken,
  type Role,
  type Session,
  type TokenInfo,
  type User,
  type UserInfo,
} from '@metalyard/domain';
import { ApiTokenEntity, UserEntity, type ApiTokenRow, type UserRow } from './entities/index.js';
import { asConflict } from './errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { dateValue } from './sql-values.js';

export const TOKEN_PREFIX = 'mly_';

/** Tokens are random (32 bytes) so a fast hash is enough: only SHA-256 digests are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(prefix = TOKEN_PREFIX): string {
  return prefix + randomBytes(32).toString('base64url');
}

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, role: row.role });
const toUserInfo = (row: UserRow): UserInfo => ({ ...toUser(row), createdAt: row.createdAt });
const toTokenInfo = (row: ApiTokenRow): TokenInfo => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt ?? null,
});

export class SqlAuthStore implements AuthStore {
  constructor(private readonly orm: MikroORM) {}

  /** Every authenticated request asks this: one statement on the token_hash index, no entities. */
  async authenticate(token: string): Promise<Session | null> {
    const [row] = await this.orm.em.getConnection().execute<{ token_id: number; expires_at: unknown; user_id: number; username: string; role: Role }[]>(
      'select t.id as token_id, t.expires_at, u.id as user_id, u.username, u.role from api_token t join app_user u on u.id = t.user_id ' +
        'where t.token_hash = ? and t.revoked_at is null',
      [hashToken(token)],
      'all',
    );
    if (!row || (row.expires_at !== null && dateValue(row.expires_at).getTime() <= Date.now())) return null;
    return { user: { id: Number(row.user_id), username: row.username, role: row.role }, tokenId: Number(row.token_id) };
  }

  async verifyPassword(username: string, password: string): Promise<User | null> {
    const row = await this.orm.em.fork().findOne(UserEntity, { username });
    const ok = await verifyPassword(password, row?.passwordHash ?? null);
    return ok && row ? toUser(row) : null;
  }

  async createUser(username: string, role: Role, password?: string): Promise<UserInfo> {
    const em = this.orm.em.fork();
    const createdAt = new Date();
    try {
      const passwordHash = password ? await hashPassword(password) : null;
      const id = await em.insert(UserEntity, { username, role, passwordHash, createdAt });
      return { id: Number(id), username, role, createdAt };
    } catch (error) {
      throw asConflict(error, `user '${username}' already exists`);
    }
  }

  async updateUser(username: string, changes: { role?: Role | undefined; password?: string | undefined }): Promise<UserInfo> {
    const em = this.orm.em.fork();
    const row = await em.findOne(UserEntity, { username });
    if (!row) throw new NotFoundError('user', username);
    if (changes.role) row.role = changes.role;
    if (changes.password) row.passwordHash = await hashPassword(changes.password);
    await em.flush();
    return toUserInfo(row);
  }

  async deleteUser(username: string): Promise<void> {
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      const row = await tx.findOne(UserEntity, { username });
      if (!row) throw new NotFoundError('user', username);
      const held = await tx.getConnection().execute<{ n: number }[]>(
        'select count(*) as n from node where owner_id = ?',
        [row.id],
        'all',
        tx.getTransactionContext(),
      );
      if (Number(held[0]?.n) > 0) throw new ConflictError(`user '${username}' still owns ${held[0]!.n} node(s); release them first`);
      await tx.nativeDelete(UserEntity, { id: row.id });
    });
  }

  async listUsers(): Promise<UserInfo[]> {
    const rows = await this.orm.em.fork().find(UserEntity, {}, { orderBy: { username: 'asc' } });
    return rows.map(toUserInfo);
  }

  async findUser(username: string): Promise<User | null> {
    const row = await this.orm.em.fork().findOne(UserEntity, { username });
    return row ? toUser(row) : null;
  }

  async issueToken(userId: number, name: string, expiresAt: Date | null = null): Promise<IssuedToken> {
    const token = generateToken();
    const createdAt = new Date();
    const id = await this.orm.em
      .fork()
      .insert(ApiTokenEntity, { user: userId, name, tokenHash: hashToken(token), createdAt, expiresAt });
    return { token, id: Number(id), name, createdAt, expiresAt };
  }

  async listTokens(userId: number): Promise<TokenInfo[]> {
    const rows = await this.orm.em.fork().find(
      ApiTokenEntity,
      { user: userId, revokedAt: null, $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] },
      { orderBy: { id: 'asc' } },
    );
    return rows.map(toTokenInfo);
  }

  async ensureToken(userId: number, token: string, name: string): Promise<void> {
    const em = this.orm.em.fork();
    await em.transactional(async (tx) => {
      const tokenHash = hashToken(token);
      const existing = await tx.findOne(ApiTokenEntity, { tokenHash });
      if (!existing) {
        await tx.insert(ApiTokenEntity, { user: userId, name, tokenHash, createdAt: new Date() });
      } else if ((existing.user as unknown as { id: number }).id !== userId) {
        throw new ConflictError('that token already belongs to another user');
      } else if (existing.revokedAt) {
        await tx.nativeUpdate(ApiTokenEntity, { id: existing.id }, { revokedAt: null });
      }
    });
  }

  async revokeToken(userId: number, tokenId: number): Promise<boolean> {
    const affected = await this.orm.em
      .fork()
      .nativeUpdate(ApiTokenEntity, { id: tokenId, user: userId, revokedAt: null }, { revokedAt: new Date() });
    return affected > 0;
  }
}
