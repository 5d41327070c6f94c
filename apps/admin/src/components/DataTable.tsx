import type { ReactNode } from 'react';

interface DataTableProps {
  /** The id of the heading that names the table. */
  labelledBy?: string;
  label?: string;
  columns: readonly string[];
  /** A last column of buttons, named for screen readers only. */
  actions?: boolean;
  /** The rows: each cell has a data-label, shown as its caption when the table becomes cards on a narrow screen. */
  children: ReactNode;
}

/** A list as a table with plain column headers (the machine table has its own, sortable ones). */
export function DataTable({ labelledBy, label, columns, actions, children }: DataTableProps) {
  return (
    <div className="table-wrap">
      <table className="data-table" aria-labelledby={labelledBy} aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
