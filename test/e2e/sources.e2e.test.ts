/**
 * End to end in Chromium over `ontocat serve`: add a source on the Sources page, check it
 * now, find the candidate on the Review page, approve it, and see it latest in the
 * Catalog. The release is a real EDAM release served by a local HTTP server. Every page
 * is screenshotted and scanned with axe-core in light and dark.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { edamRelease, release, ReleaseServer } from '../helpers/release-server.js';
import { projectRoot, runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, startServe, type RunningServe } from '../helpers/web-host.js';

const SHOTS = path.join(projectRoot, 'test-results', 'screenshots');

describe.skipIf(!chromiumAvailable())('Sources and Review end to end', () => {
  const server = new ReleaseServer();
  let temp: ReturnType<typeof makeTempRoot>;
  let serve: RunningServe | undefined;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const problems: string[] = [];

  beforeAll(async () => {
    await server.start();
    server.current.set('/EDAM.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    temp = makeTempRoot('ontocat-sources-e2e');
    const root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    expect(runOntocat(['init'], { root }).code).toBe(0);
    serve = await startServe(root);
    ({ browser, close: closeBrowser } = await launchChromium());
    mkdirSync(SHOTS, { recursive: true });
  }, 150_000);

  afterAll(async () => {
    await closeBrowser?.();
    await serve?.stop();
    await server.stop();
    temp?.cleanup();
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    await page.locator('.skeleton').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad, `axe violations on ${name}`).toEqual([]);
    expect(problems, `console or page errors on ${name}`).toEqual([]);
  }

  it('adds a source, checks it now, approves the candidate, and it is latest', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await newPage(context);
    await page.goto(`${serve!.url}#/sources`);
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    await page.getByText('No sources yet').waitFor();

    // Add a source by keyboard and form.
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByLabel('Source id').fill('edam');
    await page.getByLabel('Service').fill('edam');
    await page.getByLabel('URL').fill(`${server.base}/EDAM.obo`);
    await page.getByLabel('Schedule (cron)').fill('0 3 * * 1');
    await page.getByLabel('Note').press('Enter');
    const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'edam' });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('0 3 * * 1');
    await check(page, 'sources-01-list');

    // Check now: a sync job; the run appears in the history with its manifest.
    await row.getByRole('button', { name: 'Check now' }).click();
    const runs = page.getByRole('table', { name: 'Runs of edam' });
    await runs.getByRole('row').filter({ hasText: 'changed' }).waitFor({ timeout: 120_000 });
    await runs.getByRole('button', { name: 'Show' }).first().click();
    await expect.poll(() => runs.textContent()).toContain('"version": "1.2"');
    await expect.poll(() => row.textContent()).toContain('changed');
    await check(page, 'sources-02-checked');

    // The Catalog points at the pending candidate.
    await page.goto(`${serve!.url}#/`);
    await page.getByRole('link', { name: '1 candidate awaiting review' }).click();

    // Review: the candidate, approve, and it is the latest.
    const candidates = page.getByRole('table', { name: 'Candidates' });
    const candidate = candidates.getByRole('row').filter({ hasText: 'edam/1.2' });
    await candidate.waitFor();
    await check(page, 'review-01-pending');
    await candidate.getByRole('button', { name: 'Approve' }).click();
    await page.getByText('Nothing to review').waitFor();
    const latest = runOntocat(['latest', 'get', 'edam', '--json'], { root: path.join(temp.root, 'catalog') });
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.json<{ version: string }>().version).toBe('1.2');
    await page.goto(`${serve!.url}#/`);
    await page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: /1\.2/ }).getByText('latest', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await page.getByLabel('Show').selectOption('approved');
    await candidates.getByRole('row').filter({ hasText: 'approved by' }).waitFor();
    await check(page, 'review-02-approved');
    await context.close();

    // Dark theme: the same pages pass axe.
    const dark = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
    const darkPage = await newPage(dark);
    await darkPage.goto(`${serve!.url}#/sources`);
    await darkPage.getByRole('table', { name: 'Sources' }).waitFor();
    await check(darkPage, 'sources-03-dark');
    await darkPage.goto(`${serve!.url}#/review`);
    await darkPage.getByText('Nothing to review').waitFor();
    await check(darkPage, 'review-03-dark');
    await dark.close();
  }, 300_000);
});
