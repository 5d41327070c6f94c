import { NODE_STATUSES, type NodeStatus } from '@metalyard/sdk';
import { humanize } from '../format.js';
import { statusTone } from '../status.js';

interface StatusChipsProps {
  /** The status shown, or null for every status. */
  value: NodeStatus | null;
  /** Machines per status, from the server; statuses with none are left out (unless chosen). */
  counts: Partial<Record<NodeStatus, number>> | undefined;
  onChange(status: NodeStatus | null): void;
}

/** "All" and one toggle per status of the domain that has machines, each with its count. */
export function StatusChips({ value, counts, onChange }: StatusChipsProps) {
  const total = counts ? Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0) : undefined;
  const shown = NODE_STATUSES.filter((status) => !counts || (counts[status] ?? 0) > 0 || status === value);
  const choices: (NodeStatus | null)[] = [null, ...shown];
  return (
    <div className="chips" role="group" aria-label="Filter by status">
      {choices.map((status) => {
        const count = status ? (counts?.[status] ?? (counts ? 0 : undefined)) : total;
        return (
          <button
            key={status ?? 'all'}
            type="button"
            className={`chip${status ? ` chip-${statusTone(status)}` : ''}`}
            aria-pressed={value === status}
            onClick={() => onChange(status)}
          >
            {status ? humanize(status) : 'All'}
            {count !== undefined && <span className="chip-count"> {count}</span>}
          </button>
        );
      })}
    </div>
  );
}
