/** Every status a node can be in, in lifecycle order. Lowercase on the wire and in the database. */
export const NODE_STATUSES = [
  'declared',
  'commissioning',
  'failed_commissioning',
  'ready',
  'allocated',
  'deploying',
  'deployed',
  'failed_deployment',
  'releasing',
  'broken',
  'retired',
] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

export const STATUS_DESCRIPTIONS: Record<NodeStatus, string> = {
  declared: 'Enlisted anonymously; waits for a user to accept it before anything may wipe its disks.',
  commissioning: 'Booted into the commissioning environment; reports its hardware and test results.',
  failed_commissioning: 'Commissioning failed, was aborted or timed out.',
  ready: 'Accepted (and commissioned) and free to be acquired.',
  allocated: 'Acquired by a user, who owns it until it is released.',
  deploying: 'Its owner is installing an operating system on it.',
  deployed: 'Running its owner’s workload.',
  failed_deployment: 'The deployment failed; the owner may release it or mark it broken.',
  releasing: 'Given back; its disks are being erased.',
  broken: 'Marked broken by a person; out of service until fixed.',
  retired: 'Taken out of service for good; may only be deleted.',
};

export function isNodeStatus(value: unknown): value is NodeStatus {
  return typeof value === 'string' && (NODE_STATUSES as readonly string[]).includes(value);
}
