import type { NodeStatus } from '@metalyard/sdk';
import { humanize } from '../format.js';
import { statusTone } from '../status.js';

export function StatusBadge({ status }: { status: NodeStatus }) {
  return <span className={`badge badge-${statusTone(status)}`}>{humanize(status)}</span>;
}
