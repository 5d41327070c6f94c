import {
  redactPowerParameters,
  type EventRecord,
  type Node,
  type NodeChange,
  type NodeEvent,
  type NodeRecord,
  type User,
} from '@metalyard/domain';

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

export function toEventView(event: EventRecord): NodeEvent {
  return { ...event, createdAt: event.createdAt.toISOString() };
}
