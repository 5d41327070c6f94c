import { UnauthenticatedError, agentStepOf, imageNameOf, type AgentStep, type DiskImage, type NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { nodeEvent } from '../shared/events.js';
import { hashToken } from '../shared/secrets.js';

/** What a network-booting machine is told to boot: the agent's environment for a step, or its own disk. */
export type BootEnvironment = 'enlist' | AgentStep | 'local';

export interface BootDecision {
  environment: BootEnvironment;
  /** The node the MAC belongs to; null: unknown. */
  node: NodeRecord | null;
}

/**
 * The boot decision for a machine asking iPXE's per-MAC script: unknown or declared → enlist;
 * commissioning, deploying, releasing (for a machine the agent erases) → that step; anything else
 * boots its local disk. Recorded as a `boot` event on the node (the environment and the client's
 * address); an unknown MAC has no node to record it on.
 */
export function decideBoot(deps: Deps) {
  return (mac: string, address: string): Promise<BootDecision> =>
    deps.uow.transaction(async (tx) => {
      const owners = await tx.nodes.macOwners([mac]);
      const systemId = owners.get(mac);
      const node = systemId ? await tx.nodes.get(systemId) : null;
      if (!node) return { environment: 'enlist', node: null };
      const environment: BootEnvironment =
        node.status === 'declared' ? 'enlist' : (agentStepOf(node.status, deps.power.drives(node)) ?? 'local');
      const details = { environment, mac, address };
      await tx.events.append([nodeEvent(node, 'boot', { kind: 'anonymous', address }, deps.clock.now(), { details })]);
      return { environment, node };
    });
}

/**
 * Opens an image download: the bearer must hold the current token of a deploying node whose
 * deployment writes that image. Anything else is a 401 (no hint which part was wrong).
 */
export function authorizeImageDownload(deps: Deps) {
  return async (token: string | null, name: string, address: string): Promise<DiskImage> => {
    const refused = new UnauthenticatedError('a deploying machine’s token is needed to download this image');
    const image = imageNameOf(name);
    if (!token || !image) throw refused;
    const node = await deps.uow.transaction(async (tx) => {
      const node = await tx.nodes.findByMachineTokenHash(hashToken(token));
      if (!node || node.status !== 'deploying' || node.image !== image) return null;
      const details = { image, address };
      await tx.events.append([
        nodeEvent(node, 'image_download', { kind: 'machine', systemId: node.systemId }, deps.clock.now(), { details }),
      ]);
      return node;
    });
    if (!node) throw refused;
    const found = await deps.images.get(image);
    if (!found) throw refused;
    return found;
  };
}
