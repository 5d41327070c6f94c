import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const SERVER_MAIN = fileURLToPath(new URL('../../../apps/server/dist/main.js', import.meta.url));
const ADMIN_DIST = fileURLToPath(new URL('../../../apps/admin/dist/', import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
export const ADMIN_TOKEN = 'browser-admin-token-0123456789abcdef0123456789';
export const ADMIN_PASSWORD = 'a long browser-test passphrase';

export interface Running {
  url: string;
  stop(): Promise<void>;
}

/**
 * The real server on a fresh SQLite file in a scratch folder, on any free port, serving the admin
 * app's build at / — with user `admin` (token and password) and no rate limit on the anonymous door;
 * `env` adds or overrides settings.
 */
export async function startServer(env: Record<string, string> = {}): Promise<Running> {
  if (!existsSync(join(ADMIN_DIST, 'index.html'))) {
    throw new Error('the admin app is not built: run `pnpm test:browser`, which builds it first');
  }
  const scratch = mkdtempSync(join(tmpdir(), 'metalyard-browser-'));
  const child: ChildProcess = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: join(scratch, 'metalyard.sqlite'),
      METALYARD_ADMIN_TOKEN: ADMIN_TOKEN,
      METALYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      METALYARD_ANON_RATE: '0',
      METALYARD_ADMIN_DIR: ADMIN_DIST,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output.join('\n')}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output.join('\n')}`)));
    const onLine = (line: string) => {
      output.push(line);
      if (!line.includes('"msg":"listening"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (buffered + chunk).split('\n');
        buffered = lines.pop()!;
        lines.forEach(onLine);
      });
    }
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium (playwright cannot download its own browsers here). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as artifacts/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

let macCounter = 0;
/** A MAC address unique within the test run. */
export function nextMac(): string {
  macCounter += 1;
  const hex = (0x525400000000 + process.pid * 256 + macCounter).toString(16).padStart(12, '0').slice(-12);
  return hex.match(/../g)!.join(':');
}
