import type { NodeStatus } from './lifecycle/status.js';
import type { AgentStep } from './lifecycle/effects.js';
import type { Architecture, PowerType } from './values/architecture.js';
import type { Role } from './values/roles.js';
import type { Hardware, PowerParameters, StatusCounts } from './inputs/index.js';

/**
 * The domain's records: what the use cases read and write through the ports. Dates are Dates;
 * the API turns records into wire views (ISO strings, secrets masked) in packages/api/src/wire.
 */

export interface User {
  id: number;
  username: string;
  role: Role;
}

export interface UserInfo extends User {
  createdAt: Date;
}

/** Who asks: a signed-in user, an anonymous caller known by its address, a machine with its node token, or the server. */
export type Actor =
  | { kind: 'user'; user: User }
  | { kind: 'anonymous'; address: string }
  | { kind: 'machine'; systemId: string }
  | { kind: 'system'; task: string };
export type UserActor = Actor & { kind: 'user' };

/** The name an event records for an actor. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.user.username;
    case 'anonymous':
      return `anonymous@${actor.address}`;
    case 'machine':
      return `machine:${actor.systemId}`;
    case 'system':
      return `system:${actor.task}`;
  }
}

/** A node as stored, power parameters in full. `id` is the storage key; the API never shows it. */
export interface NodeRecord {
  id: number;
  systemId: string;
  hostname: string;
  status: NodeStatus;
  architecture: Architecture;
  macAddresses: string[];
  powerType: PowerType;
  powerParameters: PowerParameters;
  owner: string | null;
  zone: string | null;
  pool: string | null;
  tags: string[];
  hardware: Hardware | null;
  annotations: Record<string, string>;
  statusMessage: string | null;
  /** What the BMC said last, and when; `unknown` until asked (and always for `manual`). */
  powerState: PowerState;
  powerStateCheckedAt: Date | null;
  /** The machine agent's last heartbeat (its step, its phase, when), kept after the step ends; null until one came. */
  agent: AgentProgress | null;
  /** The disk image the last deployment wrote (or writes); null before any. */
  image: string | null;
  /** When the agent's token was handed out by machine.lookup in the current status; null: not yet (it is handed out once). */
  agentTokenIssuedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AgentProgress {
  step: AgentStep;
  message: string;
  at: Date;
}

/** A raw disk image the agent can write: its file name, size and SHA-256 (hex). */
export interface DiskImage {
  name: string;
  sizeBytes: number;
  sha256: string;
}

export const POWER_STATES = ['on', 'off', 'unknown'] as const;
export type PowerState = (typeof POWER_STATES)[number];

export interface NodePage {
  items: NodeRecord[];
  nextCursor: string | null;
  counts: StatusCounts;
}

/** A node just moved into a step that expects its machine carries the per-node token, shown once. */
export interface NodeChange {
  node: NodeRecord;
  machineToken?: string;
}

export interface EventRecord {
  id: number;
  systemId: string;
  type: string;
  fromStatus: NodeStatus | null;
  toStatus: NodeStatus | null;
  actor: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

export interface EventPage {
  items: EventRecord[];
  nextCursor: string | null;
}

export interface Label {
  name: string;
  description: string;
  nodeCount: number;
}

export interface TokenInfo {
  id: number;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** A token just issued: the secret is shown once; only its hash is stored. */
export interface IssuedToken extends TokenInfo {
  token: string;
}

/** What a bearer token opens. */
export interface Session {
  user: User;
  tokenId: number;
  expiresAt: Date | null;
}
