/**
 * One Chromium page on a running `ontocat serve`: the setup every browser suite shares.
 * Opens routes, and checks a page the way every suite does (axe, console, screenshot).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium, recordPageProblems, seriousAxeViolations, waitUntilLoaded } from './browser.js';
import { projectRoot } from './run-cli.js';
import { startServe, type RunningServe } from './web-host.js';

/** Where every browser suite saves its screenshots. */
export const SCREENSHOTS = path.join(projectRoot, 'test-results', 'screenshots');

export interface ServedPage {
  readonly serve: RunningServe;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console and page errors seen so far; a suite may clear it between steps. */
  readonly problems: string[];
  /** Opens a hash route of the app (the token stays in the query string). */
  open(route: string): Promise<void>;
  /**
   * Waits for the page to load, then fails on serious or critical axe violations in each
   * colour scheme and on console errors, and saves a full-page screenshot (light).
   */
  checkPage(name: string): Promise<void>;
  close(): Promise<void>;
}

export interface ServedPageOptions {
  readonly viewport?: { width: number; height: number };
  readonly acceptDownloads?: boolean;
  /** The schemes `checkPage` scans; the screenshot is taken in the last one. */
  readonly schemes?: readonly ('light' | 'dark')[];
  /** How long `checkPage` waits for loading states to go. */
  readonly loadTimeout?: number;
}

/** Starts `ontocat serve` on `root` and opens one page in a fresh Chromium context. */
export async function openServedPage(root: string, options: ServedPageOptions = {}): Promise<ServedPage> {
  const schemes = options.schemes ?? ['dark', 'light'];
  const serve = await startServe(root);
  let launched: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    launched = await launchChromium();
    const context = await launched.browser.newContext({
      viewport: options.viewport ?? { width: 1400, height: 900 }, colorScheme: 'light', acceptDownloads: options.acceptDownloads ?? true,
    });
    // A step waits up to a minute (Playwright's default is 30 s): the suites share two cores
    // with the node files and may run at a load of 20.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    const problems: string[] = [];
    recordPageProblems(page, problems);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const { close: closeBrowser } = launched;
    return {
      serve, browser: launched.browser, context, page, problems,
      open: async (route) => { await page.goto(`${serve.url}#${route}`); },
      checkPage: async (name) => {
        await waitUntilLoaded(page, options.loadTimeout);
        for (const scheme of schemes) {
          await page.emulateMedia({ colorScheme: scheme });
          expect(await seriousAxeViolations(page), `axe violations on ${name} (${scheme})`).toEqual([]);
        }
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
        expect(problems, `console or page errors on ${name}`).toEqual([]);
      },
      close: async () => {
        await context.close();
        await closeBrowser();
        await serve.stop();
      },
    };
  } catch (error) {
    await launched?.close();
    await serve.stop();
    throw error;
  }
}

/** `ontocat serve` on a root and one Chromium: for suites that open their own pages. */
export interface ServedBrowser {
  readonly serve: RunningServe;
  readonly browser: Browser;
  /** A page in a fresh context (a time zone or locale of its own), steps waiting up to a minute. */
  newPage(options?: Parameters<Browser['newContext']>[0]): Promise<Page>;
  close(): Promise<void>;
}

/** Starts `ontocat serve` on `root` and launches Chromium beside it. */
export async function openServedBrowser(root: string): Promise<ServedBrowser> {
  const serve = await startServe(root);
  try {
    const launched = await launchChromium();
    return {
      serve, browser: launched.browser,
      newPage: async (options) => {
        const context = await launched.browser.newContext(options);
        context.setDefaultTimeout(60_000);
        return context.newPage();
      },
      close: async () => {
        await launched.close();
        await serve.stop();
      },
    };
  } catch (error) {
    await serve.stop();
    throw error;
  }
}

/** Opens Review's Approve… dialog for `ref` (`service/version`) at `url` and waits until its comparison is shown. */
export async function openApproveDialog(page: Page, url: string, ref: string): Promise<Locator> {
  await page.goto(`${url}#/review`);
  const row = page.getByRole('table', { name: 'Candidates' }).getByRole('row').filter({ hasText: ref });
  await row.getByRole('button', { name: 'Approve…' }).click();
  const dialog = page.getByRole('dialog', { name: `Approve ${ref} and set it as latest?` });
  await dialog.getByLabel('Changes versus the current latest').waitFor();
  return dialog;
}
