import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, ElementContext, RunOptions } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * axe-core's browser bundle, put into a page once: the engine `@axe-core/playwright` itself
 * runs (its own dependency), so a scan applies the rules the suites always applied.
 */
const AXE_SOURCE = (createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'))('axe-core') as { source: string }).source;

/** What the page sees of axe-core once its bundle has run. */
interface PageWithAxe {
  axe?: { run(context: ElementContext, options: RunOptions): Promise<AxeResults> };
}

/**
 * The page's serious and critical axe violations as it is now, one line each (rule, impact,
 * help, first nodes); `include` limits the scan to one part of the page.
 *
 * axe-core runs in the page itself and stays there across the app's hash routes.
 * `@axe-core/playwright`'s AxeBuilder injects it again at every scan, into every frame, and
 * merges the frames' results in a blank page it opens for that: 6–12 s a scan here against
 * 0.2–2.6 s, for the same rules. The app has no frames, which this checks, so one document is
 * the whole page.
 */
export async function seriousAxeViolations(page: Page, options: { include?: string } = {}): Promise<string[]> {
  const frames = await page.evaluate(() => document.querySelectorAll('iframe, frame').length);
  if (frames > 0) throw new Error(`the page has ${frames} embedded frame(s): this axe scan covers one document; use AxeBuilder`);
  if (!(await page.evaluate(() => typeof (window as PageWithAxe).axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (include) => {
    const axe = (window as PageWithAxe).axe!;
    const result = await axe.run(include === null ? document : { include: [include] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact ?? null, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  }, options.include ?? null);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}
