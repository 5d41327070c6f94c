import { z } from 'zod';
import { ROLES, USERNAME_PATTERN, USERNAME_RULE } from '../values/roles.js';
import { text } from './common.js';

export const usernameSchema = z.string({ error: 'must be a string' }).regex(USERNAME_PATTERN, USERNAME_RULE);
export const passwordSchema = text(1024, 'must be at most 1024 characters').pipe(z.string().min(12, 'must be at least 12 characters'));
export const roleSchema = z.enum(ROLES, { error: "must be 'admin' or 'user'" });

export const createUserInputSchema = z.strictObject({
  username: usernameSchema,
  role: roleSchema.default('user'),
  password: passwordSchema.optional(),
});
export const updateUserInputSchema = z.strictObject({
  username: usernameSchema,
  role: roleSchema.optional(),
  password: passwordSchema.optional(),
});
export type UserChanges = z.output<typeof updateUserInputSchema>;
export const usernameInputSchema = z.strictObject({ username: usernameSchema });

export const loginInputSchema = z.strictObject({ username: text(64), password: text(1024) });
