import { useMutation } from '@tanstack/react-query';
import { useClient } from '../api/client.js';
import { LiveUpdates, useLiveState } from '../api/live.js';
import { useMe, ViewerProvider, type Viewer } from '../api/viewer.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useRoute, hrefs } from '../route.js';
import { useSession } from '../session.js';
import { MachineDetail } from './MachineDetail.js';
import { Machines } from './Machines.js';
import { PendingApproval } from './PendingApproval.js';

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

function LiveIndicator() {
  const state = useLiveState();
  const text = { connecting: 'Connecting…', live: 'Live', polling: 'Live updates interrupted: refreshing every 15 s' }[state];
  return (
    <span className={`live live-${state}`} role="status" title={state === 'live' ? 'Changes appear as they happen' : undefined}>
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}

function SignedInLayout({ viewer }: { viewer: Viewer }) {
  const route = useRoute();
  const session = useSession();
  const client = useClient();
  // A password session's token is revoked on the server; a pasted API token is only forgotten here.
  const signOut = useMutation({
    mutationFn: async () => {
      if (session.kind === 'session') await client.protected.auth.logout.mutate();
    },
    onSettled: () => session.signOut(),
  });
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href={hrefs.overview}>
          <span className="brand-mark" aria-hidden="true" />
          Metalyard
        </a>
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
      <main id="main" className="page" tabIndex={-1}>
        {route.screen === 'machine' ? (
          <MachineDetail key={route.systemId} systemId={route.systemId} />
        ) : (
          <>
            <PendingApproval />
            <Machines />
          </>
        )}
      </main>
    </>
  );
}
