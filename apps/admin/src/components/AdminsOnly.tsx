import { PanelHead } from './PanelHead.js';

/** What a user who is not an admin sees on an admin's screen (the server would refuse with 403 anyway). */
export function AdminsOnly({ what }: { what: string }) {
  return (
    <section className="panel" aria-labelledby="admins-only-title">
      <PanelHead titleId="admins-only-title" title={what} />
      <div className="empty">
        <p className="empty-title">Only admins may see and change this</p>
        <p>Ask an admin if you need it.</p>
      </div>
    </section>
  );
}
