/** Every status a node can be in. Lowercase on the wire and in the database. */
export const NODE_STATUSES = ['declared', 'ready', 'allocated'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const STATUS_DESCRIPTIONS: Record<NodeStatus, string> = {
  declared: 'Enlisted anonymously; waits for a user to accept it before anything may wipe its disks.',
  ready: 'Accepted and free to be acquired.',
  allocated: 'Acquired by a user, who owns it until it is released.',
};

export function isNodeStatus(value: unknown): value is NodeStatus {
  return typeof value === 'string' && (NODE_STATUSES as readonly string[]).includes(value);
}
