import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMetalyardClient, httpStatusOf } from '@metalyard/sdk';
import { focused, navigateTo, openApp, refusal, signIn, signOut, tableRow, type App } from './app.js';
import { nextMac, screenshot } from './harness.js';

/** Quicker than the app's 15 s polling fallback: what appears this fast came through the subscription. */
const LIVE_TIMEOUT_MS = 5_000;
const BOB_PASSWORD = 'bob has a long passphrase too';

let app: App;
let page: Page;

beforeAll(async () => {
  app = await openApp();
  page = app.page;
  await page.goto(app.server.url);
  await signIn(page);
});

afterAll(async () => {
  await app?.close();
});

const dialog = (name: string) => page.getByRole('dialog', { name });

describe('tags, zones and pools in Chromium, on the real server', () => {
  it('creates a tag after the server refused a bad name under its field, with the focus where it belongs', async () => {
    const expected = await refusal(app.admin.protected.tags.create.mutate({ name: 'bad name!' }));
    await navigateTo(page, 'Tags', 'Tags');
    // Another screen: reading and tabbing start from its top.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByText('No tags yet').waitFor();

    await page.getByRole('button', { name: 'Add tag' }).first().click();
    const add = dialog('Add tag');
    expect(await add.getByLabel('Name').evaluate((input) => input === document.activeElement)).toBe(true);
    await add.getByLabel('Name').fill('bad name!');
    await add.getByRole('button', { name: 'Add tag' }).click();
    const fieldError = add.getByRole('alert');
    await fieldError.waitFor();
    expect(expected).toContain(await fieldError.textContent());
    expect(await add.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '20-tag-field-error');

    await add.getByLabel('Name').fill('gpu');
    await add.getByLabel('Description (optional)').fill('Has a GPU');
    await add.getByLabel('Name').press('Enter');
    await add.waitFor({ state: 'hidden' });
    await tableRow(page, 'gpu').getByText('0 machines').waitFor();
    expect(await tableRow(page, 'gpu').textContent()).toContain('Has a GPU');
  });

  it('keeps the node count true live, renames and links to the machines that carry it', async () => {
    const node = await app.admin.protected.enlist.mutate({
      hostname: 'tagged-1',
      architecture: 'amd64/generic',
      macAddresses: [nextMac()],
    });
    await app.admin.protected.enlist.mutate({ hostname: 'untagged-1', architecture: 'amd64/generic', macAddresses: [nextMac()] });
    await app.admin.protected.nodes.update.mutate({ systemId: node.systemId, tags: ['gpu'] });
    await tableRow(page, 'gpu').getByText('1 machine', { exact: true }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    await page.getByRole('button', { name: 'Edit tag gpu' }).click();
    const edit = dialog('Edit tag gpu');
    await edit.getByLabel('Name').fill('gpu-a100');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Renamed tag gpu to gpu-a100.').first().waitFor();
    expect((await app.admin.protected.nodes.get.query({ systemId: node.systemId })).tags).toEqual(['gpu-a100']);
    await screenshot(page, '21-tags');

    await page.getByRole('link', { name: '1 machine with tag gpu-a100' }).click();
    await page.getByRole('heading', { name: 'Machines' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/?tag=gpu-a100');
    await tableRow(page, 'tagged-1').waitFor();
    await tableRow(page, 'untagged-1').waitFor({ state: 'detached' });
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('gpu-a100');
  });

  it('deletes a tag after saying its machines keep their disks; Escape cancels and gives the focus back', async () => {
    await navigateTo(page, 'Tags', 'Tags');
    await page.getByRole('button', { name: 'Delete tag gpu-a100' }).click();
    await dialog('Delete tag gpu-a100?').waitFor();
    await page.keyboard.press('Escape');
    await dialog('Delete tag gpu-a100?').waitFor({ state: 'hidden' });
    // The focus comes back once the dialog's close has rendered: polled, not read at once.
    await expect.poll(() => focused(page)).toBe('Delete tag gpu-a100');

    // The keyboard again, on the button itself (a live refresh of the list may have re-rendered it meanwhile).
    await page.getByRole('button', { name: 'Delete tag gpu-a100' }).press('Enter');
    const confirm = dialog('Delete tag gpu-a100?');
    await confirm.waitFor();
    await expect
      .poll(() => confirm.textContent())
      .toContain('1 machine has it. Its machines stay as they are, without this tag. Nothing happens to their disks.');
    await confirm.getByRole('button', { name: 'Delete tag' }).click();
    await tableRow(page, 'gpu-a100').waitFor({ state: 'detached' });
    await page.getByText('No tags yet').waitFor();
  });

  it("creates zones and pools, and shows the server's conflict on a name that exists", async () => {
    await app.admin.protected.zones.create.mutate({ name: 'dc1', description: 'Main hall' });
    const expected = await refusal(app.admin.protected.zones.create.mutate({ name: 'dc1' }));
    await navigateTo(page, 'Zones', 'Zones');
    // Made elsewhere, without an event: the screen fetches the list again when it opens.
    await tableRow(page, 'Main hall').waitFor();
    await page.getByRole('button', { name: 'Add zone' }).click();
    const add = dialog('Add zone');
    await add.getByLabel('Name').fill('dc1');
    await add.getByRole('button', { name: 'Add zone' }).click();
    expect(await add.getByRole('alert').textContent()).toBe(expected);
    await add.getByLabel('Name').fill('dc2');
    await add.getByLabel('Description (optional)').fill('Overflow room, rows 10-14');
    await add.getByRole('button', { name: 'Add zone' }).click();
    await tableRow(page, 'dc2').waitFor();
    await screenshot(page, '22-zones');

    await navigateTo(page, 'Pools', 'Resource pools');
    await page.getByRole('button', { name: 'Add pool' }).first().click();
    await dialog('Add pool').getByLabel('Name').fill('ci');
    await dialog('Add pool').getByRole('button', { name: 'Add pool' }).click();
    await tableRow(page, 'ci').getByText('0 machines').waitFor();
    await screenshot(page, '23-pools');
  });
});

describe('users in Chromium, on the real server', () => {
  it('offers neither demotion nor deletion on yourself, and adds a user after a password mismatch', async () => {
    await navigateTo(page, 'Users', 'Users');
    const me = tableRow(page, 'admin');
    await me.getByText('you', { exact: true }).waitFor();
    expect(await me.getByRole('button').allTextContents()).toEqual(['Reset password']);
    expect(await me.textContent()).toContain('Another admin changes your role or deletes you.');

    await page.getByRole('button', { name: 'Add user' }).click();
    const add = dialog('Add user');
    await add.getByLabel('Username').fill('bob');
    await add.getByLabel('Password', { exact: true }).fill(BOB_PASSWORD);
    await add.getByLabel('Repeat the password').fill('something else entirely');
    await add.getByRole('button', { name: 'Add user' }).click();
    await add.getByRole('alert').filter({ hasText: 'the two passwords differ' }).waitFor();
    await add.getByLabel('Repeat the password').fill(BOB_PASSWORD);
    await add.getByRole('button', { name: 'Add user' }).click();
    await add.waitFor({ state: 'hidden' });
    await tableRow(page, 'bob').getByText('user', { exact: true }).waitFor();
  });

  it('makes a user an admin and back after confirming, and resets a password', async () => {
    await page.getByRole('button', { name: 'Make bob an admin' }).click();
    await dialog('Make bob an admin?').getByRole('button', { name: 'Make admin' }).click();
    await tableRow(page, 'bob').getByText('admin', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Make bob a user' }).click();
    await dialog('Make bob a user?').getByRole('button', { name: 'Make user' }).click();
    await tableRow(page, 'bob').getByText('user', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Reset the password of bob' }).click();
    const reset = dialog('Reset the password of bob');
    await reset.getByLabel('Password', { exact: true }).fill('short');
    await reset.getByLabel('Repeat the password').fill('short');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByRole('alert').filter({ hasText: 'must be at least 12 characters' }).waitFor();
    await reset.getByLabel('Password', { exact: true }).fill(`new ${BOB_PASSWORD}`);
    await reset.getByLabel('Repeat the password').fill(`new ${BOB_PASSWORD}`);
    await reset.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Set a new password for bob.').first().waitFor();
    const login = await app.anonymous.auth.login.mutate({ username: 'bob', password: `new ${BOB_PASSWORD}` });
    expect(login.user).toEqual({ username: 'bob', role: 'user' });
    await screenshot(page, '24-users');
  });

  it("shows the server's 409 when a user still owns machines, then deletes them once released", async () => {
    const bob = createMetalyardClient({
      url: app.server.url,
      token: (await app.anonymous.auth.login.mutate({ username: 'bob', password: `new ${BOB_PASSWORD}` })).token,
    });
    const held = await bob.protected.nodes.acquire.mutate({});
    const expected = await refusal(app.admin.protected.users.delete.mutate({ username: 'bob' }));

    await page.getByRole('button', { name: 'Delete user bob' }).click();
    const confirm = dialog('Delete user bob?');
    await confirm.getByRole('button', { name: 'Delete user' }).click();
    expect(await confirm.getByRole('alert').textContent()).toBe(expected);
    await screenshot(page, '25-user-conflict');

    await bob.protected.nodes.release.mutate({ systemId: held.systemId });
    await confirm.getByRole('button', { name: 'Delete user' }).click();
    await tableRow(page, 'bob').waitFor({ state: 'detached' });
  });
});

describe('API tokens in Chromium, on the real server', () => {
  it('creates a token shown once with a copy button, and the token works', async () => {
    await navigateTo(page, 'API tokens', 'API tokens');
    await tableRow(page, 'session').getByText('this page').waitFor();
    await page.getByRole('button', { name: 'Create token' }).click();
    const create = dialog('Create API token');
    await create.getByLabel('Name').fill('ci-runner');
    await create.getByLabel('Expires after').selectOption('30 days');
    await create.getByRole('button', { name: 'Create token' }).click();

    const shown = dialog('Token ci-runner created');
    const secret = await shown.getByLabel('API token ci-runner').inputValue();
    await shown.getByRole('button', { name: 'Copy the token' }).click();
    await shown.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, '26-token-created');
    expect(await createMetalyardClient({ url: app.server.url, token: secret }).protected.me.query()).toEqual({
      username: 'admin',
      role: 'admin',
    });
    await shown.getByRole('button', { name: 'Done' }).click();
    await tableRow(page, 'ci-runner').getByText('in 30 days').waitFor();
    await screenshot(page, '27-tokens');

    await page.getByRole('button', { name: 'Revoke token ci-runner' }).click();
    await dialog('Revoke token ci-runner?').getByRole('button', { name: 'Revoke token' }).click();
    await tableRow(page, 'ci-runner').waitFor({ state: 'detached' });
    const revoked = createMetalyardClient({ url: app.server.url, token: secret });
    expect(httpStatusOf(await revoked.protected.me.query().catch((error: unknown) => error))).toBe(401);
  });

  it('revoking the token this page uses signs out, saying why', async () => {
    await page.getByRole('button', { name: 'Revoke token session (signs you out)' }).click();
    const confirm = dialog('Revoke token session?');
    expect(await confirm.textContent()).toContain('you are signed out at once');
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('alert').filter({ hasText: 'You revoked the token this page was signed in with.' }).waitFor();
    await page.getByLabel('Username').waitFor();
  });
});

describe('a user who is not an admin', () => {
  it('sees tags read-only and is not offered the users screen', async () => {
    await app.admin.protected.users.create.mutate({ username: 'carol', role: 'user', password: BOB_PASSWORD });
    await signIn(page, 'carol', BOB_PASSWORD);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Machines', 'Events', 'Tags', 'Zones', 'Pools', 'API tokens']);
    await navigateTo(page, 'Zones', 'Zones');
    await tableRow(page, 'dc2').waitFor();
    expect(await page.getByRole('button', { name: /Add zone|Edit|Delete/ }).count()).toBe(0);

    await page.goto(`${app.server.url}/#/users`);
    await page.getByText('Only admins may see and change this').waitFor();
    await screenshot(page, '28-user-sees-admins-only');
    await signOut(page);
  });
});
