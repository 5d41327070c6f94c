import type { ReactNode } from 'react';

interface PanelHeadProps {
  /** The id the panel's aria-labelledby points at. */
  titleId: string;
  title: ReactNode;
  lead?: ReactNode;
  actions?: ReactNode;
}

/** A screen's heading, what it is for, and its main actions at the right. */
export function PanelHead({ titleId, title, lead, actions }: PanelHeadProps) {
  return (
    <div className="panel-head">
      <div>
        <h1 id={titleId}>{title}</h1>
        {lead && <p className="panel-lead">{lead}</p>}
      </div>
      {actions && <div className="panel-actions">{actions}</div>}
    </div>
  );
}
