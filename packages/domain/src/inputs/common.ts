import { z } from 'zod';
import { NODE_STATUSES } from '../lifecycle/status.js';
import { ARCHITECTURES, POWER_TYPES } from '../values/architecture.js';
import { hostnameProblem } from '../values/hostname.js';
import { normalizeMac } from '../values/mac.js';
import { SYSTEM_ID_PATTERN } from '../values/system-id.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as it is (a NUL byte, half of a surrogate pair), or null. */
export function unstorableText(value: string): string | null {
  if (value.includes('\0')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it holds a lone surrogate)';
  return null;
}

/** A string of at most `max` characters that the database can store as it is. */
export function text(max: number, tooLong = `must be at most ${max} characters`) {
  return z
    .string({ error: 'must be a string' })
    .max(max, tooLong)
    .superRefine((value, ctx) => {
      const problem = unstorableText(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}

export const architectureSchema = z.enum(ARCHITECTURES, { error: () => `must be one of ${ARCHITECTURES.join(', ')}` });
export const powerTypeSchema = z.enum(POWER_TYPES, { error: () => `must be one of ${POWER_TYPES.join(', ')}` });
export const nodeStatusSchema = z.enum(NODE_STATUSES, { error: () => `must be one of ${NODE_STATUSES.join(', ')}` });

export const systemIdSchema = z
  .string({ error: 'must be a string' })
  .regex(SYSTEM_ID_PATTERN, 'must be a system id: 6 characters from a-z and 2-7');

export const macAddressSchema = z
  .string({ error: 'must be a string' })
  .max(32, 'is not a MAC address')
  .transform((value, ctx) => {
    const mac = normalizeMac(value);
    if (mac === null) {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not a MAC address (use aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff)`,
      });
      return z.NEVER;
    }
    return mac;
  });

export const hostnameSchema = z
  .string({ error: 'must be a string' })
  .max(253, 'must be at most 253 characters')
  .transform((value) => value.trim().toLowerCase())
  .superRefine((value, ctx) => {
    const problem = hostnameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid hostname: ${problem}` });
  });

export const labelNameSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'must be 1-64 letters, digits, _ . - (starting with a letter or digit)');

export const cursorSchema = z.string().max(64, 'is not a cursor from a previous page');
export const pageLimitSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1000, 'must be at most 1000')
  .default(100);

/** A free-text comment on an action. */
export const commentSchema = text(1000).transform((value) => value.trim());

/** Input of a procedure that takes nothing. */
export const noInputSchema = z.strictObject({}).optional();
