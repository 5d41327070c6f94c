import type { Node } from '@metalyard/sdk';
import { StatusBadge } from '../components/StatusBadge.js';
import { age, dateTime } from '../format.js';
import { hrefs } from '../route.js';
import { TagList } from './detail/NodeFacts.js';

const none = <span className="muted">—</span>;

/** The machines as a table; on a narrow screen each row becomes a card (labels come from data-label). */
export function MachineTable({ nodes }: { nodes: Node[] }) {
  return (
    <div className="table-wrap">
      <table className="machines">
        <thead>
          <tr>
            <th scope="col">Machine</th>
            <th scope="col">Status</th>
            <th scope="col">Architecture</th>
            <th scope="col">Zone</th>
            <th scope="col">Pool</th>
            <th scope="col">Tags</th>
            <th scope="col">MAC addresses</th>
            <th scope="col">Owner</th>
            <th scope="col">Enlisted</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => (
            <tr key={node.systemId}>
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
                <time dateTime={node.createdAt} title={dateTime(node.createdAt)}>
                  {age(node.createdAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
