/**
 * End to end, a laptop-sized window: at 1024 x 768 no table of the app scrolls sideways
 * and the page does not either. The real renderer in Debian's Chromium against
 * `ontocat serve` over the demo catalog (three real releases of @zazuko/rdf-vocabularies,
 * whose term IRIs run to 60 characters and whose service name is 16).
 *
 * Found by hand before this test: the Catalog's versions table pushed its Actions column
 * 33 px past the edge, and the Terms search squeezed each IRI into a column eight letters
 * wide (broken every few characters) while the In releases column ran off the window.
 * At the smallest window the app allows (640 px), the charts (drawn 520 px wide) pushed
 * Storage, Reports and Validation sideways.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, waitUntilLoaded } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { openServedPage, type ServedPage } from '../helpers/served-page.js';
import { sidewaysScroll } from '../helpers/sideways-scroll.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[narrow-window.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

const SERVICE = 'rdf-vocabularies';
const OLDER = `${SERVICE}/2020.6.17`;
const NEWER = `${SERVICE}/2021.9.22`;

describe.skipIf(!hasChromium)('a 1024 x 768 window, end to end over ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let served: ServedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-narrow-e2e');
    const root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    const demo = runOntocat(['demo'], { root });
    expect(demo.code, demo.stderr).toBe(0);
    served = await openServedPage(root, { viewport: { width: 1024, height: 768 }, schemes: ['light'] });
    ({ page } = served);
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp?.cleanup();
  });

  /** Opens a route, waits for it to settle, and answers what scrolls sideways there. */
  async function overflowOf(route: string, ready: () => Promise<unknown>): Promise<string[]> {
    await served!.open(route);
    await ready();
    await waitUntilLoaded(page);
    return sidewaysScroll(page);
  }

  it('fits the Catalog, whose versions table has a Set as latest button a row', async () => {
    const overflow = await overflowOf('/', () => page.getByRole('button', { name: `Set as latest: ${OLDER}` }).waitFor({ timeout: 30_000 }));
    expect(overflow).toEqual([]);
    // Every column is still there, the last one inside the window.
    const actions = await page.getByRole('button', { name: `Set as latest: ${OLDER}` }).boundingBox();
    expect(actions!.x + actions!.width).toBeLessThanOrEqual(1024);
  }, 120_000);

  it('fits a term search over long IRIs, each IRI broken at most a few times', async () => {
    const overflow = await overflowOf('/terms', async () => {
      await page.getByLabel('Id, IRI, CURIE or label').fill('label');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('table', { name: 'Matching terms' }).getByRole('row').nth(1).waitFor({ timeout: 30_000 });
    });
    expect(overflow).toEqual([]);
    // A 37-character IRI in one line of the mono font is about 300 px; the column holds at
    // least 28 characters, so it takes two lines, not the seven it took before.
    const link = page.getByRole('link', { name: 'http://www.w3.org/2006/vcard/ns#Label', exact: true });
    const box = await link.boundingBox();
    const lineHeight = await link.evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight) || 17);
    expect(Math.round(box!.height / lineHeight)).toBeLessThanOrEqual(2);
  }, 120_000);

  it('fits the version page, its validation, the delta of two releases, and the other pages', async () => {
    const checks: Record<string, string[]> = {};
    checks.version = await overflowOf(`/versions/${NEWER}`, () => page.getByRole('tree', { name: `Files of ${NEWER}` }).waitFor({ timeout: 30_000 }));
    checks.validation = await overflowOf(`/validation/${NEWER}`, () => page.getByRole('table', { name: 'Validation findings' }).getByRole('row').nth(1).waitFor({ timeout: 30_000 }));
    checks.delta = await overflowOf(`/delta?from=${OLDER}&to=${NEWER}`, () => page.getByRole('table').first().waitFor({ timeout: 30_000 }));
    for (const route of ['/events', '/sources', '/review', '/storage', '/reports', '/doctor', '/prune', '/trash', '/ingest']) {
      checks[route] = await overflowOf(route, () => page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 30_000 }));
    }
    expect(Object.fromEntries(Object.entries(checks).filter(([, found]) => found.length > 0))).toEqual({});
  }, 240_000);

  it('at the smallest window (640 px), the pages of charts do not scroll sideways: each chart shrinks to the room there is', async () => {
    await page.setViewportSize({ width: 640, height: 720 });
    try {
      const checks: Record<string, string[]> = {};
      for (const [route, charts] of [['/storage', 1], ['/reports', 2], [`/validation/${NEWER}`, 1]] as const) {
        // Tables may scroll in their own box at this width; the page and the charts may not.
        await overflowOf(route, () => page.locator('figure.chart svg.recharts-surface').nth(charts - 1).waitFor({ timeout: 30_000 }));
        checks[route] = [];
        const rights = await page.locator('figure.chart').evaluateAll((figures) => figures.map((figure) => figure.getBoundingClientRect().right));
        expect(rights.length, route).toBeGreaterThanOrEqual(charts);
        for (const right of rights) expect(right, route).toBeLessThanOrEqual(640);
        const scrolls = await page.locator('.content').evaluate((content) => content.scrollWidth > content.clientWidth + 1);
        if (scrolls) checks[route]!.push('the page scrolls sideways');
      }
      expect(Object.fromEntries(Object.entries(checks).filter(([, found]) => found.length > 0))).toEqual({});
    } finally {
      await page.setViewportSize({ width: 1024, height: 768 });
    }
  }, 120_000);
});
