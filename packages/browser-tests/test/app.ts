import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createMetalyardClient, type MetalyardClient } from '@metalyard/sdk';
import { ADMIN_PASSWORD, ADMIN_TOKEN, launchChromium, startServer, type Running } from './harness.js';

/** The real server, Chromium, one page, and an admin client for arranging what the page should show. */
export interface App {
  server: Running;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  admin: MetalyardClient;
  anonymous: MetalyardClient;
  close(): Promise<void>;
}

/** `serverEnv`: settings for the server (see startServer). */
export async function openApp(serverEnv: Record<string, string> = {}): Promise<App> {
  const server = await startServer(serverEnv);
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The copy buttons write to the clipboard; the test reads it back.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return {
    server,
    browser,
    context,
    page,
    admin: createMetalyardClient({ url: server.url, token: ADMIN_TOKEN }),
    anonymous: createMetalyardClient({ url: server.url }),
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

export async function signIn(page: Page, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Signed in, on the screen the URL names.
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').waitFor();
}

/** Goes to a screen through the main navigation, as a person would. */
export async function navigateTo(page: Page, item: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: item, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

export const tableRow = (page: Page, text: string) => page.getByRole('table').getByRole('row').filter({ hasText: text });

/** The message the server gives for `call`, which must fail. */
export async function refusal(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => expect.fail('the server should have refused'),
    (error: Error) => error.message,
  );
}

/** What the element that has the focus says (its accessible name is near enough: label or text). */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? '';
  });
}
