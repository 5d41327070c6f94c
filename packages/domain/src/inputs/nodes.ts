import { z } from 'zod';
import { NODE_STATUSES } from '../lifecycle/status.js';
import {
  architectureSchema,
  commentSchema,
  cursorSchema,
  hostnameSchema,
  labelNameSchema,
  macAddressSchema,
  nodeStatusSchema,
  pageLimitSchema,
  powerTypeSchema,
  systemIdSchema,
  text,
} from './common.js';
import { checkPowerParameters, powerParametersSchema } from './power.js';

export const MAX_MACS_PER_NODE = 64;
export const MAX_ANNOTATIONS = 64;

export const enlistInputSchema = z
  .strictObject(
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
  )
  .superRefine((input, ctx) => checkPowerParameters(input.powerType, input.powerParameters, ctx));
export type EnlistInput = z.output<typeof enlistInputSchema>;

export const getNodeInputSchema = z.strictObject({ systemId: systemIdSchema });

export const listNodesInputSchema = z
  .strictObject({
    status: nodeStatusSchema.optional(),
    statuses: z.array(nodeStatusSchema).max(NODE_STATUSES.length).optional(),
    architecture: architectureSchema.optional(),
    tag: labelNameSchema.optional(),
    zone: labelNameSchema.optional(),
    pool: labelNameSchema.optional(),
    owner: text(64).optional(),
    hostnamePrefix: text(253)
      .transform((value) => value.trim().toLowerCase())
      .optional(),
    mac: macAddressSchema.optional(),
    limit: pageLimitSchema,
    cursor: cursorSchema.nullish(),
  })
  .default({ limit: 100 });
export type ListNodesInput = z.output<typeof listNodesInputSchema>;

/** accept: `systemIds`, or one node as `systemId`. */
export const acceptInputSchema = z
  .strictObject({
    systemIds: z.array(systemIdSchema).min(1, 'must name at least one node').max(1000, 'may name at most 1000 nodes').optional(),
    systemId: systemIdSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.systemIds === undefined) === (input.systemId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['systemIds'], message: 'name the nodes as systemIds, or one node as systemId' });
    }
  });

/** The nodes an accept names. */
export function acceptedIds(input: z.output<typeof acceptInputSchema>): string[] {
  return input.systemIds ?? [input.systemId!];
}

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

export const releaseInputSchema = z.strictObject({ systemId: systemIdSchema, comment: text(1000).optional() });

/**
 * A disk image is a raw file `NAME.img` or `NAME.raw` in the images folder; its name is NAME
 * (letters, digits, ._+-; no folders). Where a name is asked for, the file name works too.
 */
export const IMAGE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,123}$/;
export const IMAGE_FILE_PATTERN = /^([A-Za-z0-9][A-Za-z0-9._+-]{0,123})\.(img|raw)$/;
export const IMAGE_EXTENSIONS = ['img', 'raw'] as const;

/** The image name a name or file name stands for (`debian-12.img` → `debian-12`), or null when it is neither. */
export function imageNameOf(value: string): string | null {
  const file = IMAGE_FILE_PATTERN.exec(value);
  if (file) return file[1]!;
  return IMAGE_NAME_PATTERN.test(value) ? value : null;
}

export const imageNameSchema = z.string({ error: 'must be a string' }).transform((value, ctx) => {
  const name = imageNameOf(value);
  if (name === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be an image name (letters, digits, ._+-; no folders), or its file name NAME.img or NAME.raw',
    });
    return z.NEVER;
  }
  return name;
});

/** deploy: the node, and the image to write (default: the server's default image). */
export const deployInputSchema = z.strictObject({
  systemId: systemIdSchema,
  image: imageNameSchema.optional(),
  comment: commentSchema.optional(),
});
export type DeployInput = z.output<typeof deployInputSchema>;

/** Input of the node actions that take only a node and an optional comment. */
export const nodeActionInputSchema = z.strictObject({ systemId: systemIdSchema, comment: commentSchema.optional() });
export const markBrokenInputSchema = z.strictObject({
  systemId: systemIdSchema,
  comment: commentSchema.pipe(z.string().min(1, 'say why the node is broken')),
});

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
    .record(z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/i, 'keys are 1-64 letters, digits, _ . : -'), text(4096).nullable())
    .refine((record) => Object.keys(record).length <= MAX_ANNOTATIONS, `may hold at most ${MAX_ANNOTATIONS} keys`),
});
