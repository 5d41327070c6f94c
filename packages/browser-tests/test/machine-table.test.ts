import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { focused, openApp, signIn, tableRow, type App } from './app.js';
import { nextMac, screenshot } from './harness.js';

/** Quicker than the app's 15 s polling fallback: what appears this fast came through the subscription. */
const LIVE_TIMEOUT_MS = 5_000;

let app: App;
let page: Page;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await openApp();
  page = app.page;
  await app.admin.protected.zones.create.mutate({ name: 'dc1' });
  await app.admin.protected.pools.create.mutate({ name: 'ci' });
  await app.admin.protected.tags.create.mutate({ name: 'gpu' });
  for (const hostname of ['rack-c', 'rack-a', 'rack-b']) {
    ids[hostname] = (await app.anonymous.enlist.mutate({ hostname, architecture: 'amd64/generic', macAddresses: [nextMac()] })).systemId;
  }
  for (const hostname of ['edge-2', 'edge-1']) {
    ids[hostname] = (
      await app.admin.protected.enlist.mutate({ hostname, architecture: 'arm64/generic', macAddresses: [nextMac()] })
    ).systemId;
  }
  await page.goto(app.server.url);
  await signIn(page);
});

afterAll(async () => {
  await app?.close();
});

const row = (hostname: string) => tableRow(page, hostname);
const bar = () => page.getByRole('region', { name: 'Selected machines' });
const dialog = (name: string) => page.getByRole('dialog', { name });
const chips = () => page.getByRole('group', { name: 'Filter by status' });

async function select(...hostnames: string[]) {
  const clear = bar().getByRole('button', { name: 'Clear selection' });
  if (await clear.isVisible()) await clear.click();
  for (const hostname of hostnames)
    await page
      .getByRole('table')
      .getByRole('checkbox', { name: `Select ${hostname}`, exact: true })
      .check();
}

async function hostnames(): Promise<string[]> {
  return page.locator('table.machines tbody th[data-label="Machine"] a').allTextContents();
}

describe('bulk actions in the machine table, in Chromium on the real server', () => {
  it('accepts several machines after one confirmation that says what happens to their disks', async () => {
    await row('edge-1').waitFor();
    await select('rack-a', 'rack-b', 'rack-c', 'edge-1');
    await bar().getByText('4 machines selected').waitFor();
    expect(await bar().getByRole('button').allTextContents()).toEqual([
      'Accept (3)',
      'Commission (1)',
      'Mark broken (1)',
      'Delete (4)',
      'Zone, pool, tags… (4)',
      'Clear selection',
    ]);

    await bar().getByRole('button', { name: 'Accept (3)' }).click();
    const confirm = dialog('Accept 3 machines?');
    expect(await focused(page)).toBe('Cancel');
    const text = await confirm.textContent();
    expect(text).toContain('Disks: wiped when deployed.');
    expect(text).toContain('Left as they are (1): edge-1 (Ready).');
    await screenshot(page, '30-bulk-accept');
    await confirm.getByRole('button', { name: 'Accept 3 machines' }).click();
    await page.getByText('Accept: 3 machines done.').waitFor();
    for (const hostname of ['rack-a', 'rack-b', 'rack-c']) await row(hostname).getByText('Ready').waitFor();
  });

  it('gives the selected machines a zone, a pool and a tag at once', async () => {
    await bar().getByRole('button', { name: 'Zone, pool, tags… (4)' }).click();
    const assign = dialog('Zone, pool and tags of 4 machines');
    await assign.getByLabel('Zone').selectOption('dc1');
    await assign.getByLabel('Pool').selectOption('ci');
    await assign.getByRole('group', { name: 'Add tags' }).getByLabel('gpu').check();
    await screenshot(page, '31-bulk-assign');
    await assign.getByRole('button', { name: 'Update 4 machines' }).click();
    await page.getByText('Update: 4 machines done.').waitFor();
    await row('rack-a').getByText('dc1').waitFor();
    const node = await app.admin.protected.nodes.get.query({ systemId: ids['edge-1']! });
    expect([node.zone, node.pool, node.tags]).toEqual(['dc1', 'ci', ['gpu']]);
  });

  it('commissions several, showing each machine token once, then marks them broken with one comment', async () => {
    await select('rack-a', 'rack-b');
    await bar().getByRole('button', { name: 'Commission (2)' }).click();
    const confirm = dialog('Commission 2 machines?');
    expect(await confirm.textContent()).toContain('Disks: kept. Commissioning wipes nothing but their state');
    await confirm.getByRole('button', { name: 'Commission 2 machines' }).click();
    const tokens = dialog('Machine tokens for 2 machines');
    await tokens.waitFor();
    expect(await tokens.getByRole('textbox').count()).toBe(2);
    await tokens.getByRole('button', { name: 'Done' }).click();
    await row('rack-a').getByText('Commissioning').waitFor();

    await bar().getByRole('button', { name: 'Mark broken (2)' }).click();
    const broken = dialog('Mark broken 2 machines?');
    const submit = broken.getByRole('button', { name: 'Mark broken 2 machines' });
    expect(await submit.isDisabled()).toBe(true);
    await page.keyboard.type('rack PDU failed');
    expect(await broken.getByLabel('Why? (required)').inputValue()).toBe('rack PDU failed');
    await submit.click();
    await row('rack-b').getByText('Broken').waitFor();
    expect((await app.admin.protected.nodes.get.query({ systemId: ids['rack-b']! })).statusMessage).toContain('rack PDU failed');
  });

  it('releases allocated machines after saying their disks are erased, and deletes others, keeping the focus on the report', async () => {
    for (const hostname of ['edge-1', 'edge-2']) await app.admin.protected.nodes.acquire.mutate({ systemId: ids[hostname]! });
    await row('edge-2').getByText('Allocated').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await select('edge-1', 'edge-2');
    await bar().getByRole('button', { name: 'Release (2)' }).click();
    const confirm = dialog('Release 2 machines?');
    expect(await confirm.textContent()).toContain('Disks: erased. Releasing gives them back: their disks are erased');
    await screenshot(page, '32-bulk-release');
    await confirm.getByRole('button', { name: 'Release 2 machines' }).click();
    await row('edge-2').getByText('Ready').waitFor();

    await select('rack-a', 'rack-b');
    await bar().getByRole('button', { name: 'Delete (2)' }).click();
    const remove = dialog('Delete 2 machines?');
    expect(await remove.textContent()).toContain('Disks: kept. Deleting only makes Metalyard forget them');
    await remove.getByRole('button', { name: 'Delete 2 machines' }).click();
    await row('rack-a').waitFor({ state: 'detached' });
    await row('rack-b').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('Delete: 2 machines done.');
  });
});

describe('the machine view in the URL, in Chromium on the real server', () => {
  it('sorts by a column, ascending then descending, announcing the direction', async () => {
    const header = page.getByRole('columnheader', { name: 'Machine', exact: true });
    // Each click re-renders the table: wait for it rather than read the page at once.
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(hostnames).toEqual(['edge-1', 'edge-2', 'rack-c']);
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(hostnames).toEqual(['rack-c', 'edge-2', 'edge-1']);
    await expect.poll(() => new URL(page.url()).hash).toBe('#/?sort=-hostname');
  });

  it('keeps the status, zone, search and sort in the URL, so that a link reproduces the view', async () => {
    await app.admin.protected.nodes.update.mutate({ systemId: ids['edge-2']!, zone: null });
    await chips()
      .getByRole('button', { name: /^Ready/ })
      .click();
    await page.getByLabel('Zone').selectOption('dc1');
    await page.getByRole('searchbox').fill('edge');
    await row('rack-c').waitFor({ state: 'detached' });
    await page.waitForFunction(() => window.location.hash.includes('q=edge'));
    const link = page.url();
    expect(new URL(link).hash).toBe('#/?status=ready&q=edge&zone=dc1&sort=-hostname');
    expect(await hostnames()).toEqual(['edge-1']);

    const other = await app.context.newPage();
    await other.goto(link);
    await other.getByRole('table').getByRole('row').filter({ hasText: 'edge-1' }).waitFor();
    expect(await other.locator('table.machines tbody tr').count()).toBe(1);
    expect(await other.getByRole('searchbox').inputValue()).toBe('edge');
    expect(await other.getByLabel('Zone').inputValue()).toBe('dc1');
    expect(
      await other
        .getByRole('group', { name: 'Filter by status' })
        .getByRole('button', { name: /^Ready/ })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    expect(await other.getByRole('columnheader', { name: 'Machine', exact: true }).getAttribute('aria-sort')).toBe('descending');
    await screenshot(other, '33-link-reproduces-view');
    await other.close();

    // Typing replaced the history entry of the zone: Back goes to before the zone (and the search).
    await page.goBack();
    await row('rack-c').waitFor();
    expect(await page.getByRole('searchbox').inputValue()).toBe('');
    expect(await page.getByLabel('Zone').inputValue()).toBe('');
  });

  it('keeps the machine count of each filter true, live', async () => {
    await page.goto(`${app.server.url}/#/?zone=dc1`);
    await chips().getByRole('button', { name: 'All 2' }).waitFor();
    expect(await page.getByRole('option', { name: 'dc1 (2)' }).count()).toBe(1);

    await app.admin.protected.nodes.update.mutate({ systemId: ids['edge-2']!, zone: 'dc1' });
    await chips().getByRole('button', { name: 'Ready 3' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByRole('option', { name: 'dc1 (3)' }).waitFor({ state: 'attached', timeout: LIVE_TIMEOUT_MS });
    await app.admin.protected.nodes.markBroken.mutate({ systemId: ids['rack-c']!, comment: 'fan' });
    await chips().getByRole('button', { name: 'Broken 1' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await chips().getByRole('button', { name: 'Ready 2' }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await screenshot(page, '34-live-counts');
  });

  it('says a sort covers only the loaded machines while more are on the server', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        app.admin.protected.enlist.mutate({
          hostname: `bulk-${String(index).padStart(2, '0')}`,
          architecture: 'amd64/generic',
          macAddresses: [nextMac()],
        }),
      ),
    );
    await page.goto(`${app.server.url}/#/?sort=hostname`);
    const note = page.getByRole('note').filter({ hasText: 'Sorted by machine within the 50 machines loaded so far' });
    await note.waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'shown' }).textContent()).toBe('50 of 53 machines shown, more to load');
    await screenshot(page, '35-sorted-within-page');
    await page.getByRole('button', { name: 'Load more' }).click();
    await note.waitFor({ state: 'detached' });
    expect((await hostnames()).slice(0, 3)).toEqual(['bulk-00', 'bulk-01', 'bulk-02']);
  });
});
