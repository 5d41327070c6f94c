import type { NodeEvent } from '@metalyard/sdk';
import { useNodeEvents } from '../../api/nodes.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { LoadMore } from '../../components/LoadMore.js';
import { Transition } from '../../components/Transition.js';
import { TimeAgo } from '../../components/TimeAgo.js';
import { humanize } from '../../format.js';
import { hrefs } from '../../route.js';

function detailText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const plain = value.every((item) => typeof item !== 'object' || item === null);
    return plain ? value.join(', ') : value.length === 1 ? '1 entry' : `${value.length} entries`;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** What an event's details say, in a line: a comment, a reason, the fields an update changed. */
export function describeDetails(details: NodeEvent['details']): string | null {
  if (!details) return null;
  const parts = Object.entries(details).flatMap(([key, value]) => {
    const text = detailText(value);
    if (text === null) return [];
    return [key === 'comment' || key === 'reason' ? text : `${humanize(key)}: ${text}`];
  });
  return parts.length ? parts.join(' · ') : null;
}

/** The node's history, oldest first, kept current by the live subscription. */
export function EventTimeline({ systemId }: { systemId: string }) {
  const query = useNodeEvents(systemId);
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <div className="panel-title-row">
        <h2 id="timeline-title">History</h2>
        <a href={hrefs.events({ machine: systemId, since: 'all' })} className="small-link">
          In the event log
        </a>
      </div>
      <ErrorNote error={query.error} />
      {query.isPending ? (
        <p className="muted">Loading…</p>
      ) : query.events.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="timeline" aria-label="Events, oldest first">
          {query.events.map((event) => {
            const details = describeDetails(event.details);
            return (
              <li key={event.id} className="timeline-item">
                <div className="timeline-line">
                  <span className="timeline-type">{humanize(event.type)}</span>
                  <Transition from={event.fromStatus} to={event.toStatus} />
                </div>
                <div className="timeline-meta">
                  by {event.actor} · <TimeAgo iso={event.createdAt} />
                </div>
                {details && <p className="timeline-details">{details}</p>}
              </li>
            );
          })}
        </ol>
      )}
      <LoadMore {...query} label="Show later events" className="button button-quiet" />
    </section>
  );
}
