/** Debian's Chromium driven by playwright-core (it cannot download a browser of its own here). */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { APP_DIR } from '../../support/server-process';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Kept after the run (CI leaves it in the clone): one PNG per step. */
export const SCREENSHOTS = path.join(APP_DIR, 'test-results', 'e2e');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-quic',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('tests/e2e/support/global-setup.ts did not run');
  return url;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
