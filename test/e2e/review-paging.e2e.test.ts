/**
 * End to end in Debian's Chromium over `ontocat serve`: a Review queue of more candidates
 * than a page shows a page, says how many of how many, and Next shows the rest; the queue
 * is paged in the catalog, never cut short without a word. When another reviewer decides
 * the last page's only candidate, the page before it shows, not an empty table.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { chromiumAvailable } from '../helpers/browser.js';
import { recordCandidates } from '../helpers/catalog-fixtures.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { runOntocatAsync } from '../helpers/run-cli.js';

const COUNT = 51;
const version = (i: number): string => `2024.${String(i).padStart(3, '0')}`;

describe.skipIf(!chromiumAvailable())('a Review queue longer than a page, in the browser', () => {
  const temp = makeTempRoot('ontocat-review-paging-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    const catalog = await openCatalog({ root, create: true });
    try {
      await recordCandidates(catalog, 'big', Array.from({ length: COUNT }, (_, i) => version(i)));
    } finally {
      await catalog.close();
    }
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('shows 50 of 51, the last one after Next, and steps back when that one is decided elsewhere', async () => {
    await page.goto(`${served!.serve.url}#/review`);
    const table = page.getByRole('table', { name: 'Candidates' });
    const pager = page.getByRole('navigation', { name: 'Candidate pages' });
    await pager.getByText(`1–50 of ${COUNT}`).waitFor();
    const rowHeads = table.locator('tbody th');
    expect(await rowHeads.count()).toBe(50);
    expect(await rowHeads.first().textContent()).toBe(`big/${version(COUNT - 1)}`);
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText(`51–51 of ${COUNT}`).waitFor();
    await table.getByRole('rowheader', { name: `big/${version(0)}` }).waitFor();
    expect(await rowHeads.count()).toBe(1);
    expect(await pager.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);

    const rejected = await runOntocatAsync(['review', 'reject', `big/${version(0)}`, '--reason', 'a nightly too many'], { root });
    expect(rejected.code, rejected.stderr).toBe(0);
    await table.getByRole('rowheader', { name: `big/${version(COUNT - 1)}` }).waitFor();
    expect(await rowHeads.count()).toBe(50);
    // Fifty pending now: one page, no pager.
    expect(await pager.count()).toBe(0);
  }, 120_000);
});
