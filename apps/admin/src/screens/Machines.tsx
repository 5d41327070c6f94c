import { useState } from 'react';
import type { NodeStatus } from '@metalyard/domain';
import { searchInput, useNodePages } from '../api/nodes.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { StatusChips } from '../components/StatusChips.js';
import { humanize } from '../format.js';
import { useDebounced } from '../use-debounced.js';
import { AcquireMachine } from './AcquireMachine.js';
import { AddMachineDialog } from './AddMachineDialog.js';
import { MachineTable } from './MachineTable.js';

const SEARCH_DELAY_MS = 250;

export function Machines() {
  const [status, setStatus] = useState<NodeStatus | null>(null);
  const [search, setSearch] = useState('');
  const [adding, setAdding] = useState(false);
  const settledSearch = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const pages = useNodePages({ status, search: settledSearch });
  const searching = settledSearch !== '';

  function emptyState() {
    if (searching) {
      const by = 'mac' in searchInput(settledSearch) ? 'has the MAC address' : 'has a hostname starting with';
      return (
        <div className="empty">
          <p className="empty-title">No machine {by} “{settledSearch}”</p>
          <p>Search takes the start of a hostname, or a whole MAC address in any notation.</p>
        </div>
      );
    }
    if (status !== null) {
      return (
        <div className="empty">
          <p className="empty-title">No machines are {humanize(status).toLowerCase()}</p>
          <button type="button" className="button" onClick={() => setStatus(null)}>
            Show all machines
          </button>
        </div>
      );
    }
    return (
      <div className="empty">
        <p className="empty-title">No machines yet</p>
        <p>A machine that PXE-boots enlists itself and appears under Pending approval — or add one yourself.</p>
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          Add machine
        </button>
      </div>
    );
  }

  return (
    <section className="panel" aria-labelledby="machines-title">
      <div className="panel-head">
        <div>
          <h1 id="machines-title">Machines</h1>
          <p className="panel-lead">Every machine Metalyard knows, in the order they were enlisted.</p>
        </div>
        <div className="panel-actions">
          <AcquireMachine />
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add machine
          </button>
        </div>
      </div>
      <div className="toolbar">
        <StatusChips value={status} counts={pages.counts} onChange={setStatus} />
        <label className="search">
          <span className="sr-only">Search by hostname prefix or MAC address</span>
          <input
            type="search"
            placeholder="Hostname prefix or MAC"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            aria-describedby="search-hint"
            spellCheck={false}
          />
        </label>
      </div>
      <p id="search-hint" className="hint">
        Search finds machines whose hostname starts with the text, or that have a MAC address written in any notation.
      </p>
      <ErrorNote error={pages.error} />
      {pages.isPending ? (
        <p className="muted">Loading machines…</p>
      ) : pages.nodes.length === 0 ? (
        emptyState()
      ) : (
        <MachineTable nodes={pages.nodes} />
      )}
      <div className="list-foot">
        {!pages.isPending && (
          <span className="muted" role="status">
            {pages.nodes.length === 1 ? '1 machine shown' : `${pages.nodes.length} machines shown`}
            {pages.hasNextPage ? ', more to load' : ''}
          </span>
        )}
        {pages.hasNextPage && (
          <button type="button" className="button" onClick={() => pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
      <AddMachineDialog open={adding} onClose={() => setAdding(false)} />
    </section>
  );
}
