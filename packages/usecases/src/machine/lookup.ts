import { agentStepOf, type AgentStep, type DiskImage, type NodeRecord } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { EraseMode } from '../settings.js';
import { nodeEvent } from '../shared/events.js';
import { MACHINE_TOKEN_PREFIX, generateToken, hashToken } from '../shared/secrets.js';

export interface LookupResult {
  /** The node holding one of the MACs (the first one asked that is known); null: an unknown machine. */
  node: NodeRecord | null;
  step: AgentStep | 'none';
  /** The step's token: handed out once per status, on the first lookup in it; null afterwards. */
  token: string | null;
  heartbeatSeconds: number;
  image: DiskImage | null;
  erase: { mode: EraseMode } | null;
}

/**
 * The machine agent asks what to do. A node in a status that expects its agent (commissioning,
 * deploying, releasing for a machine Metalyard powers) gets its step and — on the first lookup in
 * that status only — a fresh per-node token, whose hash replaces the one the operator was shown (so
 * from then on only the agent can report). The handout is a compare-and-set: two machines answering
 * for the same MACs never both get a token. The lookup moves the status deadline to the agent
 * timeout: from now on the agent must heartbeat. An unknown machine learns nothing (step none).
 */
export function lookupMachine(deps: Deps) {
  return async (macAddresses: readonly string[], address: string): Promise<LookupResult> => {
    const { heartbeatSeconds, timeoutMs, eraseMode } = deps.settings.agent;
    const found = await deps.uow.transaction(async (tx) => {
      const owners = await tx.nodes.macOwners(macAddresses);
      const systemId = macAddresses.map((mac) => owners.get(mac)).find((id) => id !== undefined);
      const node = systemId ? await tx.nodes.get(systemId) : null;
      if (!node) return null;
      const now = deps.clock.now();
      const step: AgentStep | 'none' = agentStepOf(node.status, deps.power.drives(node)) ?? 'none';
      let token: string | null = null;
      if (step !== 'none') {
        const fresh = generateToken(MACHINE_TOKEN_PREFIX);
        const deadline = new Date(now.getTime() + timeoutMs);
        if (await tx.nodes.claimAgentToken(node.id, node.status, hashToken(fresh), now, deadline)) token = fresh;
      }
      const details = { step, token: step === 'none' ? 'none' : token ? 'issued' : 'withheld (handed out before)', address };
      await tx.events.append([nodeEvent(node, 'agent_lookup', { kind: 'anonymous', address }, now, { details })]);
      return { node, step, token };
    });
    if (!found) return { node: null, step: 'none', token: null, heartbeatSeconds, image: null, erase: null };
    const { node, step, token } = found;
    // Hashing a new image may take a while: outside the transaction.
    const image = step === 'deploy' && node.image ? await deps.images.get(node.image) : null;
    return { node, step, token, heartbeatSeconds, image, erase: step === 'erase' ? { mode: eraseMode } : null };
  };
}
