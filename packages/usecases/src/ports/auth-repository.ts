import type { Role, Session, TokenInfo, User, UserInfo } from '@metalyard/domain';

export interface StoredUser extends UserInfo {
  passwordHash: string | null;
}

export interface NewToken {
  userId: number;
  name: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** Users and their API tokens. Tokens are stored only as hashes. */
export interface AuthRepository {
  /** The session a token hash opens: unrevoked, with its user and expiry (the caller checks the time). */
  findSession(tokenHash: string): Promise<Session | null>;
  findUser(username: string): Promise<StoredUser | null>;
  listUsers(): Promise<UserInfo[]>;
  /** Throws DuplicateKeyError when the username is taken. */
  insertUser(user: { username: string; role: Role; passwordHash: string | null; createdAt: Date }): Promise<UserInfo>;
  updateUser(id: number, changes: { role?: Role; passwordHash?: string }): Promise<void>;
  deleteUser(id: number): Promise<void>;
  countOwnedNodes(userId: number): Promise<number>;

  insertToken(token: NewToken): Promise<number>;
  /** The token with this hash, revoked or not. */
  findToken(tokenHash: string): Promise<{ id: number; userId: number; revoked: boolean } | null>;
  /** Tokens of the user that are neither revoked nor expired at `now`. */
  listTokens(userId: number, now: Date): Promise<TokenInfo[]>;
  /** Revokes one of the user's tokens; false when it is not theirs or already revoked. */
  revokeToken(userId: number, tokenId: number, at: Date): Promise<boolean>;
  restoreToken(tokenId: number): Promise<void>;
}

export type { User };
