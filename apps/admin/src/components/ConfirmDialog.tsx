import type { ReactNode } from 'react';
import { ErrorNote } from './ErrorNote.js';
import { Modal } from './Modal.js';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** While the confirmed action runs: the buttons are disabled. */
  busy?: boolean;
  /** Why the confirmed action failed, shown in the dialog. */
  error?: unknown;
  onConfirm(): void;
  onCancel(): void;
}

/** Asks before an action that cannot be undone; Cancel has the focus so Enter does no harm. */
export function ConfirmDialog({ open, title, children, confirmLabel, busy, error, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Modal open={open} title={title} onClose={onCancel}>
      <div className="modal-body">{children}</div>
      <ErrorNote error={error} />
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus>
          Cancel
        </button>
        <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
