import { useState } from 'react';
import { LABEL_WORDS, useDeleteLabel, useLabels, type Label, type LabelKind } from '../../api/labels.js';
import { isAdmin, useViewer } from '../../api/viewer.js';

import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { DataTable } from '../../components/DataTable.js';
import { ListPanel } from '../../components/ListPanel.js';
import { hrefs } from '../../route.js';
import { LabelDialog } from './LabelDialog.js';
import { machines } from '../../format.js';

/** The machine filter a label's count links to. */
const FILTER: Record<LabelKind, 'tag' | 'zone' | 'pool'> = { tags: 'tag', zones: 'zone', pools: 'pool' };

/** Tags, zones or resource pools: every one with its machine count; admins create, edit and delete them. */
export function LabelsScreen({ kind }: { kind: LabelKind }) {
  const admin = isAdmin(useViewer());
  const words = LABEL_WORDS[kind];
  const labels = useLabels(kind);
  const remove = useDeleteLabel(kind);
  const [editing, setEditing] = useState<Label | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Label | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const titleId = `${kind}-title`;

  function askDelete(label: Label) {
    remove.reset();
    setDeleting(label);
  }

  function confirmDelete() {
    if (!deleting) return;
    remove.mutate(deleting.name, {
      onSuccess: () => {
        setDone(`Deleted ${words.one} ${deleting.name}.`);
        setDeleting(null);
      },
    });
  }

  const list = labels.data ?? [];
  const addButton = admin && (
    <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
      Add {words.one}
    </button>
  );
  return (
    <ListPanel
      titleId={titleId}
      title={words.title}
      lead={words.lead}
      actions={addButton}
      notice={
        !admin && <p className="hint">Only admins create, rename and delete {words.many}; any user may give tags to their own machines.</p>
      }
      done={done}
      error={labels.error}
      pending={labels.isPending}
      dialogs={
        <>
          {admin && (
            <LabelDialog
              kind={kind}
              label={editing === 'new' ? null : editing}
              open={editing !== null}
              onClose={() => setEditing(null)}
              onDone={(message) => {
                setDone(message);
                setEditing(null);
              }}
            />
          )}
          <ConfirmDialog
            open={deleting !== null}
            title={`Delete ${words.one} ${deleting?.name ?? ''}?`}
            confirmLabel={`Delete ${words.one}`}
            busy={remove.isPending}
            error={remove.error}
            onConfirm={confirmDelete}
            onCancel={() => setDeleting(null)}
          >
            <p>
              {deleting && deleting.nodeCount > 0
                ? `${machines(deleting.nodeCount)} ${deleting.nodeCount === 1 ? 'has' : 'have'} it. `
                : 'No machine has it. '}
              {words.onDelete} Nothing happens to their disks.
            </p>
          </ConfirmDialog>
        </>
      }
    >
      {list.length === 0 && !labels.error ? (
        <div className="empty">
          <p className="empty-title">No {words.many} yet</p>
          {addButton}
        </div>
      ) : (
        <DataTable labelledBy={titleId} columns={['Name', 'Description', 'Machines']} actions={admin}>
          {list.map((label) => (
            <tr key={label.name}>
              <th scope="row" data-label="Name">
                <span className="strong">{label.name}</span>
              </th>
              <td data-label="Description" className="wrap">
                {label.description || <span className="muted">—</span>}
              </td>
              <td data-label="Machines">
                <a
                  href={hrefs.machines({ [FILTER[kind]]: label.name })}
                  aria-label={`${machines(label.nodeCount)} with ${words.one} ${label.name}`}
                >
                  {machines(label.nodeCount)}
                </a>
              </td>
              {admin && (
                <td className="row-actions">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setEditing(label)}
                    aria-label={`Edit ${words.one} ${label.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button-small button-danger-outline"
                    onClick={() => askDelete(label)}
                    aria-label={`Delete ${words.one} ${label.name}`}
                  >
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </ListPanel>
  );
}
