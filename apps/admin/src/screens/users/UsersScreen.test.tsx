import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { apiError } from '../../test/fake-client.js';
import { renderApp } from '../../test/render.js';
import { passwordProblem } from './PasswordFields.js';
import { UsersScreen } from './UsersScreen.js';

afterEach(cleanup);

const users = [
  { username: 'admin', role: 'admin', createdAt: '2026-01-01T00:00:00Z' },
  { username: 'alice', role: 'user', createdAt: '2026-01-02T00:00:00Z' },
];

const row = (name: string) => screen.getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr')!;

function fill(dialog: HTMLElement, label: string, value: string) {
  fireEvent.change(within(dialog).getByLabelText(label, { exact: true }), { target: { value } });
}

describe('UsersScreen', () => {
  it('offers yourself only a new password, and says who changes your role or deletes you', async () => {
    renderApp(<UsersScreen />, { handlers: { 'protected.users.list': () => users } });
    await screen.findByText('alice');
    expect(
      within(row('admin'))
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['Reset password']);
    expect(row('admin').textContent).toContain('Another admin changes your role or deletes you.');
    expect(
      within(row('alice'))
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['Make admin', 'Reset password', 'Delete']);
  });

  it('changes a role after confirming, through the API', async () => {
    const { inputsOf } = renderApp(<UsersScreen />, {
      handlers: { 'protected.users.list': () => users, 'protected.users.update': (input) => ({ ...users[1], ...(input as object) }) },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Make alice an admin' }));
    const dialog = screen.getByRole('dialog', { name: 'Make alice an admin?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Make admin' }));
    expect(await screen.findByText('alice is now an admin.', { selector: '.success-note' })).toBeTruthy();
    expect(inputsOf('protected.users.update')).toEqual([{ username: 'alice', role: 'admin' }]);
  });

  it("shows the server's conflict when deleting a user who still owns machines", async () => {
    renderApp(<UsersScreen />, {
      handlers: {
        'protected.users.list': () => users,
        'protected.users.delete': () => Promise.reject(apiError(409, "user 'alice' still owns 2 node(s); release them first")),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Delete user alice' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete user alice?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete user' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe("user 'alice' still owns 2 node(s); release them first");
  });

  it('checks the password before sending it, then shows the server refusing the username under its field', async () => {
    const { inputsOf } = renderApp(<UsersScreen />, {
      handlers: {
        'protected.users.list': () => users,
        'protected.users.create': () =>
          Promise.reject(apiError(400, 'invalid input: username: must start with a letter', { username: ['must start with a letter'] })),
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Add user' }));
    const dialog = screen.getByRole('dialog', { name: 'Add user' });
    fill(dialog, 'Username', '9lives');
    fill(dialog, 'Password', 'a long enough passphrase');
    fill(dialog, 'Repeat the password', 'a different passphrase');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('the two passwords differ');
    expect(inputsOf('protected.users.create')).toEqual([]);

    fill(dialog, 'Repeat the password', 'a long enough passphrase');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add user' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('must start with a letter');
    expect(within(dialog).getByLabelText('Username').getAttribute('aria-invalid')).toBe('true');
    expect(inputsOf('protected.users.create')).toEqual([{ username: '9lives', role: 'user', password: 'a long enough passphrase' }]);
  });

  it('says when the signed-in user may not list users (403)', async () => {
    renderApp(<UsersScreen />, {
      handlers: { 'protected.users.list': () => Promise.reject(apiError(403, "user 'alice' is not an admin")) },
    });
    expect((await screen.findByRole('alert')).textContent).toBe(
      "Not allowed: user 'alice' is not an admin. Ask an admin if you need to do this.",
    );
  });
});

describe('passwordProblem', () => {
  it('wants at least 12 characters, typed the same twice', () => {
    expect(passwordProblem('short', 'short')).toBe('must be at least 12 characters');
    expect(passwordProblem('long enough pass', 'long enough pass!')).toBe('the two passwords differ');
    expect(passwordProblem('long enough pass', 'long enough pass')).toBeNull();
  });
});
