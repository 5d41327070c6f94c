import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createMetalyardClient, httpStatusOf, type MetalyardClient } from '@metalyard/sdk';
import { refusal } from './app.js';
import { ADMIN_PASSWORD, ADMIN_TOKEN, launchChromium, nextMac, screenshot, startServer, type Running } from './harness.js';

/** Quicker than the app's 15 s polling fallback: what appears this fast came through the subscription. */
const LIVE_TIMEOUT_MS = 5_000;
const ALICE_PASSWORD = 'alice has a long passphrase';

let server: Running;
let browser: Browser;
let page: Page;
let anonymous: MetalyardClient;
let admin: MetalyardClient;
const alphaMac = nextMac();

beforeAll(async () => {
  server = await startServer();
  anonymous = createMetalyardClient({ url: server.url });
  admin = createMetalyardClient({ url: server.url, token: ADMIN_TOKEN });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const machineRow = (hostname: string) => page.getByRole('table').getByRole('row').filter({ hasText: hostname });
const pendingList = () => page.getByRole('list', { name: 'Machines waiting for approval' });
const actions = () => page.getByRole('region', { name: 'Actions' });
const headStatus = (status: string) => page.locator('.detail-head').getByText(status, { exact: true });
const search = () => page.getByRole('searchbox', { name: 'Search by hostname prefix or MAC address' });

async function signIn(username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Machines' }).waitFor();
}

async function openMachine(hostname: string) {
  await page.goto(`${server.url}/#/`);
  await machineRow(hostname).getByRole('link', { name: hostname }).click();
  await page.getByRole('heading', { name: hostname, level: 1 }).waitFor();
}

/** Runs an action of the detail page whose dialog asks first, typing a comment when given. */
async function actWithDialog(label: string, hostname: string, comment?: string) {
  await actions().getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `${label} ${hostname}?` });
  if (comment !== undefined) await dialog.getByRole('textbox').fill(comment);
  await dialog.getByRole('button', { name: label, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

describe('the admin app in Chromium, on the real server', () => {
  it('refuses a wrong password, then signs in with a password and keeps the session across a reload', async () => {
    await anonymous.enlist.mutate({ hostname: 'pxe-alpha', architecture: 'amd64/generic', macAddresses: [alphaMac] });

    await page.goto(server.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
    await screenshot(page, '01-sign-in-refused');

    await signIn('admin', ADMIN_PASSWORD);
    await page.locator('.live-live').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Machines' }).waitFor();
    expect(await page.locator('.who').textContent()).toContain('admin');
  });

  it('shows the self-enlisted machine in Pending approval and accepts it after a plain warning', async () => {
    await pendingList().getByRole('link', { name: 'pxe-alpha' }).waitFor();
    await machineRow('pxe-alpha').getByText('Declared').waitFor();
    await screenshot(page, '02-pending');

    await page.getByRole('button', { name: 'Accept pxe-alpha' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept pxe-alpha?' });
    expect(await dialog.textContent()).toContain('wipes its disks');
    await screenshot(page, '03-accept-confirmation');
    await dialog.getByRole('button', { name: 'Accept machine' }).click();

    await machineRow('pxe-alpha').getByText('Ready').waitFor();
    await page.getByText('No machines are waiting for approval.').waitFor();
  });

  it('shows a machine that enlists while the page is open, through the live subscription', async () => {
    await page.locator('.live-live').waitFor();
    await anonymous.enlist.mutate({ hostname: 'pxe-bravo', architecture: 'arm64/generic', macAddresses: [nextMac()] });
    await pendingList().getByRole('link', { name: 'pxe-bravo' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await machineRow('pxe-bravo').getByText('Declared').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await screenshot(page, '04-live-update');

    await page.getByRole('button', { name: 'Accept all (1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept all 1 machine?' });
    expect(await dialog.textContent()).toContain('wipes its disks');
    await dialog.getByRole('button', { name: 'Accept 1 machine' }).click();
    await machineRow('pxe-bravo').getByText('Ready').waitFor();
  });

  it("filters by status with the server's counts, and searches by hostname prefix or MAC on the server", async () => {
    const chips = page.getByRole('group', { name: 'Filter by status' });
    await chips.getByRole('button', { name: 'Ready 2' }).waitFor();
    expect(await chips.getByRole('button', { name: 'All 2' }).count()).toBe(1);

    await search().fill('pxe-b');
    await machineRow('pxe-alpha').waitFor({ state: 'detached' });
    await machineRow('pxe-bravo').waitFor();

    await search().fill(alphaMac.toUpperCase().replace(/:/g, '-'));
    await machineRow('pxe-bravo').waitFor({ state: 'detached' });
    await machineRow('pxe-alpha').waitFor();

    await search().fill('rack9');
    await page.getByText('No machine has a hostname starting with “rack9”').waitFor();
    await screenshot(page, '05-search-empty');
    await search().fill('');
    await machineRow('pxe-bravo').waitFor();
  });

  it("shows the server's message next to a refused acquisition", async () => {
    const expected = await refusal(admin.protected.nodes.acquire.mutate({ architecture: 's390x/generic' }));
    const acquire = page.getByRole('form', { name: 'Acquire a ready machine' });
    await acquire.getByLabel('Architecture to acquire').selectOption('s390x/generic');
    await acquire.getByRole('button', { name: 'Acquire a machine' }).click();
    const alert = acquire.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(expected);
    await screenshot(page, '06-refused-action');
  });

  it('acquires, deploys and commissions with the machine token shown once, marks broken and fixed, and releases', async () => {
    await openMachine('pxe-alpha');
    await headStatus('Ready').waitFor();
    await screenshot(page, '07-detail-ready');

    await actions().getByRole('button', { name: 'Acquire', exact: true }).click();
    await headStatus('Allocated').waitFor();
    expect(await page.getByRole('region', { name: 'Details' }).textContent()).toContain('admin');

    await actions().getByRole('button', { name: 'Deploy', exact: true }).click();
    const tokenDialog = page.getByRole('dialog', { name: 'Machine token for pxe-alpha' });
    const machineToken = await tokenDialog.getByLabel('Machine token for pxe-alpha').inputValue();
    expect(await tokenDialog.textContent()).toContain('boot environment');
    await screenshot(page, '08-machine-token');
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await headStatus('Deploying').waitFor();

    // The machine reports with the token it was given; the page follows through the subscription.
    const systemId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    const machine = createMetalyardClient({ url: server.url, token: machineToken });
    await machine.machine.reportDeployment.mutate({ systemId, result: 'passed' });
    await headStatus('Deployed').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByRole('list', { name: 'Events, oldest first' }).getByText('Pass deployment').waitFor({ timeout: LIVE_TIMEOUT_MS });

    await actWithDialog('Mark broken', 'pxe-alpha', 'fan failure in slot 3');
    await headStatus('Broken').waitFor();
    await page.getByRole('note', { name: 'Status message' }).getByText('fan failure in slot 3').waitFor();
    await screenshot(page, '09-detail-broken');

    await actions().getByRole('button', { name: 'Mark fixed', exact: true }).click();
    await headStatus('Ready').waitFor();

    await actions().getByRole('button', { name: 'Commission', exact: true }).click();
    const commissioningDialog = page.getByRole('dialog', { name: 'Machine token for pxe-alpha' });
    const commissioningToken = await commissioningDialog.getByLabel('Machine token for pxe-alpha').inputValue();
    await commissioningDialog.getByRole('button', { name: 'Done' }).click();
    await createMetalyardClient({ url: server.url, token: commissioningToken }).machine.reportCommissioning.mutate({
      systemId,
      result: 'passed',
      hardware: {
        cpuCount: 16,
        memoryMb: 65536,
        storage: [{ name: 'nvme0n1', sizeGb: 960 }],
        nics: [{ name: 'eno1', mac: alphaMac, speedMbps: 25000 }],
      },
    });
    await headStatus('Ready').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const hardware = page.getByRole('region', { name: 'Hardware' });
    await hardware.getByText('64 GiB').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await hardware.textContent()).toContain('nvme0n1 · 960 GB');

    await actions().getByRole('button', { name: 'Acquire', exact: true }).click();
    await headStatus('Allocated').waitFor();
    await actWithDialog('Release', 'pxe-alpha');
    await headStatus('Ready').waitFor();
    const timeline = page.getByRole('list', { name: 'Events, oldest first' });
    await timeline.getByText('Finish release').waitFor();
    await screenshot(page, '10-detail-history');
  });

  it("edits tags and zone, and shows the server's refusal of a taken hostname", async () => {
    await admin.protected.tags.create.mutate({ name: 'gpu' });
    await admin.protected.zones.create.mutate({ name: 'dc1' });
    const { systemId } = (await admin.protected.nodes.list.query({ hostnamePrefix: 'pxe-alpha' })).items[0]!;

    await actions().getByRole('button', { name: 'Edit' }).click();
    let dialog = page.getByRole('dialog', { name: 'Edit pxe-alpha' });
    await dialog.getByLabel('gpu').check();
    await dialog.getByLabel('Zone').selectOption('dc1');
    await screenshot(page, '11-edit');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByRole('list', { name: 'Tags' }).getByText('gpu').waitFor();
    expect(await details.textContent()).toContain('dc1');

    const expected = await refusal(admin.protected.nodes.update.mutate({ systemId, hostname: 'pxe-bravo' }));
    await actions().getByRole('button', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit pxe-alpha' });
    await dialog.getByLabel('Hostname').fill('pxe-bravo');
    await dialog.getByRole('button', { name: 'Save' }).click();
    expect(await dialog.getByRole('alert').textContent()).toBe(expected);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${server.url}/#/`);
    const row = machineRow('pxe-alpha');
    await row.getByText('gpu').waitFor();
    expect(await row.textContent()).toContain('dc1');
  });

  it('signs out (revoking the session) and shows a user only what a user may do', async () => {
    await admin.protected.users.create.mutate({ username: 'alice', role: 'user', password: ALICE_PASSWORD });
    await anonymous.enlist.mutate({ hostname: 'pxe-charlie', architecture: 'amd64/generic', macAddresses: [nextMac()] });
    const stored = JSON.parse((await page.evaluate(() => window.localStorage.getItem('metalyard.session')))!) as { token: string };

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();
    const revoked = createMetalyardClient({ url: server.url, token: stored.token });
    expect(httpStatusOf(await revoked.protected.me.query().catch((error: unknown) => error))).toBe(401);

    await signIn('alice', ALICE_PASSWORD);
    await pendingList().getByRole('link', { name: 'pxe-charlie' }).waitFor();
    expect(await page.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    await page.getByText('Only an admin may accept them.').waitFor();
    await screenshot(page, '12-user-overview');

    await openMachine('pxe-alpha');
    await actions().getByRole('button', { name: 'Acquire', exact: true }).waitFor();
    expect(await actions().getByRole('button').allTextContents()).toEqual(['Acquire']);
  });

  it('signs in with an API token and deletes a machine after confirming', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Use an API token instead' }).click();
    await page.getByLabel('API token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in with the token' }).click();
    // Back on the page the URL names: the machine alice was looking at.
    await page.getByRole('heading', { name: 'pxe-alpha', level: 1 }).waitFor();
    await actions().getByRole('button', { name: 'Retire', exact: true }).waitFor();

    await openMachine('pxe-charlie');
    await actWithDialog('Delete', 'pxe-charlie');
    await page.getByRole('heading', { name: 'Machines' }).waitFor();
    await machineRow('pxe-charlie').waitFor({ state: 'detached' });
  });

  it('works on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/#/`);
    await machineRow('pxe-bravo').waitFor();
    await screenshot(page, '13-narrow');
    await openMachine('pxe-alpha');
    await screenshot(page, '14-narrow-detail');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('returns to the sign-in with a message when the server refuses the token (401)', async () => {
    await page.evaluate(() =>
      window.localStorage.setItem(
        'metalyard.session',
        JSON.stringify({ token: 'revoked-token-000000000000000000000000', kind: 'api-token' }),
      ),
    );
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
    await page.getByLabel('Username').waitFor();
    await screenshot(page, '15-session-ended');
  });
});
