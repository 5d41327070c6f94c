import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { navigateTo, openApp, refusal, signIn, type App } from './app.js';
import { nextMac, screenshot } from './harness.js';

/** Quicker than the app's 15 s polling fallback: what appears this fast came through the subscription. */
const LIVE_TIMEOUT_MS = 5_000;

let app: App;
let page: Page;
let rackA: string;
let rackB: string;

beforeAll(async () => {
  app = await openApp();
  page = app.page;
  rackA = (await app.admin.protected.enlist.mutate({ hostname: 'rack-a', architecture: 'amd64/generic', macAddresses: [nextMac()] }))
    .systemId;
  rackB = (await app.anonymous.enlist.mutate({ hostname: 'rack-b', architecture: 'amd64/generic', macAddresses: [nextMac()] })).systemId;
  await app.admin.protected.nodes.accept.mutate({ systemIds: [rackB] });
  await app.admin.protected.nodes.markBroken.mutate({ systemId: rackA, comment: 'fan failure' });
  await app.admin.protected.nodes.markBroken.mutate({ systemId: rackB, comment: 'disk errors' });
  await page.goto(app.server.url);
  await signIn(page);
});

afterAll(async () => {
  await app?.close();
});

const events = () => page.getByRole('table', { name: 'Events, oldest first' });
const eventRows = () => events().locator('tbody tr');
const filters = () => page.getByRole('search', { name: 'Filter events' });

describe('the event log in Chromium, on the real server', () => {
  it('lists every event oldest first, with machine, type, actor and details', async () => {
    await navigateTo(page, 'Events', 'Event log');
    await eventRows().nth(4).waitFor();
    const types = await events().locator('tbody th[data-label="Event"] .strong').allTextContents();
    expect(types).toEqual(['Enlist', 'Enlist', 'Accept', 'Mark broken', 'Mark broken']);
    const last = await eventRows().last().textContent();
    expect(last).toContain('rack-b');
    expect(last).toContain('admin');
    expect(last).toContain('disk errors');
    await screenshot(page, '40-events');
  });

  it('filters by type and machine as the API does, with the filters in the URL', async () => {
    await filters().getByLabel('Type').selectOption('markBroken');
    await page.waitForFunction(() => window.location.hash === '#/events?type=markBroken');
    await eventRows().nth(2).waitFor({ state: 'detached' });
    expect(await eventRows().count()).toBe(2);

    await filters().getByLabel('Machine (system ID)').fill(rackA);
    await page.waitForFunction((id) => window.location.hash === `#/events?machine=${id}&type=markBroken`, rackA);
    await eventRows().nth(1).waitFor({ state: 'detached' });
    expect(await eventRows().first().textContent()).toContain('fan failure');

    await filters().getByLabel('Actor').fill('nobody-did-this');
    await page.getByText('No events match these filters').waitFor();
    await filters().getByRole('button', { name: 'Clear filters' }).click();
    await eventRows().nth(4).waitFor();
    expect(await filters().getByLabel('Actor').inputValue()).toBe('');
  });

  it('shows new events at the bottom as they happen', async () => {
    await filters().getByLabel('Type').selectOption('markFixed');
    await page.getByText('No events match these filters').waitFor();
    await page.locator('.live-live').waitFor();
    await app.admin.protected.nodes.markFixed.mutate({ systemId: rackB });
    await eventRows().first().waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await eventRows().first().textContent()).toContain('rack-b');

    await filters().getByLabel('Type').selectOption('');
    await eventRows().nth(5).waitFor();
    await app.admin.protected.nodes.markBroken.mutate({ systemId: rackB, comment: 'second time' });
    await eventRows().nth(6).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await eventRows().last().textContent()).toContain('second time');
  });

  it("shows the server's refusal of a filter under that filter (400)", async () => {
    const expected = await refusal(app.admin.protected.events.list.query({ systemId: 'nope!' }));
    await filters().getByLabel('Machine (system ID)').fill('nope!');
    const error = filters().getByRole('alert');
    await error.waitFor();
    expect(expected).toContain(await error.textContent());
    expect(await filters().getByLabel('Machine (system ID)').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '41-event-filter-refused');
    await filters().getByLabel('Machine (system ID)').fill('');
    await error.waitFor({ state: 'detached' });
  });

  it('links from a machine to its own events, since any time', async () => {
    await page.goto(`${app.server.url}/#/machines/${rackA}`);
    await page.getByRole('link', { name: 'In the event log' }).click();
    await page.getByRole('heading', { name: 'Event log', level: 1 }).waitFor();
    expect(await filters().getByLabel('Machine (system ID)').inputValue()).toBe(rackA);
    expect(await filters().getByLabel('Since').inputValue()).toBe('all');
    await eventRows().nth(1).waitFor();
    expect(await eventRows().count()).toBe(2);
  });

  it('works on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await navigateTo(page, 'Events', 'Event log');
    await eventRows().first().waitFor();
    await screenshot(page, '42-narrow-events');
    await navigateTo(page, 'Users', 'Users');
    await page.getByRole('table').getByRole('row').filter({ hasText: 'admin' }).waitFor();
    await screenshot(page, '43-narrow-users');
    await page.goto(`${app.server.url}/#/`);
    await page.getByRole('table').getByRole('checkbox', { name: 'Select rack-a', exact: true }).check();
    await page.getByRole('region', { name: 'Selected machines' }).waitFor();
    await screenshot(page, '44-narrow-bulk');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
