/**
 * Headless Debian Chromium for the console tests (apt-get install chromium): where it is, and one
 * page opened the same way for every test, with the page's errors and console errors collected.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
/** The `skip` of a test that needs Chromium. */
export const CHROMIUM_SKIP: string | false = !CHROMIUM && 'chromium is not installed (apt-get install chromium)';

/** A 1400x900 page in a new headless browser; `errors` gathers page errors and console errors. Close `browser`. */
export async function openPage(): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { browser, page, errors };
}
