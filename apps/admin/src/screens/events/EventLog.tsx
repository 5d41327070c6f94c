import { fieldErrorsOf } from '../../api/errors.js';
import { DEFAULT_SINCE, useEventLog, useHostnames } from '../../api/events.js';
import type { EventFilter } from '../../api/keys.js';
import { useLiveState } from '../../api/live.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { LoadMore } from '../../components/LoadMore.js';
import { PanelHead } from '../../components/PanelHead.js';
import { eventFilterQuery, parseEventFilter } from '../../event-view.js';
import { hrefs, navigate } from '../../route.js';
import { EventFilters } from './EventFilters.js';
import { EventTable } from './EventTable.js';

/** The event log, filtered as the API filters it (the filters live in the URL), live. */
export function EventLog({ query }: { query: URLSearchParams }) {
  const filter = parseEventFilter(query);
  const log = useEventLog(filter);
  const hostnames = useHostnames(log.events.map((event) => event.systemId));
  const live = useLiveState();

  function change(next: EventFilter, typing = false) {
    navigate(hrefs.events(eventFilterQuery(next)), { replace: typing });
  }

  const fieldErrors = fieldErrorsOf(log.error);
  const narrowed = filter.systemId || filter.actor || filter.type;
  // Loaded, and nothing matches (a refused filter says why instead).
  const nothing = !log.isPending && log.events.length === 0 && !log.error;
  return (
    <section className="panel" aria-labelledby="events-title">
      <PanelHead
        titleId="events-title"
        title="Event log"
        lead={
          <>
            Every status change, update and failed machine login, oldest first.{' '}
            {live === 'live' ? 'New events appear at the bottom as they happen.' : 'New events appear when the page refreshes.'}
          </>
        }
      />
      <EventFilters filter={filter} onChange={change} fieldErrors={fieldErrors} />
      {Object.keys(fieldErrors).length === 0 && <ErrorNote error={log.error} />}
      {log.isPending && <p className="muted">Loading events…</p>}
      {nothing && (
        <div className="empty">
          <p className="empty-title">
            No events {narrowed ? 'match these filters' : filter.since === DEFAULT_SINCE ? 'in the last 24 hours' : 'in this time'}
          </p>
          {filter.since !== 'all' && (
            <button type="button" className="button" onClick={() => change({ ...filter, since: 'all' })}>
              Show any time
            </button>
          )}
        </div>
      )}
      {log.events.length > 0 && <EventTable events={log.events} hostnames={hostnames} />}
      <div className="list-foot">
        {!log.isPending && (log.events.length > 0 || nothing) && (
          <span className="muted" role="status">
            {log.events.length === 1 ? '1 event shown' : `${log.events.length} events shown`}
            {log.hasNextPage ? ', later ones to load' : ''}
          </span>
        )}
        <LoadMore {...log} label="Load later events" />
      </div>
    </section>
  );
}
