import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Node } from '@metalyard/sdk';
import { useClient } from '../../api/client.js';
import { errorMessage } from '../../api/errors.js';
import { nodeKeys } from '../../api/keys.js';
import { useViewer } from '../../api/viewer.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { PowerState } from '../../components/PowerState.js';
import { dateTime } from '../../format.js';

const OWNED = new Set(['allocated', 'deploying', 'deployed', 'failed_deployment']);

/** What the panel asks of the BMC: the API's powerOn, powerOff (soft or not), powerCycle and powerQuery. */
export type PowerOperation = 'on' | 'softOff' | 'off' | 'cycle' | 'query';
const OPERATIONS: readonly PowerOperation[] = ['on', 'softOff', 'off', 'cycle', 'query'];

const LABEL: Record<PowerOperation, string> = {
  on: 'Power on',
  softOff: 'Shut down',
  off: 'Power off',
  cycle: 'Power cycle',
  query: 'Check power',
};
const PENDING: Record<PowerOperation, string> = {
  on: 'Asking the BMC to power it on…',
  softOff: 'Asking the operating system to shut down…',
  off: 'Asking the BMC to power it off…',
  cycle: 'Asking the BMC to power cycle it…',
  query: 'Asking the BMC for its power state…',
};
/** What a success says: what the BMC did, or (a query) what it reported. */
const DONE: Record<PowerOperation, (node: Node) => string> = {
  on: () => 'The BMC powered it on.',
  softOff: () => 'The BMC asked the operating system to shut down; check power to see when it is off.',
  off: () => 'The BMC powered it off.',
  cycle: () => 'The BMC power cycled it.',
  query: (node) => `The BMC says it is ${node.powerState}.`,
};

/** What stops whatever runs on the machine is asked first, saying so. */
const CONFIRM: Partial<Record<PowerOperation, string>> = {
  softOff: 'The BMC asks the operating system to shut down (ACPI); programs get the chance to stop cleanly.',
  off: 'The power is cut at once: whatever runs on it stops without shutting down, and unsaved data is lost.',
  cycle: 'The power is cut and restored: whatever runs on it stops without shutting down, then the machine boots again.',
};

/** Whether the viewer may drive this node's BMC: an admin, or its owner while acquired; never manual, declared or retired. */
export function mayControlPower(node: Node, viewer: { username: string; role: string }): boolean {
  if (node.powerType === 'manual' || node.status === 'declared' || node.status === 'retired') return false;
  return viewer.role === 'admin' || (node.owner === viewer.username && OWNED.has(node.status));
}

/** Why there are no buttons, when there are none. */
function noControlReason(node: Node, viewer: { username: string; role: string }): string {
  if (node.powerType === 'manual') return 'Manual power: Metalyard cannot reach a BMC, so it is turned on and off by hand.';
  if (node.status === 'declared') return 'Accept this machine before Metalyard drives its BMC.';
  if (node.status === 'retired') return 'A retired machine’s BMC is no longer driven.';
  return node.owner && node.owner !== viewer.username
    ? `Only its owner (${node.owner}) or an admin may drive this machine’s BMC.`
    : 'Only an admin, or the user who acquired it, may drive this machine’s BMC.';
}

/** The node's power state as its BMC last told it, and the buttons that drive the BMC. */
export function PowerPanel({ node }: { node: Node }) {
  const client = useClient();
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<PowerOperation | null>(null);
  const run = useMutation({
    mutationFn: (operation: PowerOperation) => {
      const nodes = client.protected.nodes;
      const input = { systemId: node.systemId };
      switch (operation) {
        case 'on':
          return nodes.powerOn.mutate(input);
        case 'softOff':
          return nodes.powerOff.mutate({ ...input, soft: true });
        case 'off':
          return nodes.powerOff.mutate(input);
        case 'cycle':
          return nodes.powerCycle.mutate(input);
        case 'query':
          return nodes.powerQuery.mutate(input);
      }
    },
    onSuccess: (updated) => queryClient.setQueryData(nodeKeys.detail(node.systemId), updated),
    // A failure is an event on the node, and the state may have changed either way: refresh what shows it.
    onSettled: () => queryClient.invalidateQueries({ queryKey: nodeKeys.all }),
  });
  const allowed = mayControlPower(node, viewer);

  function start(operation: PowerOperation) {
    if (CONFIRM[operation]) setAsking(operation);
    else run.mutate(operation);
  }

  function confirm() {
    const operation = asking!;
    setAsking(null);
    run.mutate(operation);
  }

  return (
    <section className="panel" aria-labelledby="power-title">
      <h2 id="power-title">Power</h2>
      <div className="power-line" role="group" aria-label="Power state">
        <PowerState state={node.powerState} />
        {/* A manual machine's BMC is never asked: the hint below says so. */}
        {(node.powerStateCheckedAt || node.powerType !== 'manual') && (
          <>
            {' '}
            <span className="muted">{node.powerStateCheckedAt ? `as of ${dateTime(node.powerStateCheckedAt)}` : 'not asked yet'}</span>
          </>
        )}
      </div>
      {allowed ? (
        <div className="power-actions" role="group" aria-label="Power actions">
          {OPERATIONS.map((operation) => (
            <button
              key={operation}
              type="button"
              className={`button button-small${CONFIRM[operation] ? ' button-danger-outline' : ''}`}
              disabled={run.isPending}
              onClick={() => start(operation)}
            >
              {LABEL[operation]}
            </button>
          ))}
        </div>
      ) : (
        <p className="hint">{noControlReason(node, viewer)}</p>
      )}
      <p className="power-outcome" role="status">
        {run.isPending && run.variables ? PENDING[run.variables] : run.isSuccess && run.variables ? DONE[run.variables](run.data) : ''}
      </p>
      {run.isError && (
        <p className="error-note" role="alert">
          {errorMessage(run.error)}
        </p>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={asking ? `${LABEL[asking]} ${node.hostname}?` : ''}
        confirmLabel={asking ? LABEL[asking] : ''}
        onConfirm={confirm}
        onCancel={() => setAsking(null)}
      >
        <p className="warning">{asking ? CONFIRM[asking] : ''}</p>
      </ConfirmDialog>
    </section>
  );
}
