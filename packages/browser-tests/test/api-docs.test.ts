import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { ADMIN_TOKEN, launchChromium, screenshot, startServer, type Running } from './harness.js';

/** /docs in Chromium: Scalar renders the document's markdown and tries a call with a bearer token, all from this server. */

let server: Running;
let browser: Browser;
let page: Page;
const requests: Request[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(15_000);
  page.on('request', (request) => requests.push(request));
  page.on('console', (message) => {
    // Chromium asks every site for /favicon.ico; the server has none.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) consoleErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('/docs', () => {
  it('renders the document, its markdown as markdown', async () => {
    await page.goto(`${server.url}/docs`);
    await expect(page.getByRole('heading', { name: 'Metalyard', level: 1 }).waitFor()).resolves.toBeUndefined();
    // **Authentication.** is bold, not literal asterisks; the error codes are a list.
    await page.locator('strong', { hasText: 'Authentication.' }).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain('**Authentication.**');
    await page.getByRole('listitem').filter({ hasText: 'CONFLICT (409)' }).first().waitFor();
    await screenshot(page, 'api-docs');
  });

  it('tries a call with a bearer token', async () => {
    await page.getByPlaceholder('Token').first().fill(ADMIN_TOKEN);
    // The reference renders a tag's operations when it is opened: go to the operation by its link.
    await page.goto(`${server.url}/docs#tag/auth/GET/v1/me`);
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Who the token belongs to' }) }).last();
    await section.getByRole('button', { name: 'Test Request' }).click();
    const answer = page.waitForResponse((response) => response.url() === `${server.url}/api/v1/me`);
    await page.getByRole('button', { name: /^Send Request/ }).click();
    const response = await answer;
    expect(response.status()).toBe(200);
    expect(response.request().headers().authorization).toBe(`Bearer ${ADMIN_TOKEN}`);
    expect(await response.json()).toMatchObject({ username: 'admin', role: 'admin' });
    await screenshot(page, 'api-docs-try');
  });

  it('loaded nothing from elsewhere, and broke no rule of its Content-Security-Policy', () => {
    const elsewhere = requests.map((request) => request.url()).filter((url) => !/^(data|blob):/.test(url) && !url.startsWith(server.url));
    expect(elsewhere).toEqual([]);
    expect(requests.map((request) => new URL(request.url()).pathname)).toEqual(expect.arrayContaining(['/docs', '/openapi.json']));
    expect(consoleErrors).toEqual([]);
  });
});
