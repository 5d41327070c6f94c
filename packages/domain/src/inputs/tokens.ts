import { z } from 'zod';
import { text } from './common.js';

export const MAX_TOKEN_DAYS = 3650;

export const createTokenInputSchema = z.strictObject({
  name: text(128)
    .transform((value) => value.trim())
    .pipe(z.string().min(1, 'must not be empty')),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).optional(),
});
export const revokeTokenInputSchema = z.strictObject({ id: z.number().int().positive() });
