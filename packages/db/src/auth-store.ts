import { createHash, randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sqlite';
import { ConflictError, type AuthStore, type IssuedToken, type Role, type User } from '@metalyard/domain';
import { ApiTokenEntity, UserEntity, type UserRow } from './entities/index.js';
import { asConflict } from './errors.js';

export const TOKEN_PREFIX = 'mly_';

/** Tokens are random (32 bytes) so a fast hash is enough: only SHA-256 digests are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, role: row.role });

export class SqlAuthStore implements AuthStore {
  constructor(private readonly orm: MikroORM) {}

  async authenticate(token: string): Promise<User | null> {
    const em = this.orm.em.fork();
    const row = await em.findOne(
      ApiTokenEntity,
      { tokenHash: hashToken(token), revokedAt: null },
      { populate: ['user'], fields: ['expiresAt', 'user.id', 'user.username', 'user.role'] as never },
    );
    if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
    return toUser(row.user as UserRow);
  }

  async createUser(username: string, role: Role): Promise<User> {
    const em = this.orm.em.fork();
    try {
      const id = await em.insert(UserEntity, { username, role, passwordHash: null, createdAt: new Date() });
      return { id: Number(id), username, role };
    } catch (error) {
      throw asConflict(error, `user '${username}' already exists`);
    }
  }

  async findUser(username: string): Promise<User | null> {
    const row = await this.orm.em.fork().findOne(UserEntity, { username });
    return row ? toUser(row) : null;
  }

  async issueToken(userId: number, name: string): Promise<IssuedToken> {
    const token = generateToken();
    const id = await this.orm.em
      .fork()
      .insert(ApiTokenEntity, { user: userId, name, tokenHash: hashToken(token), createdAt: new Date() });
    return { token, id: Number(id) };
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
