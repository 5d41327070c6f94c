import type { NodeStatus } from './status.js';
import type { AcquireConstraints, EnlistInput, ListNodesInput, PowerParameters } from './schemas.js';
import type { Architecture, PowerType } from './architecture.js';

export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  role: Role;
}

/** Who asks: a signed-in user, or an anonymous caller known by its address. */
export type Actor = { kind: 'user'; user: User } | { kind: 'anonymous'; address: string };

/** The name an event records for an actor. */
export function actorName(actor: Actor): string {
  return actor.kind === 'user' ? actor.user.username : `anonymous@${actor.address}`;
}

/** A node as the store holds it, power parameters in full. The API decides what a caller may see. */
export interface NodeRecord {
  systemId: string;
  hostname: string;
  status: NodeStatus;
  architecture: Architecture;
  macAddresses: string[];
  powerType: PowerType;
  powerParameters: PowerParameters;
  owner: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NodePage {
  items: NodeRecord[];
  nextCursor: string | null;
}

/** What the API needs from persistence for nodes. Every method runs in one transaction. */
export interface NodeStore {
  /** Creates a node in `initialStatus`, or applies the re-enlistment rules when one of its MACs is known. */
  enlist(input: EnlistInput, actor: Actor, trusted: boolean): Promise<NodeRecord>;
  get(systemId: string): Promise<NodeRecord>;
  list(query: ListNodesInput): Promise<NodePage>;
  accept(systemIds: string[], actor: Actor): Promise<string[]>;
  acquire(constraints: AcquireConstraints, actor: Actor & { kind: 'user' }): Promise<NodeRecord>;
  release(systemId: string, actor: Actor & { kind: 'user' }): Promise<NodeRecord>;
}

export interface IssuedToken {
  /** The secret, shown once; only its hash is stored. */
  token: string;
  id: number;
}

/** What the API needs from persistence for users and tokens. */
export interface AuthStore {
  /** The user a bearer token belongs to, or null when it is unknown, revoked or expired. */
  authenticate(token: string): Promise<User | null>;
  createUser(username: string, role: Role): Promise<User>;
  findUser(username: string): Promise<User | null>;
  issueToken(userId: number, name: string): Promise<IssuedToken>;
  /** Makes a given token authenticate as the user (for the bootstrap token); idempotent. */
  ensureToken(userId: number, token: string, name: string): Promise<void>;
  revokeToken(userId: number, tokenId: number): Promise<boolean>;
}
