import { useEffect, useMemo, useRef, useState } from 'react';
import { nodeKeys } from '../api/keys.js';
import { useNodePages } from '../api/nodes.js';
import type { BulkResult } from '../bulk.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { LoadMore } from '../components/LoadMore.js';
import { MachineTokenDialog, type MachineToken } from '../components/MachineTokenDialog.js';
import { PanelHead } from '../components/PanelHead.js';
import { StatusChips } from '../components/StatusChips.js';
import { machines } from '../format.js';
import { machineViewQuery, nextSort, parseMachineView, sortNodes, SORT_LABELS, type MachineView } from '../machine-view.js';
import { hrefs, navigate } from '../route.js';
import { useSettledText } from '../use-debounced.js';
import { AcquireMachine } from './AcquireMachine.js';
import { AddMachineDialog } from './AddMachineDialog.js';
import { MachineTable } from './MachineTable.js';
import { BulkBar } from './machines/BulkBar.js';
import { BulkOutcome } from './machines/BulkOutcome.js';
import { MachineFilters } from './machines/MachineFilters.js';
import { MachinesEmpty } from './machines/MachinesEmpty.js';

/**
 * Every machine, filtered on the server (status, search, zone, pool, tag, architecture), sorted
 * within the loaded pages, with bulk actions on a selection. The view lives in the URL.
 */
export function Machines({ query }: { query: URLSearchParams }) {
  const view = parseMachineView(query);
  const [adding, setAdding] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<{ label: string; result: BulkResult } | null>(null);
  const [machineTokens, setMachineTokens] = useState<MachineToken[]>([]);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const pages = useNodePages(view);
  const { key, descending } = view.sort ?? {};
  const nodes = useMemo(
    () => sortNodes(pages.nodes, key ? { key, descending: descending === true } : null),
    [pages.nodes, key, descending],
  );

  function setView(next: MachineView, typing = false) {
    navigate(hrefs.machines(machineViewQuery(next)), { replace: typing });
  }
  const [search, setSearch] = useSettledText(view.search, (text) => setView({ ...view, search: text }, true));

  // Another filter shows other machines: the selection is of what was shown.
  const filterKey = nodeKeys.list(view).join('\n');
  useEffect(() => {
    setSelected(new Set());
    setOutcome(null);
  }, [filterKey]);
  useEffect(() => {
    // When the bar a bulk action came from has gone (its machines were deleted), the report takes the focus.
    if (outcome && document.activeElement === document.body) outcomeRef.current?.focus();
  }, [outcome]);

  function bulkDone(label: string, result: BulkResult) {
    setOutcome({ label, result });
    setMachineTokens(result.machineTokens);
  }

  const chosen = nodes.filter((node) => selected.has(node.systemId));
  const counts = pages.counts;
  const total = counts
    ? view.status
      ? (counts[view.status] ?? 0)
      : Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0)
    : undefined;
  return (
    <section className="panel" aria-labelledby="machines-title">
      <PanelHead
        titleId="machines-title"
        title="Machines"
        lead="Every machine Metalyard knows, in the order they were enlisted."
        actions={
          <>
            <AcquireMachine />
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              Add machine
            </button>
          </>
        }
      />
      <div className="toolbar">
        <StatusChips value={view.status} counts={counts} onChange={(status) => setView({ ...view, status })} />
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
      <MachineFilters view={view} onChange={setView} />
      <div ref={outcomeRef} tabIndex={-1} className="outcome-anchor">
        <BulkOutcome outcome={outcome} />
      </div>
      <BulkBar chosen={chosen} onClear={() => setSelected(new Set())} onDone={bulkDone} />
      <ErrorNote error={pages.error} />
      {view.sort && pages.hasNextPage && (
        <p className="hint sort-note" role="note">
          Sorted by {SORT_LABELS[view.sort.key].toLowerCase()} within the {machines(pages.nodes.length)} loaded so far: the server sends
          machines in the order they were enlisted. Load more to sort them all.
        </p>
      )}
      {pages.isPending ? (
        <p className="muted">Loading machines…</p>
      ) : nodes.length === 0 ? (
        !pages.error && <MachinesEmpty view={view} onShowAll={() => setView({ ...view, status: null })} onAdd={() => setAdding(true)} />
      ) : (
        <MachineTable
          nodes={nodes}
          sort={view.sort}
          onSort={(sortKey) => setView({ ...view, sort: nextSort(view.sort, sortKey) })}
          selected={selected}
          onSelect={setSelected}
        />
      )}
      <div className="list-foot">
        {!pages.isPending && (
          <span className="muted" role="status">
            {total !== undefined && total !== nodes.length
              ? `${nodes.length} of ${machines(total)} shown`
              : `${machines(nodes.length)} shown`}
            {pages.hasNextPage ? ', more to load' : ''}
          </span>
        )}
        <LoadMore {...pages} label="Load more" />
      </div>
      <AddMachineDialog open={adding} onClose={() => setAdding(false)} />
      <MachineTokenDialog tokens={machineTokens} onClose={() => setMachineTokens([])} />
    </section>
  );
}
