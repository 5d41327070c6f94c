import type { FormEvent, ReactNode } from 'react';
import { fieldErrorsOf } from '../api/errors.js';
import { ErrorNote } from './ErrorNote.js';
import { messagesFor } from './FieldError.js';

interface DialogFormProps {
  children: ReactNode;
  submitLabel: string;
  /** Shown on the submit button while the request runs (buttons are disabled meanwhile). */
  busyLabel?: string;
  busy?: boolean;
  /** The submit button stays disabled (e.g. a required field is empty). */
  incomplete?: boolean;
  /** Why the request failed. */
  error?: unknown;
  /**
   * The fields that show their own messages: when the server's field errors name one of them,
   * the general message (which names every field again) is not repeated under the form.
   */
  fields?: readonly string[];
  /** Drawn as a dangerous action. */
  danger?: boolean;
  onSubmit(): void;
  onCancel(): void;
}

/**
 * The form inside a dialog: fields, then why the last attempt failed, then Cancel and the submit
 * button. Enter in a field submits; Escape (the dialog's) cancels.
 */
export function DialogForm({
  children,
  submitLabel,
  busyLabel = 'Working…',
  busy,
  incomplete,
  error,
  fields = [],
  danger,
  onSubmit,
  onCancel,
}: DialogFormProps) {
  const fieldErrors = fieldErrorsOf(error);
  const shownByFields = fields.some((name) => messagesFor(fieldErrors, name).length > 0);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!busy && !incomplete) onSubmit();
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      {children}
      {!shownByFields && <ErrorNote error={error} />}
      <div className="modal-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className={`button ${danger ? 'button-danger' : 'button-primary'}`} disabled={busy || incomplete}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}
