import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWebhookServer, type WebhookServer } from '@metalyard/power/testing';
import { focused, openApp, signIn, tableRow, type App } from './app.js';
import { nextMac, screenshot } from './harness.js';

/**
 * The power panel of a machine's page, driving a real BMC stand-in: the webhook simulator of
 * @metalyard/power/testing on loopback (a PDU that keeps a power state). The periodic sync is off, so
 * only the page asks the BMC.
 */
let app: App;
let page: Page;
let pdu: WebhookServer;
let systemId: string;

beforeAll(async () => {
  pdu = await startWebhookServer({ power: 'off' });
  app = await openApp({ METALYARD_POWER_SYNC_INTERVAL: '0' });
  page = app.page;
  const node = await app.admin.protected.enlist.mutate({
    hostname: 'bmc-1',
    architecture: 'amd64/generic',
    macAddresses: [nextMac()],
    powerType: 'webhook',
    powerParameters: pdu.parameters,
  });
  systemId = node.systemId;
  await app.admin.protected.enlist.mutate({ hostname: 'by-hand-1', architecture: 'amd64/generic', macAddresses: [nextMac()] });
  await page.goto(app.server.url);
  await signIn(page);
});

afterAll(async () => {
  await app?.close();
  await pdu?.stop();
});

const panel = () => page.getByRole('region', { name: 'Power', exact: true });
const stateLine = () => panel().getByLabel('Power state');
const outcome = () => panel().getByRole('status');
const powerCell = (hostname: string) => tableRow(page, hostname).locator('td[data-label="Power"]');

describe('the power panel in Chromium, on the real server and a webhook BMC simulator', () => {
  it('shows the power state in the machine table and on the page, and powers on from the keyboard', async () => {
    await tableRow(page, 'bmc-1').waitFor();
    expect(await powerCell('bmc-1').textContent()).toBe('Unknown');
    await tableRow(page, 'bmc-1').getByRole('link', { name: 'bmc-1' }).click();
    await page.getByRole('heading', { name: 'bmc-1', level: 1 }).waitFor();
    expect(await stateLine().textContent()).toBe('Unknown not asked yet');
    expect(await panel().getByRole('group', { name: 'Power actions' }).getByRole('button').allTextContents()).toEqual([
      'Power on',
      'Shut down',
      'Power off',
      'Power cycle',
      'Check power',
    ]);

    await panel().getByRole('button', { name: 'Power on', exact: true }).focus();
    await page.keyboard.press('Enter');
    await outcome().getByText('The BMC powered it on.').waitFor();
    expect(pdu.power).toBe('on');
    expect(await stateLine().textContent()).toMatch(/^On as of /);
    expect(pdu.calls.filter((call) => call.method === 'POST').map((call) => call.path)).toEqual(['/on']);
    // The request and its outcome are events on the machine, which its history shows live.
    await page.getByRole('list', { name: 'Events, oldest first' }).getByText('Outcome: succeeded · Power state: on').waitFor();
    await screenshot(page, '50-power-panel');
  });

  it('checks the power when the machine changed behind Metalyard’s back', async () => {
    pdu.power = 'off';
    await panel().getByRole('button', { name: 'Check power', exact: true }).click();
    await outcome().getByText('The BMC says it is off.').waitFor();
    expect(await stateLine().textContent()).toMatch(/^Off as of /);
  });

  it('asks before a power cycle, Cancel first; Escape sends nothing', async () => {
    pdu.power = 'on';
    const posts = () => pdu.calls.filter((call) => call.method === 'POST').length;
    const before = posts();
    await panel().getByRole('button', { name: 'Power cycle', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Power cycle bmc-1?' });
    await dialog.waitFor();
    expect(await focused(page)).toBe('Cancel');
    expect(await dialog.textContent()).toContain('whatever runs on it stops without shutting down');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(posts()).toBe(before);

    await panel().getByRole('button', { name: 'Power cycle', exact: true }).click();
    await dialog.getByRole('button', { name: 'Power cycle', exact: true }).click();
    await outcome().getByText('The BMC power cycled it.').waitFor();
    expect(pdu.calls.at(-1)).toMatchObject({ method: 'POST', path: '/cycle' });
  });

  it('shows a BMC that fails (502) in readable words, with the driver’s message', async () => {
    pdu.status = () => ({ code: 500, body: 'outlet 3 jammed' });
    await panel().getByRole('button', { name: 'Check power', exact: true }).click();
    const alert = panel().getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      new RegExp(
        `^The BMC did not do it: power query failed for node ${systemId}: GET http://127\\.0\\.0\\.1:\\d+/status to query the power failed \\(HTTP 500: outlet 3 jammed\\)$`,
      ),
    );
    // The state stays what the BMC last said.
    expect(await stateLine().textContent()).toMatch(/^On as of /);
    expect(await panel().getByRole('button', { name: 'Check power', exact: true }).isEnabled()).toBe(true);
    await screenshot(page, '51-power-bmc-failed');
    pdu.status = (power) => ({ code: 200, body: JSON.stringify({ state: power }) });
  });

  it('offers no buttons for a manual machine, and the table shows the states', async () => {
    await page.goto(`${app.server.url}/#/`);
    await powerCell('bmc-1').getByText('On', { exact: true }).waitFor();
    expect(await powerCell('by-hand-1').textContent()).toBe('Unknown');
    await tableRow(page, 'by-hand-1').getByRole('link', { name: 'by-hand-1' }).click();
    await page.getByRole('heading', { name: 'by-hand-1', level: 1 }).waitFor();
    await panel().getByText('Manual power: Metalyard cannot reach a BMC, so it is turned on and off by hand.').waitFor();
    expect(await panel().getByRole('button').count()).toBe(0);
  });
});
