import { agentStepOf, type HeartbeatInput, type NodeStatus } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import { nodeEvent } from '../shared/events.js';
import { asMachine } from './machine-auth.js';

export interface HeartbeatResult {
  status: NodeStatus;
  /** false: the node left the step (aborted, timed out, moved by a person): the agent stops. */
  proceed: boolean;
}

/**
 * The agent's heartbeat, with its step's token: records its phase and when (node.agent), pushes the
 * status deadline to now + the agent timeout, and records an `agent_progress` event only when the
 * phase changes (a periodic beat repeating the phase writes no event). A node no longer in the
 * step answers proceed:false; a void token (the status ended) is a 401.
 */
export function heartbeat(deps: Deps) {
  return (token: string, input: HeartbeatInput): Promise<HeartbeatResult> =>
    asMachine(deps, input.systemId, token, 'heartbeat', async (tx, node) => {
      const expected = agentStepOf(node.status, deps.power.drives(node));
      if (expected !== input.step) return { status: node.status, proceed: false };
      const now = deps.clock.now();
      const deadline = new Date(now.getTime() + deps.settings.agent.timeoutMs);
      if (!(await tx.nodes.recordHeartbeat(node.id, node.status, { step: input.step, message: input.message, at: now }, deadline))) {
        return { status: node.status, proceed: false };
      }
      const changed = node.agent?.step !== input.step || node.agent?.message !== input.message;
      if (changed) {
        await tx.events.append([
          nodeEvent(node, 'agent_progress', { kind: 'machine', systemId: node.systemId }, now, {
            details: { step: input.step, message: input.message },
          }),
        ]);
      }
      return { status: node.status, proceed: true };
    });
}
