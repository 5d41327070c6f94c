import type {
  AcquireConstraints,
  AgentProgress,
  Hardware,
  ListNodesInput,
  NodePage,
  NodeRecord,
  NodeStatus,
  PowerParameters,
  PowerState,
  PowerType,
  StatusCounts,
} from '@metalyard/domain';

/** A node to insert, with its MAC addresses. */
export type NewNode = Pick<
  NodeRecord,
  'systemId' | 'hostname' | 'status' | 'architecture' | 'macAddresses' | 'powerType' | 'powerParameters' | 'createdAt'
> & {
  statusDeadline: Date | null;
  machineTokenHash: string | null;
};

/** The columns a status change writes, besides the status; absent ones stay as they are. */
export interface StatusChange {
  status: NodeStatus;
  updatedAt: Date;
  statusMessage: string | null;
  statusDeadline: Date | null;
  machineTokenHash: string | null;
  /** The owner's user id; null clears it. */
  ownerId?: number | null;
  annotations?: Record<string, string>;
  hardware?: Hardware | null;
  /** The disk image a deployment writes. */
  image?: string | null;
}

/** Fields a person may edit; zone, pool and tags by name (the caller has checked they exist). */
export interface NodeEdit {
  hostname?: string;
  powerType?: PowerType;
  powerParameters?: PowerParameters;
  zone?: string | null;
  pool?: string | null;
  tags?: string[];
  updatedAt: Date;
}

/**
 * Nodes in storage. Coarse operations, each a fixed number of statements: a batch insert, a
 * compare-and-set of the status, two-statement reads of whole records. Inside a transaction
 * when reached through `UnitOfWork.transaction`.
 */
export interface NodeRepository {
  /** One node, whole (MACs and tags too), or null. */
  get(systemId: string): Promise<NodeRecord | null>;
  /** A page in id order with the counts per status under the same filters (but the status ones). */
  list(query: ListNodesInput): Promise<NodePage>;
  countInStatus(status: NodeStatus): Promise<number>;
  /** Nodes per status, every status named (0 when none): a few index counts. */
  countByStatus(): Promise<StatusCounts>;
  /** The system ids of every node in `status`, oldest first. */
  systemIdsInStatus(status: NodeStatus): Promise<string[]>;
  /** The node a machine token was issued to, if `systemId` is that node. */
  findByMachineToken(systemId: string, tokenHash: string): Promise<NodeRecord | null>;
  /** The node holding this machine token (hashes are unique), whatever its system id. */
  findByMachineTokenHash(tokenHash: string): Promise<NodeRecord | null>;
  /**
   * Hands the agent its token: stores `tokenHash` (voiding any earlier token) and marks the token
   * handed out, if the node is still in `status` and no token was handed out in it yet. False
   * otherwise (another lookup took it first). `deadline`, when given, replaces the status deadline.
   */
  claimAgentToken(id: number, status: NodeStatus, tokenHash: string, at: Date, deadline?: Date | null): Promise<boolean>;
  /** Records the agent's heartbeat if the node is still in `status`; `deadline` replaces the status deadline. */
  recordHeartbeat(id: number, status: NodeStatus, progress: AgentProgress, deadline: Date | null): Promise<boolean>;
  /** Which of these MACs are known, and the system id of the node holding each. */
  macOwners(macs: readonly string[]): Promise<Map<string, string>>;
  /** Which of these hostnames are taken, and by which node. */
  hostnameHolders(hostnames: readonly string[]): Promise<Map<string, string>>;
  /** Inserts nodes and their MACs; returns them as records, in order. */
  insert(nodes: readonly NewNode[]): Promise<NodeRecord[]>;
  /** Applies `change` if the node is still in `from`; false when it was not (someone moved it first). */
  compareAndSetStatus(id: number, from: NodeStatus, change: StatusChange): Promise<boolean>;
  edit(id: number, edit: NodeEdit): Promise<void>;
  setAnnotations(id: number, annotations: Record<string, string>, updatedAt: Date): Promise<void>;
  /** Deletes the node if it is still in `status`. */
  delete(id: number, status: NodeStatus): Promise<boolean>;

  /** The first ready node matching every constraint, claimed for this transaction (on PostgreSQL locked, skipping rows others hold). */
  claimReady(constraints: AcquireConstraints): Promise<NodeRecord | null>;
  /** How many nodes match the constraints, per status. */
  countMatching(constraints: AcquireConstraints): Promise<StatusCounts>;

  /** Records what the BMC said and when. */
  setPowerState(id: number, state: PowerState, checkedAt: Date): Promise<void>;
  /** Every node with a BMC to ask (its power type has a driver), but retired ones. */
  listPowerManaged(powerTypes: readonly PowerType[]): Promise<NodeRecord[]>;

  /** Nodes in a status that ends at a deadline (commissioning, deploying with an agent, releasing) whose deadline is not after `now`. */
  dueAt(now: Date): Promise<string[]>;
  /** Whether the node's current deadline is still not after `now` (nobody moved it since). */
  isDue(systemId: string, now: Date): Promise<boolean>;
}
