import type { NodeStatus } from '@metalyard/sdk';
import { StatusBadge } from './StatusBadge.js';

/** The statuses an event moved a machine between: "Ready → Broken", or just where it landed. */
export function Transition({ from, to }: { from: NodeStatus | null; to: NodeStatus | null }) {
  return (
    <>
      {from && <StatusBadge status={from} />}
      {from && to && <span aria-label="to">→</span>}
      {to && <StatusBadge status={to} />}
    </>
  );
}
