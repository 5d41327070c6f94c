import type { NodeStatus } from './status.js';
import type {
  AcquireConstraints,
  CommissioningReport,
  DeploymentReport,
  EnlistInput,
  Hardware,
  Label,
  LabelKind,
  ListEventsInput,
  ListNodesInput,
  NodeUpdate,
  PowerParameters,
  StatusCounts,
} from './schemas.js';
import type { Architecture, PowerType } from './architecture.js';
import type { NodeAction } from './transitions.js';

export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  role: Role;
}

/** Who asks: a signed-in user, an anonymous caller known by its address, or a machine with its node token. */
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
  zone: string | null;
  pool: string | null;
  tags: string[];
  hardware: Hardware | null;
  annotations: Record<string, string>;
  statusMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NodePage {
  items: NodeRecord[];
  nextCursor: string | null;
  counts: StatusCounts;
}

/** A node just moved into commissioning or deployment carries the per-node token, shown once. */
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

/** The person-started node actions that `NodeStore.act` performs (acquire, accept, delete have their own). */
export type SimpleNodeAction = Extract<NodeAction, 'commission' | 'abort' | 'deploy' | 'release' | 'markBroken' | 'markFixed' | 'retire'>;

/** What the API needs from persistence for nodes. Every method runs in one transaction. */
export interface NodeStore {
  /** Creates a node (declared, or ready/commissioning when trusted), or applies the re-enlistment rules. */
  enlist(input: EnlistInput, actor: Actor, trusted: boolean): Promise<NodeChange>;
  get(systemId: string): Promise<NodeRecord>;
  list(query: ListNodesInput): Promise<NodePage>;
  /** declared → ready (or commissioning), all or nothing; returns the accepted ids and their node tokens. */
  accept(systemIds: string[] | 'all', actor: UserActor): Promise<{ accepted: string[]; machineTokens: Record<string, string> }>;
  acquire(constraints: AcquireConstraints, actor: UserActor): Promise<NodeRecord>;
  act(systemId: string, action: SimpleNodeAction, actor: UserActor, comment?: string): Promise<NodeChange>;
  delete(systemId: string, actor: UserActor): Promise<void>;
  update(change: NodeUpdate, actor: UserActor): Promise<NodeRecord>;
  annotate(systemId: string, annotations: Record<string, string | null>, actor: UserActor): Promise<NodeRecord>;
  /** A machine's reports, authenticated by its per-node token. */
  reportCommissioning(token: string, report: CommissioningReport): Promise<NodeRecord>;
  reportDeployment(token: string, report: DeploymentReport): Promise<NodeRecord>;
  /** The server's periodic work: commissioning timeouts and finished erases. Returns how many nodes moved. */
  sweep(now?: Date): Promise<number>;
}

export interface EventStore {
  list(query: ListEventsInput): Promise<EventPage>;
  /** Records an event that is not a status change (a failed authentication on a node, say). */
  record(systemId: string, type: string, actor: Actor, details?: Record<string, unknown>): Promise<void>;
  /** Calls `listener` with every event after its transaction commits; returns the unsubscribe function. */
  subscribe(listener: (event: EventRecord) => void): () => void;
}

export interface LabelStore {
  list(kind: LabelKind): Promise<Label[]>;
  create(kind: LabelKind, name: string, description: string): Promise<Label>;
  update(kind: LabelKind, name: string, changes: { newName?: string | undefined; description?: string | undefined }): Promise<Label>;
  delete(kind: LabelKind, name: string): Promise<void>;
}

export interface IssuedToken {
  /** The secret, shown once; only its hash is stored. */
  token: string;
  id: number;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface TokenInfo {
  id: number;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface Session {
  user: User;
  tokenId: number;
}

export interface UserInfo extends User {
  createdAt: Date;
}

/** What the API needs from persistence for users and tokens. */
export interface AuthStore {
  /** The session a bearer token opens, or null when it is unknown, revoked or expired. */
  authenticate(token: string): Promise<Session | null>;
  /** The user whose password this is, or null (in constant time whether or not the user exists). */
  verifyPassword(username: string, password: string): Promise<User | null>;
  createUser(username: string, role: Role, password?: string): Promise<UserInfo>;
  updateUser(username: string, changes: { role?: Role | undefined; password?: string | undefined }): Promise<UserInfo>;
  deleteUser(username: string): Promise<void>;
  listUsers(): Promise<UserInfo[]>;
  findUser(username: string): Promise<User | null>;
  issueToken(userId: number, name: string, expiresAt?: Date | null): Promise<IssuedToken>;
  listTokens(userId: number): Promise<TokenInfo[]>;
  /** Makes a given token authenticate as the user (for the bootstrap token); idempotent. */
  ensureToken(userId: number, token: string, name: string): Promise<void>;
  revokeToken(userId: number, tokenId: number): Promise<boolean>;
}
