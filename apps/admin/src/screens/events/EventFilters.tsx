import { EVENT_TYPES, isSincePreset, DEFAULT_SINCE, type SincePreset } from '../../api/events.js';
import type { EventFilter } from '../../api/keys.js';
import { messagesFor } from '../../components/FieldError.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { fromLocalInput, toLocalInput } from '../../event-view.js';
import { humanize } from '../../format.js';
import { useSettledText } from '../../use-debounced.js';

type SinceChoice = SincePreset | 'custom';
const SINCE_CHOICES: readonly SinceChoice[] = ['1h', '24h', '7d', 'all', 'custom'];
const SINCE_CAPTIONS: Record<SinceChoice, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  all: 'Any time',
  custom: 'From a date and time…',
};

interface EventFiltersProps {
  filter: EventFilter;
  /** A new filter; `typing` when it comes from a text field (the URL is replaced, not pushed). */
  onChange(filter: EventFilter, typing?: boolean): void;
  /** The server's messages about the filters (a 400), by field. */
  fieldErrors: Record<string, string[]>;
}

/** The API's filters of the event log: machine, actor, type and since. */
export function EventFilters({ filter, onChange, fieldErrors }: EventFiltersProps) {
  const [machine, setMachine] = useSettledText(filter.systemId, (systemId) => onChange({ ...filter, systemId }, true));
  const [actor, setActor] = useSettledText(filter.actor, (value) => onChange({ ...filter, actor: value }, true));
  const since: SinceChoice = isSincePreset(filter.since) ? filter.since : 'custom';

  function chooseSince(choice: SinceChoice) {
    // A date and time starts a day back, to be changed in the field that appears.
    onChange({ ...filter, since: choice === 'custom' ? new Date(Date.now() - 86_400_000).toISOString() : choice });
  }

  const narrowed = filter.systemId || filter.actor || filter.type || filter.since !== DEFAULT_SINCE;
  return (
    <form className="filters" role="search" aria-label="Filter events" onSubmit={(event) => event.preventDefault()}>
      <TextField
        label="Machine (system ID)"
        value={machine}
        onChange={setMachine}
        placeholder="k3v9qa"
        mono
        errors={messagesFor(fieldErrors, 'systemId')}
      />
      <TextField
        label="Actor"
        value={actor}
        onChange={setActor}
        placeholder="alice, machine:k3v9qa, system:erase"
        errors={messagesFor(fieldErrors, 'actor')}
      />
      <SelectField
        label="Type"
        value={filter.type}
        choices={EVENT_TYPES}
        none="Any type"
        caption={humanize}
        onChange={(type) => onChange({ ...filter, type })}
      />
      <SelectField
        label="Since"
        value={since}
        choices={SINCE_CHOICES}
        caption={(choice) => SINCE_CAPTIONS[choice]}
        onChange={chooseSince}
      />
      {since === 'custom' && (
        <TextField
          label="From"
          type="datetime-local"
          value={toLocalInput(filter.since)}
          onChange={(value) => {
            const iso = fromLocalInput(value);
            if (iso) onChange({ ...filter, since: iso });
          }}
          errors={messagesFor(fieldErrors, 'since')}
        />
      )}
      {narrowed && (
        <button
          type="button"
          className="button button-quiet filters-clear"
          onClick={() => onChange({ systemId: '', actor: '', type: '', since: DEFAULT_SINCE })}
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
