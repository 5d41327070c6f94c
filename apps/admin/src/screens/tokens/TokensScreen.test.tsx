import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { useSession } from '../../session.js';
import { apiError } from '../../test/fake-client.js';
import { renderApp } from '../../test/render.js';
import { REVOKED_CURRENT, TokensScreen } from './TokensScreen.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  window.localStorage.clear();
});

const tokens = [
  { id: 1, name: 'session', createdAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z', current: true },
  { id: 2, name: 'laptop', createdAt: '2026-01-01T00:00:00Z', expiresAt: null, current: false },
];

/** Says whether the page is signed in, and why it was signed out. */
function SessionState() {
  const session = useSession();
  return <output aria-label="session">{session.token ? 'signed in' : `signed out: ${session.notice}`}</output>;
}

describe('TokensScreen', () => {
  it('shows a new token once, with a button that copies it', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { inputsOf } = renderApp(<TokensScreen />, {
      handlers: {
        'protected.tokens.list': () => tokens,
        'protected.tokens.create': () => ({
          id: 3,
          name: 'ci',
          createdAt: '2026-01-01T00:00:00Z',
          expiresAt: null,
          current: false,
          token: 'mly_secret',
        }),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Create token' }));
    const form = screen.getByRole('dialog', { name: 'Create API token' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: ' ci ' } });
    fireEvent.change(within(form).getByLabelText('Expires after'), { target: { value: 'Never' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));

    const shown = await screen.findByRole('dialog', { name: 'Token ci created' });
    expect((within(shown).getByLabelText('API token ci') as HTMLInputElement).value).toBe('mly_secret');
    expect(shown.textContent).toContain('shown only this once');
    fireEvent.click(within(shown).getByRole('button', { name: 'Copy the token' }));
    await within(shown).findByText('Copied to the clipboard.');
    expect(writeText).toHaveBeenCalledWith('mly_secret');
    expect(inputsOf('protected.tokens.create')).toEqual([{ name: 'ci' }]);
  });

  it('warns that revoking the token this page uses signs out, and signs out saying why', async () => {
    window.localStorage.setItem('metalyard.session', JSON.stringify({ token: 'mly_session', kind: 'session' }));
    const { inputsOf } = renderApp(
      <>
        <SessionState />
        <TokensScreen />
      </>,
      { handlers: { 'protected.tokens.list': () => tokens, 'protected.tokens.revoke': () => ({ revoked: true }) } },
    );
    expect(screen.getByRole('status', { name: 'session' }).textContent).toBe('signed in');
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke token session (signs you out)' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke token session?' });
    expect(dialog.textContent).toContain('you are signed out at once');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    await screen.findByText(`signed out: ${REVOKED_CURRENT}`);
    expect(inputsOf('protected.tokens.revoke')).toEqual([{ id: 1 }]);
  });

  it('says when the server throttles, and keeps the dialog to try again', async () => {
    renderApp(<TokensScreen />, {
      handlers: { 'protected.tokens.list': () => tokens, 'protected.tokens.revoke': () => Promise.reject(apiError(429, 'slow down')) },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke token laptop' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke token laptop?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke token' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Too many requests: slow down. Wait a moment, then try again.');
    expect((within(dialog).getByRole('button', { name: 'Revoke token' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
