import type { ReactNode } from 'react';
import { DoneNote } from './DoneNote.js';
import { ErrorNote } from './ErrorNote.js';
import { PanelHead } from './PanelHead.js';

interface ListPanelProps {
  titleId: string;
  title: string;
  lead: string;
  /** The screen's main actions, at the right of its heading. */
  actions?: ReactNode;
  /** Said under the heading (e.g. who may change what). */
  notice?: ReactNode;
  /** What was just done, in words. */
  done: string | null;
  /** Why the list could not be loaded. */
  error: unknown;
  pending: boolean;
  /** The list, once loaded. */
  children: ReactNode;
  /** Dialogs, kept mounted whatever the list's state. */
  dialogs?: ReactNode;
}

/** A screen that lists things of one kind: heading, what was just done, why loading failed, the list. */
export function ListPanel({ titleId, title, lead, actions, notice, done, error, pending, children, dialogs }: ListPanelProps) {
  return (
    <section className="panel" aria-labelledby={titleId}>
      <PanelHead titleId={titleId} title={title} lead={lead} actions={actions} />
      {notice}
      <DoneNote message={done} />
      <ErrorNote error={error} />
      {pending ? <p className="muted">Loading…</p> : children}
      {dialogs}
    </section>
  );
}
