import { z } from 'zod';
import { roleSchema, type TokenInfo, type UserInfo } from '@metalyard/domain';

export const userSchema = z.object({ username: z.string(), role: roleSchema, createdAt: z.string() });
export const toUserView = (user: UserInfo) => ({ username: user.username, role: user.role, createdAt: user.createdAt.toISOString() });

export const loginOutputSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: z.object({ username: z.string(), role: roleSchema }),
});
export const meOutputSchema = z.object({ username: z.string(), role: roleSchema });

export const tokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  /** Whether this is the token the request came with. */
  current: z.boolean(),
});
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
export const revokedOutputSchema = z.object({ revoked: z.boolean() });

export const toTokenView = (token: TokenInfo, currentId: number) => ({
  id: token.id,
  name: token.name,
  createdAt: token.createdAt.toISOString(),
  expiresAt: token.expiresAt?.toISOString() ?? null,
  current: token.id === currentId,
});

export const deletedOutputSchema = z.object({ deleted: z.string() });
