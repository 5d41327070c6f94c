import { redactPowerParameters, type Node, type NodeRecord, type User } from '@metalyard/domain';

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
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
  if (viewer?.role === 'admin') view.powerParameters = redactPowerParameters(record.powerParameters);
  return view;
}
