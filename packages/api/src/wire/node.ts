import { z } from 'zod';
import {
  POWER_STATES,
  agentStepSchema,
  architectureSchema,
  hardwareSchema,
  nodeStatusSchema,
  powerTypeSchema,
  redactPowerParameters,
  type NodeChange,
  type NodeRecord,
  type User,
} from '@metalyard/domain';

/** A node as the API returns it: dates as ISO strings, power parameters for admins only, secrets masked. */
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
  /** What the BMC said last: on, off, or unknown (never asked, no BMC to ask, or it did not answer). */
  powerState: z.enum(POWER_STATES),
  /** When a BMC last told the power state; null when none has. */
  powerStateCheckedAt: z.string().nullable(),
  /** The machine agent's last heartbeat: its step, its phase, when; null until one came. */
  agent: z.object({ step: agentStepSchema, message: z.string(), at: z.string() }).nullable(),
  /** The disk image the last deployment writes (or wrote); null before any. */
  image: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Node = z.infer<typeof nodeSchema>;

/** A node, with the per-node token when the call just started commissioning or deployment (shown once). */
export const nodeWithMachineTokenSchema = nodeSchema.extend({ machineToken: z.string().optional() });

export const statusCountsSchema = z.record(nodeStatusSchema, z.number().int());
export const nodePageSchema = z.object({
  items: z.array(nodeSchema),
  nextCursor: z.string().nullable(),
  /** Nodes per status under the same filters but the status ones, for filter chips. */
  counts: statusCountsSchema,
});

export const acceptOutputSchema = z.object({
  accepted: z.array(z.string()),
  /** With commissioning on: each accepted node's per-node token, shown once. */
  machineTokens: z.record(z.string(), z.string()).optional(),
});
export const deleteOutputSchema = z.object({ deleted: z.string() });
export const machineReportOutputSchema = z.object({ systemId: z.string(), status: nodeStatusSchema });

/** What a viewer may see of a node: power parameters only for admins, with secrets masked. */
export function toNodeView(record: NodeRecord, viewer: User | null): Node {
  const view: Node = {
    systemId: record.systemId,
    hostname: record.hostname,
    status: record.status,
    architecture: record.architecture,
    macAddresses: record.macAddresses,
    powerType: record.powerType,
    owner: record.owner,
    zone: record.zone,
    pool: record.pool,
    tags: record.tags,
    hardware: record.hardware,
    annotations: record.annotations,
    statusMessage: record.statusMessage,
    powerState: record.powerState,
    powerStateCheckedAt: record.powerStateCheckedAt?.toISOString() ?? null,
    agent: record.agent ? { step: record.agent.step, message: record.agent.message, at: record.agent.at.toISOString() } : null,
    image: record.image,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
  if (viewer?.role === 'admin') view.powerParameters = redactPowerParameters(record.powerParameters);
  return view;
}

/** A node change as returned: the node, plus the per-node token when one was just issued. */
export function toNodeChangeView(change: NodeChange, viewer: User | null): Node & { machineToken?: string } {
  const view = toNodeView(change.node, viewer);
  return change.machineToken ? { ...view, machineToken: change.machineToken } : view;
}
