import { z } from 'zod';
import { ARCHITECTURES, POWER_TYPES } from './architecture.js';
import { hostnameProblem } from './hostname.js';
import { normalizeMac } from './mac.js';
import { NODE_STATUSES } from './status.js';
import { SYSTEM_ID_PATTERN } from './system-id.js';
export { REDACTED, isSecretParameter, redactPowerParameters } from './secrets.js';

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


export const powerParametersSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'keys are lowercase identifiers such as address, username, password'),
    z.string({ error: 'values must be strings' }).max(1024, 'values must be at most 1024 characters'),
    // A bad key is reported as the record's own `invalid_key` issue: give it the key schema's message.
    { error: (issue) => (issue.code === 'invalid_key' ? issue.issues[0]?.message : 'must be an object of string values') },
  )
  .refine((record) => Object.keys(record).length <= 32, 'may hold at most 32 parameters');
export type PowerParameters = z.infer<typeof powerParametersSchema>;


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

export const labelNameSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'must be 1-64 letters, digits, _ . - (starting with a letter or digit)');

export const hardwareSchema = z.strictObject({
  cpuCount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(65_536),
  memoryMb: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1 << 30),
  storage: z
    .array(z.strictObject({ name: z.string().min(1).max(64), sizeGb: z.number().nonnegative().max(1e9) }))
    .max(256)
    .default([]),
  nics: z
    .array(z.strictObject({ name: z.string().min(1).max(64), mac: macAddressSchema, speedMbps: z.number().int().nonnegative().optional() }))
    .max(MAX_MACS_PER_NODE)
    .default([]),
});
export type Hardware = z.output<typeof hardwareSchema>;

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
  zone: z.string().nullable(),
  pool: z.string().nullable(),
  tags: z.array(z.string()),
  /** What commissioning found; null until it has run. */
  hardware: hardwareSchema.nullable(),
  /** The owner's key → value notes; wiped on release. */
  annotations: z.record(z.string(), z.string()),
  /** Why the node is in its status (a failure reason, a broken comment), when there is one. */
  statusMessage: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Node = z.infer<typeof nodeSchema>;

/** A node, with the per-node token when the call just started commissioning or deployment (shown once). */
export const nodeWithMachineTokenSchema = nodeSchema.extend({ machineToken: z.string().optional() });

export const getNodeInputSchema = z.strictObject({ systemId: systemIdSchema });

export const cursorSchema = z.string().max(64, 'is not a cursor from a previous page');
export const pageLimitSchema = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1000, 'must be at most 1000')
  .default(100);

export const listNodesInputSchema = z
  .strictObject({
    status: nodeStatusSchema.optional(),
    statuses: z.array(nodeStatusSchema).max(NODE_STATUSES.length).optional(),
    architecture: architectureSchema.optional(),
    tag: labelNameSchema.optional(),
    zone: labelNameSchema.optional(),
    pool: labelNameSchema.optional(),
    owner: z.string().max(64).optional(),
    hostnamePrefix: z.string().max(253).transform((value) => value.trim().toLowerCase()).optional(),
    mac: macAddressSchema.optional(),
    limit: pageLimitSchema,
    cursor: cursorSchema.nullish(),
  })
  .default({ limit: 100 });
export type ListNodesInput = z.output<typeof listNodesInputSchema>;
export const statusCountsSchema = z.record(nodeStatusSchema, z.number().int());
export type StatusCounts = z.infer<typeof statusCountsSchema>;
export const nodePageSchema = z.object({
  items: z.array(nodeSchema),
  nextCursor: z.string().nullable(),
  /** Nodes per status under the same filters but the status ones, for filter chips. */
  counts: statusCountsSchema,
});

export const acceptInputSchema = z.strictObject({
  systemIds: z.array(systemIdSchema).min(1, 'must name at least one node').max(1000, 'may name at most 1000 nodes'),
});
export const acceptOutputSchema = z.object({
  accepted: z.array(z.string()),
  /** With commissioning on: each accepted node's per-node token, shown once. */
  machineTokens: z.record(z.string(), z.string()).optional(),
});

const oneOrMany = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.array(schema).min(1).max(32)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);

export const acquireInputSchema = z
  .strictObject({
    systemId: systemIdSchema.optional(),
    hostname: hostnameSchema.optional(),
    architecture: oneOrMany(architectureSchema).optional(),
    minCpu: z.number().int('must be a whole number').min(1).optional(),
    minMemoryMb: z.number().int('must be a whole number').min(1).optional(),
    tags: z.array(labelNameSchema).max(32).optional(),
    notTags: z.array(labelNameSchema).max(32).optional(),
    zone: labelNameSchema.optional(),
    notInZone: oneOrMany(labelNameSchema).optional(),
    pool: labelNameSchema.optional(),
  })
  .default({});
export type AcquireConstraints = z.output<typeof acquireInputSchema>;

export const releaseInputSchema = z.strictObject({ systemId: systemIdSchema, comment: z.string().max(1000).optional() });

/** Input of the node actions that take only a node and an optional comment. */
export const nodeActionInputSchema = z.strictObject({
  systemId: systemIdSchema,
  comment: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
});
export const markBrokenInputSchema = z.strictObject({
  systemId: systemIdSchema,
  comment: z.string().trim().min(1, 'say why the node is broken').max(1000, 'must be at most 1000 characters'),
});
export const deleteOutputSchema = z.object({ deleted: z.string() });

export const updateNodeInputSchema = z.strictObject({
  systemId: systemIdSchema,
  hostname: hostnameSchema.optional(),
  powerType: powerTypeSchema.optional(),
  powerParameters: powerParametersSchema.optional(),
  zone: labelNameSchema.nullable().optional(),
  pool: labelNameSchema.nullable().optional(),
  tags: z.array(labelNameSchema).max(64).optional(),
});
export type NodeUpdate = z.output<typeof updateNodeInputSchema>;

export const annotationsInputSchema = z.strictObject({
  systemId: systemIdSchema,
  /** key → value to set, or null to remove the key. */
  annotations: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/i, 'keys are 1-64 letters, digits, _ . : -'), z.string().max(4096).nullable())
    .refine((record) => Object.keys(record).length <= 64, 'may hold at most 64 keys'),
});

export const commissioningReportSchema = z
  .strictObject({
    systemId: systemIdSchema,
    result: z.enum(['passed', 'failed'], { error: "must be 'passed' or 'failed'" }),
    hardware: hardwareSchema.optional(),
    tests: z
      .array(z.strictObject({ name: z.string().min(1).max(128), passed: z.boolean(), output: z.string().max(8192).optional() }))
      .max(256)
      .default([]),
    reason: z.string().max(2000).optional(),
  })
  .superRefine((report, ctx) => {
    if (report.result === 'passed' && !report.hardware) {
      ctx.addIssue({ code: 'custom', path: ['hardware'], message: 'a passing report must include the hardware' });
    }
    if (report.result === 'passed' && report.tests.some((test) => !test.passed)) {
      ctx.addIssue({ code: 'custom', path: ['tests'], message: 'a passing report cannot hold failing tests' });
    }
  });
export type CommissioningReport = z.output<typeof commissioningReportSchema>;

export const deploymentReportSchema = z.strictObject({
  systemId: systemIdSchema,
  result: z.enum(['passed', 'failed'], { error: "must be 'passed' or 'failed'" }),
  reason: z.string().max(2000).optional(),
});
export type DeploymentReport = z.output<typeof deploymentReportSchema>;
export const machineReportOutputSchema = z.object({ systemId: z.string(), status: nodeStatusSchema });

export const labelKindSchema = z.enum(['tag', 'zone', 'pool']);
export type LabelKind = z.infer<typeof labelKindSchema>;
export const labelSchema = z.object({ name: z.string(), description: z.string(), nodeCount: z.number().int() });
export type Label = z.infer<typeof labelSchema>;
export const createLabelInputSchema = z.strictObject({ name: labelNameSchema, description: z.string().max(1000).default('') });
export const updateLabelInputSchema = z.strictObject({
  name: labelNameSchema,
  newName: labelNameSchema.optional(),
  description: z.string().max(1000).optional(),
});
export const deleteLabelInputSchema = z.strictObject({ name: labelNameSchema });

export const eventSchema = z.object({
  id: z.number().int(),
  systemId: z.string(),
  type: z.string(),
  fromStatus: nodeStatusSchema.nullable(),
  toStatus: nodeStatusSchema.nullable(),
  actor: z.string(),
  /** A comment, a reason, the fields an update changed; never a secret. */
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});
export type NodeEvent = z.infer<typeof eventSchema>;
export const listEventsInputSchema = z
  .strictObject({
    systemId: systemIdSchema.optional(),
    actor: z.string().max(128).optional(),
    type: z.string().max(32).optional(),
    since: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    /** Only events after this id (what a client last saw). */
    afterId: z.number().int().nonnegative().optional(),
    limit: pageLimitSchema,
    cursor: cursorSchema.nullish(),
  })
  .default({ limit: 100 });
export type ListEventsInput = z.output<typeof listEventsInputSchema>;
export const eventPageSchema = z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() });
export const eventSubscriptionInputSchema = z
  .strictObject({
    systemId: systemIdSchema.optional(),
    /** Resume after this event id: tRPC's SSE link sends the last id it saw when it reconnects. */
    lastEventId: z.string().regex(/^\d{1,15}$/, 'must be an event id').nullish(),
  })
  .default({});

export const usernameSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[a-z][a-z0-9_.-]{0,63}$/i, 'must start with a letter and hold up to 64 letters, digits, _ . -');
export const passwordSchema = z
  .string({ error: 'must be a string' })
  .min(12, 'must be at least 12 characters')
  .max(1024, 'must be at most 1024 characters');
export const roleSchema = z.enum(['admin', 'user'], { error: "must be 'admin' or 'user'" });
export const userSchema = z.object({ username: z.string(), role: roleSchema, createdAt: z.string() });
export const createUserInputSchema = z.strictObject({ username: usernameSchema, role: roleSchema.default('user'), password: passwordSchema.optional() });
export const updateUserInputSchema = z.strictObject({ username: usernameSchema, role: roleSchema.optional(), password: passwordSchema.optional() });
export const usernameInputSchema = z.strictObject({ username: usernameSchema });

export const loginInputSchema = z.strictObject({ username: z.string().max(64), password: z.string().max(1024) });
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
export const createTokenInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(128),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
export const revokeTokenInputSchema = z.strictObject({ id: z.number().int().positive() });
export const revokedOutputSchema = z.object({ revoked: z.boolean() });
