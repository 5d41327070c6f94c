import { useLabels, type Label, type LabelKind } from '../../api/labels.js';
import { SelectField } from '../../components/SelectField.js';
import { isNarrowed, type MachineView } from '../../machine-view.js';
import { ARCHITECTURES } from '../../rules.js';

interface MachineFiltersProps {
  view: MachineView;
  onChange(view: MachineView): void;
}

/** A label's choice with the number of machines that have it, as the server counts them (kept current live). */
function captions(labels: readonly Label[] | undefined): (name: string) => string {
  const counts = new Map((labels ?? []).map((label) => [label.name, label.nodeCount]));
  return (name) => (counts.has(name) ? `${name} (${counts.get(name)})` : name);
}

function LabelFilter({ kind, label, value, onChange }: { kind: LabelKind; label: string; value: string; onChange(value: string): void }) {
  const labels = useLabels(kind);
  const names = (labels.data ?? []).map((each) => each.name);
  // A filter from a link may name one that no longer exists: it stays a choice, so the view says so.
  const choices = value && !names.includes(value) ? [value, ...names] : names;
  return <SelectField label={label} value={value} choices={choices} none="Any" caption={captions(labels.data)} onChange={onChange} />;
}

/** Narrows the machines on the server by zone, pool, tag and architecture. */
export function MachineFilters({ view, onChange }: MachineFiltersProps) {
  return (
    <div className="filters" role="group" aria-label="Filter machines">
      <LabelFilter kind="zones" label="Zone" value={view.zone} onChange={(zone) => onChange({ ...view, zone })} />
      <LabelFilter kind="pools" label="Pool" value={view.pool} onChange={(pool) => onChange({ ...view, pool })} />
      <LabelFilter kind="tags" label="Tag" value={view.tag} onChange={(tag) => onChange({ ...view, tag })} />
      <SelectField
        label="Architecture"
        value={view.architecture}
        choices={ARCHITECTURES}
        none="Any"
        onChange={(architecture) => onChange({ ...view, architecture })}
      />
      {isNarrowed(view) && (
        <button
          type="button"
          className="button button-quiet filters-clear"
          onClick={() => onChange({ ...view, search: '', zone: '', pool: '', tag: '', architecture: '' })}
        >
          Clear filters
        </button>
      )}
    </div>
  );
}
