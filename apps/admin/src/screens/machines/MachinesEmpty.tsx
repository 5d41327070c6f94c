import { searchInput } from '../../api/nodes.js';
import { humanize } from '../../format.js';
import { isNarrowed, type MachineView } from '../../machine-view.js';

interface MachinesEmptyProps {
  view: MachineView;
  onShowAll(): void;
  onAdd(): void;
}

/** Why no machine is shown, and the way out: another search, every status, or adding one. */
export function MachinesEmpty({ view, onShowAll, onAdd }: MachinesEmptyProps) {
  if (view.search) {
    const by = 'mac' in searchInput(view.search) ? 'has the MAC address' : 'has a hostname starting with';
    return (
      <div className="empty">
        <p className="empty-title">
          No machine {by} “{view.search}”
        </p>
        <p>Search takes the start of a hostname, or a whole MAC address in any notation.</p>
      </div>
    );
  }
  if (view.status !== null) {
    return (
      <div className="empty">
        <p className="empty-title">
          No machines are {humanize(view.status).toLowerCase()}
          {isNarrowed(view) ? ' among those filtered' : ''}
        </p>
        <button type="button" className="button" onClick={onShowAll}>
          Show every status
        </button>
      </div>
    );
  }
  if (isNarrowed(view)) {
    return (
      <div className="empty">
        <p className="empty-title">No machine matches these filters</p>
        <p>Change or clear the zone, pool, tag or architecture above.</p>
      </div>
    );
  }
  return (
    <div className="empty">
      <p className="empty-title">No machines yet</p>
      <p>A machine that PXE-boots enlists itself and appears under Pending approval — or add one yourself.</p>
      <button type="button" className="button button-primary" onClick={onAdd}>
        Add machine
      </button>
    </div>
  );
}
