interface SortHeaderProps<K extends string> {
  label: string;
  sortKey: K;
  /** The column sorted by now, or null for the server's order. */
  sort: { key: K; descending: boolean } | null;
  onSort(key: K): void;
}

/** A column header that sorts by its column; the direction is announced through aria-sort. */
export function SortHeader<K extends string>({ label, sortKey, sort, onSort }: SortHeaderProps<K>) {
  const active = sort?.key === sortKey;
  const direction = active ? (sort.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" aria-sort={direction}>
      <button type="button" className={`sort-button${active ? ' sort-button-active' : ''}`} onClick={() => onSort(sortKey)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {direction === 'ascending' ? '▲' : direction === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}
