import { useState } from 'react';
import { useRevokeToken, useTokens, type ApiToken } from '../../api/tokens.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { DataTable } from '../../components/DataTable.js';
import { ListPanel } from '../../components/ListPanel.js';
import { TimeAgo } from '../../components/TimeAgo.js';
import { useSession } from '../../session.js';
import { CreateTokenDialog } from './CreateTokenDialog.js';

export const REVOKED_CURRENT = 'You revoked the token this page was signed in with. Sign in again.';

/** Your own API tokens and sign-in sessions: create one (shown once), revoke one (refused at once). */
export function TokensScreen() {
  const session = useSession();
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [done, setDone] = useState<string | null>(null);

  function ask(token: ApiToken) {
    revoke.reset();
    setRevoking(token);
  }

  function confirm() {
    if (!revoking) return;
    const token = revoking;
    revoke.mutate(token.id, {
      onSuccess: ({ revoked }) => {
        if (token.current) return session.signOut(REVOKED_CURRENT);
        setDone(revoked ? `Revoked token ${token.name}.` : `Token ${token.name} was already revoked or had expired.`);
        setRevoking(null);
      },
    });
  }

  const list = tokens.data ?? [];
  return (
    <ListPanel
      titleId="tokens-title"
      title="API tokens"
      lead="Tokens let scripts and the CLI act as you. Your sign-in sessions are tokens too, and are listed here."
      actions={
        <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
          Create token
        </button>
      }
      done={done}
      error={tokens.error}
      pending={tokens.isPending}
      dialogs={
        <>
          <CreateTokenDialog open={creating} onClose={() => setCreating(false)} />
          <ConfirmDialog
            open={revoking !== null}
            title={`Revoke token ${revoking?.name ?? ''}?`}
            confirmLabel="Revoke token"
            busy={revoke.isPending}
            error={revoke.error}
            onConfirm={confirm}
            onCancel={() => setRevoking(null)}
          >
            <p>Anything that uses it is refused from now on. This cannot be undone: create a new token instead.</p>
            {revoking?.current && <p className="warning">This page is signed in with it: you are signed out at once.</p>}
          </ConfirmDialog>
        </>
      }
    >
      <DataTable labelledBy="tokens-title" columns={['Name', 'Created', 'Expires']} actions>
        {list.map((token) => (
          <tr key={token.id}>
            <th scope="row" data-label="Name">
              <span>
                <span className="strong">{token.name}</span> {token.current && <span className="badge badge-ok">this page</span>}
              </span>
            </th>
            <td data-label="Created">
              <TimeAgo iso={token.createdAt} />
            </td>
            <td data-label="Expires">{token.expiresAt ? <TimeAgo iso={token.expiresAt} /> : <span className="muted">never</span>}</td>
            <td className="row-actions">
              <button
                type="button"
                className="button button-small button-danger-outline"
                onClick={() => ask(token)}
                aria-label={`Revoke token ${token.name}${token.current ? ' (signs you out)' : ''}`}
              >
                Revoke
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
    </ListPanel>
  );
}
