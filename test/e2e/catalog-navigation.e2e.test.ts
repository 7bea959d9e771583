/**
 * End to end in Debian's Chromium over `ontocat serve`: what depends on the real browser
 * in the Catalog's Versions table. A link inside a row goes where it says and adds one
 * history entry (Back returns at once), and a release day reads the same in a time zone
 * west of UTC.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

describe.skipIf(!chromiumAvailable())('Catalog rows and dates in a real browser', () => {
  const temp = makeTempRoot('ontocat-catalog-nav-e2e');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    const root = path.join(temp.root, 'catalog');
    const source = path.join(temp.root, 'src');
    mkdirSync(source, { recursive: true });
    writeFileSync(path.join(source, 'mini.ttl'), '<http://example.org/a> <http://example.org/b> "c" .\n');
    for (const args of [
      ['ingest', source, '--service', 'mini', '--version', '1.0'],
      ['release-date', 'mini/1.0', '2014-01-01'],
    ]) {
      const run = runOntocat(args, { root });
      expect(run.code, run.stderr).toBe(0);
    }
    served = await openServedBrowser(root);
    // West of UTC: midnight UTC on a release day is the evening before in local time.
    page = await served.newPage({ timezoneId: 'America/Los_Angeles' });
    await page.goto(`${served.serve.url}#/`);
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  const row = () => page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: 'mini/1.0' });

  it('shows the release day as set, in America/Los_Angeles too', async () => {
    expect(await page.evaluate(() => new Date('2014-01-01T00:00:00Z').getDate())).toBe(31);
    await expect.poll(() => row().getByTitle(/curator/).textContent()).toBe('2014-01-01');
  });

  it('opens the Version link with one history entry, so one Back returns to the Catalog', async () => {
    await page.goto(`${served!.serve.url}#/`);
    await row().waitFor();
    const before = await page.evaluate(() => history.length);
    await row().getByRole('link', { name: '1.0', exact: true }).click();
    await page.getByRole('tree', { name: 'Files of mini/1.0' }).waitFor();
    expect(await page.evaluate(() => history.length)).toBe(before + 1);
    await page.goBack();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/');
    await row().waitFor();
  });

  it('opens the Validation link of a row on the validation page, not the version page', async () => {
    await row().getByRole('link', { name: /^Validation of mini\/1\.0/ }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/validation/mini/1.0');
    await page.getByRole('heading', { name: 'Validation' }).waitFor();
    await page.goBack();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/');
  });
});
