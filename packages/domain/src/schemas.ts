import { z } from 'zod';
import { ARCHITECTURES, POWER_TYPES } from './architecture.js';
import { hostnameProblem } from './hostname.js';
import { normalizeMac } from './mac.js';
import { NODE_STATUSES } from './status.js';
import { SYSTEM_ID_PATTERN } from './system-id.js';

export const MAX_MACS_PER_NODE = 64;

export const architectureSchema = z.enum(ARCHITECTURES, {
  error: () => `must be one of ${ARCHITECTURES.join(', ')}`,
});
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

const SECRET_KEY = /pass|secret|token|key/i;
export const REDACTED = '********';

/** Whether a power parameter holds a secret (a BMC password, a key): never returned, never logged. */
export function isSecretParameter(key: string): boolean {
  return SECRET_KEY.test(key);
}

export const powerParametersSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'keys are lowercase identifiers such as address, username, password'),
    z.string({ error: 'values must be strings' }).max(1024, 'values must be at most 1024 characters'),
    // A bad key is reported as the record's own `invalid_key` issue: give it the key schema's message.
    { error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : 'must be an object of string values') },
  )
  .refine((record) => Object.keys(record).length <= 32, 'may hold at most 32 parameters');
export type PowerParameters = z.infer<typeof powerParametersSchema>;

/** Power parameters with every secret replaced by a mask. */
export function redactPowerParameters(parameters: PowerParameters): PowerParameters {
  return Object.fromEntries(
    Object.entries(parameters).map(([key, value]) => [key, isSecretParameter(key) ? REDACTED : value]),
  );
}

export const enlistInputSchema = z.strictObject(
  {
    hostname: hostnameSchema.optional(),
    architecture: architectureSchema,
    macAddresses: z
      .array(macAddressSchema, { error: 'must be a list of MAC addresses' })
      .min(1, 'must hold at least one MAC address')
      .max(MAX_MACS_PER_NODE, `may hold at most ${MAX_MACS_PER_NODE} MAC addresses`)
      .transform((macs) => [...new Set(macs)]),
    powerType: powerTypeSchema.default('manual'),
    powerParameters: powerParametersSchema.default({}),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : 'must be an object') },
);
export type EnlistInput = z.output<typeof enlistInputSchema>;

export const nodeSchema = z.object({
  systemId: z.string(),
  hostname: z.string(),
  status: nodeStatusSchema,
  architecture: architectureSchema,
  macAddresses: z.array(z.string()),
  powerType: powerTypeSchema,
  /** Only for admins, with secrets masked. */
  powerParameters: z.record(z.string(), z.string()).optional(),
  owner: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Node = z.infer<typeof nodeSchema>;

export const getNodeInputSchema = z.strictObject({ systemId: systemIdSchema });

export const cursorSchema = z.string().max(64, 'is not a cursor from a previous page');
export const listNodesInputSchema = z
  .strictObject({
    status: nodeStatusSchema.optional(),
    limit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
    cursor: cursorSchema.nullish(),
  })
  .default({ limit: 100 });
export type ListNodesInput = z.output<typeof listNodesInputSchema>;
export const nodePageSchema = z.object({ items: z.array(nodeSchema), nextCursor: z.string().nullable() });

export const acceptInputSchema = z.strictObject({
  systemIds: z.array(systemIdSchema).min(1, 'must name at least one node').max(1000, 'may name at most 1000 nodes'),
});
export const acceptOutputSchema = z.object({ accepted: z.array(z.string()) });

export const acquireInputSchema = z
  .strictObject({ systemId: systemIdSchema.optional(), architecture: architectureSchema.optional() })
  .default({});
export type AcquireConstraints = z.output<typeof acquireInputSchema>;

export const releaseInputSchema = z.strictObject({ systemId: systemIdSchema });
