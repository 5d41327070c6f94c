import type { NodeEvent } from '@metalyard/sdk';
import { DataTable } from '../../components/DataTable.js';
import { Transition } from '../../components/Transition.js';
import { age, dateTime, humanize } from '../../format.js';
import { hrefs } from '../../route.js';
import { describeDetails } from '../detail/EventTimeline.js';

/** The machine an event is about: its hostname when it still exists, else the one the event recorded. */
function MachineCell({ event, hostname }: { event: NodeEvent; hostname: string | undefined }) {
  const recorded = typeof event.details?.hostname === 'string' ? event.details.hostname : undefined;
  return (
    <span className="machine-name">
      {hostname ? (
        <a href={hrefs.machine(event.systemId)} className="strong-link">
          {hostname}
        </a>
      ) : (
        <span>{recorded ?? <span className="muted">deleted</span>}</span>
      )}
      <a href={hrefs.events({ machine: event.systemId })} className="mono muted system-id" title="Only this machine's events">
        {event.systemId}
      </a>
    </span>
  );
}

/** Events as rows: when, which machine, what happened (from → to), who, and the details. */
export function EventTable({ events, hostnames }: { events: NodeEvent[]; hostnames: Map<string, string> }) {
  return (
    <DataTable label="Events, oldest first" columns={['When', 'Machine', 'Event', 'Actor', 'Details']}>
      {events.map((event) => {
        const details = describeDetails(event.details);
        return (
          <tr key={event.id}>
            <td data-label="When">
              <time dateTime={event.createdAt} className="when">
                {dateTime(event.createdAt)} <span className="muted">{age(event.createdAt)}</span>
              </time>
            </td>
            <td data-label="Machine">
              <MachineCell event={event} hostname={hostnames.get(event.systemId)} />
            </td>
            <th scope="row" data-label="Event">
              <span className="event-line">
                <span className="strong">{humanize(event.type)}</span>
                <Transition from={event.fromStatus} to={event.toStatus} />
              </span>
            </th>
            <td data-label="Actor">{event.actor}</td>
            <td data-label="Details" className="wrap">
              {details ?? <span className="muted">—</span>}
            </td>
          </tr>
        );
      })}
    </DataTable>
  );
}
