import type { Node } from '@metalyard/sdk';
import { PowerState } from '../components/PowerState.js';
import { SortHeader } from '../components/SortHeader.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { TimeAgo } from '../components/TimeAgo.js';
import { SORT_LABELS, type Sort, type SortKey } from '../machine-view.js';
import { hrefs } from '../route.js';
import { TagList } from './detail/NodeFacts.js';

const none = <span className="muted">—</span>;

interface MachineTableProps {
  nodes: Node[];
  sort: Sort | null;
  onSort(key: SortKey): void;
  /** The machines ticked for a bulk action (by system id), and a new set when that changes. */
  selected: ReadonlySet<string>;
  onSelect(selected: ReadonlySet<string>): void;
}

/** The machines as a table; on a narrow screen each row becomes a card (labels come from data-label). */
export function MachineTable({ nodes, sort, onSort, selected, onSelect }: MachineTableProps) {
  const allChosen = nodes.length > 0 && nodes.every((node) => selected.has(node.systemId));
  const header = (key: SortKey) => <SortHeader label={SORT_LABELS[key]} sortKey={key} sort={sort} onSort={onSort} />;

  function toggle(systemId: string) {
    const next = new Set(selected);
    if (!next.delete(systemId)) next.add(systemId);
    onSelect(next);
  }

  return (
    <div className="table-wrap">
      <table className="data-table machines">
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input
                type="checkbox"
                aria-label="Select all shown machines"
                checked={allChosen}
                onChange={() => onSelect(allChosen ? new Set() : new Set(nodes.map((node) => node.systemId)))}
              />
            </th>
            {header('hostname')}
            {header('status')}
            {header('powerState')}
            {header('architecture')}
            {header('zone')}
            {header('pool')}
            <th scope="col">Tags</th>
            <th scope="col">MAC addresses</th>
            {header('owner')}
            {header('createdAt')}
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => (
            <tr key={node.systemId} className={selected.has(node.systemId) ? 'row-selected' : undefined}>
              <td className="select-cell" data-label="Select">
                <input
                  type="checkbox"
                  aria-label={`Select ${node.hostname}`}
                  checked={selected.has(node.systemId)}
                  onChange={() => toggle(node.systemId)}
                />
              </td>
              <th scope="row" data-label="Machine">
                <span className="machine-name">
                  <a href={hrefs.machine(node.systemId)} className="strong-link">
                    {node.hostname}
                  </a>
                  <span className="mono muted system-id">{node.systemId}</span>
                </span>
              </th>
              <td data-label="Status">
                <StatusBadge status={node.status} />
              </td>
              <td data-label="Power">
                <PowerState state={node.powerState} />
              </td>
              <td data-label="Architecture">{node.architecture}</td>
              <td data-label="Zone">{node.zone ?? none}</td>
              <td data-label="Pool">{node.pool ?? none}</td>
              <td data-label="Tags">{node.tags.length ? <TagList tags={node.tags} /> : none}</td>
              <td data-label="MAC addresses" className="mono">
                {node.macAddresses[0]}
                {node.macAddresses.length > 1 && (
                  <span className="muted" title={node.macAddresses.slice(1).join(', ')}>
                    {' '}
                    +{node.macAddresses.length - 1}
                  </span>
                )}
              </td>
              <td data-label="Owner">{node.owner ?? none}</td>
              <td data-label="Enlisted">
                <TimeAgo iso={node.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
