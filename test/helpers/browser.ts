import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.ONTOCAT_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Launches headless Chromium with the flags this sandbox needs (no network chatter; Playwright makes a fresh profile). */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** Collects the page's console errors and uncaught errors into `problems`, which a test checks (and may clear). */
export function recordPageProblems(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

/** Waits until no loading status or skeleton is left on the page; a page that never had one passes at once. */
export async function waitUntilLoaded(page: Page, timeout = 20_000): Promise<void> {
  await page.locator('[role="status"][aria-label^="Loading"], .skeleton').first().waitFor({ state: 'detached', timeout }).catch(() => {});
}

/** The page's serious and critical axe violations as it is now, one line each (rule, impact, help, first nodes). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page }).analyze();
  return axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}
