import { useEffect, useRef } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useClient } from '../api/client.js';
import { LiveUpdates } from '../api/live.js';
import { isAdmin, useMe, ViewerProvider, type Viewer } from '../api/viewer.js';
import { AdminsOnly } from '../components/AdminsOnly.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { LiveIndicator } from '../components/LiveIndicator.js';
import { hrefs, useRoute, type Route } from '../route.js';
import { useSession } from '../session.js';
import { EventLog } from './events/EventLog.js';
import { LabelsScreen } from './labels/LabelsScreen.js';
import { MachineDetail } from './MachineDetail.js';
import { Machines } from './Machines.js';
import { NavBar, screenTitle } from './NavBar.js';
import { PendingApproval } from './PendingApproval.js';
import { TokensScreen } from './tokens/TokensScreen.js';
import { UsersScreen } from './users/UsersScreen.js';

/** The signed-in app: who is signed in first, then live updates and the screen the URL names. */
export function Shell() {
  const me = useMe();
  const session = useSession();
  if (me.data) {
    return (
      <ViewerProvider viewer={me.data}>
        <LiveUpdates>
          <SignedInLayout viewer={me.data} />
        </LiveUpdates>
      </ViewerProvider>
    );
  }
  return (
    <main className="sign-in">
      <div className="card sign-in-card">
        {me.isPending ? (
          <p className="muted" role="status">
            Signing in…
          </p>
        ) : (
          <>
            <ErrorNote error={me.error} />
            <div className="modal-actions">
              <button type="button" className="button" onClick={() => session.signOut()}>
                Sign out
              </button>
              <button type="button" className="button button-primary" onClick={() => me.refetch()}>
                Try again
              </button>
            </div>
          </>
        )}
      </div>
    </main>
  );
}

/** Which screen the route names: a change of it (not of its filters) moves the focus to the page. */
function screenKey(route: Route): string {
  if (route.screen === 'machine') return `machine/${route.systemId}`;
  if (route.screen === 'labels') return route.kind;
  return route.screen;
}

function Screen({ route, viewer }: { route: Route; viewer: Viewer }) {
  switch (route.screen) {
    case 'machine':
      return <MachineDetail key={route.systemId} systemId={route.systemId} />;
    case 'events':
      return <EventLog query={route.query} />;
    case 'labels':
      return <LabelsScreen key={route.kind} kind={route.kind} />;
    case 'users':
      return isAdmin(viewer) ? <UsersScreen /> : <AdminsOnly what="Users" />;
    case 'tokens':
      return <TokensScreen />;
    default:
      return (
        <>
          <PendingApproval />
          <Machines query={route.query} />
        </>
      );
  }
}

function SignedInLayout({ viewer }: { viewer: Viewer }) {
  const route = useRoute();
  const session = useSession();
  const client = useClient();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(screenKey(route));
  // A password session's token is revoked on the server; a pasted API token is only forgotten here.
  const signOut = useMutation({
    mutationFn: async () => {
      if (session.kind === 'session') await client.protected.auth.logout.mutate();
    },
    onSettled: () => session.signOut(),
  });
  useEffect(() => {
    document.title = screenTitle(route);
    const key = screenKey(route);
    if (key === shown.current) return;
    shown.current = key;
    // Another screen: start reading (and tabbing) from its top, as after a page load.
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route]);
  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => (event.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={hrefs.overview}>
          <span className="brand-mark" aria-hidden="true" />
          Metalyard
        </a>
        <NavBar route={route} viewer={viewer} />
        <div className="topbar-end">
          <LiveIndicator />
          <span className="who">
            {viewer.username} <span className="role">{viewer.role}</span>
          </span>
          <button type="button" className="button button-quiet" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} className="page" tabIndex={-1}>
        <Screen route={route} viewer={viewer} />
      </main>
    </>
  );
}
