/**
 * The suites' axe scan (`seriousAxeViolations`) against `@axe-core/playwright`'s AxeBuilder,
 * the reference nobody here wrote: on a page with known serious and critical violations both
 * name the same rules, a scan limited to one part sees only that part, and a page with a
 * frame is refused rather than half scanned.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium, seriousAxeViolations } from '../helpers/browser.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[axe-scan.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

/** One clean part and one with an image without text, an unnamed button, an unlabelled field and faint text. */
const PAGE = `<!doctype html><html lang="en"><head><title>axe check</title></head><body><main>
  <section id="clean"><h1>Clean</h1><p>Readable text.</p><button>Named</button></section>
  <section id="dirty">
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <button></button>
    <input type="text">
    <p style="color:#bbb;background:#fff">Faint text a reader cannot make out</p>
  </section>
</main></body></html>`;

/** The serious and critical rule ids AxeBuilder reports. */
async function referenceIds(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const result = await (include ? builder.include(include) : builder).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id).sort();
}

const ruleIds = (lines: readonly string[]): string[] => lines.map((line) => line.slice(0, line.indexOf(' '))).sort();

describe.skipIf(!hasChromium)('the axe scan every browser suite uses', () => {
  let browser: Browser;
  let close: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    ({ browser, close } = await launchChromium());
    page = await (await browser.newContext()).newPage();
  }, 60_000);
  afterAll(async () => { await close?.(); });

  it('names the same serious and critical rules as AxeBuilder, on the whole page and on one part', async () => {
    await page.setContent(PAGE);
    const whole = await seriousAxeViolations(page);
    // Read before AxeBuilder runs: it puts its own copy of axe into the page.
    const scanned = await page.evaluate(() => (window as { axe?: { version: string } }).axe?.version);
    expect(ruleIds(whole)).toEqual(expect.arrayContaining(['button-name', 'color-contrast', 'image-alt', 'label']));
    expect(ruleIds(whole)).toEqual(await referenceIds(page));
    // The same engine: the version the scan put into the page is the one AxeBuilder reports.
    const engine = (await new AxeBuilder({ page }).withRules(['image-alt']).analyze()).testEngine.version;
    expect(scanned).toBe(engine);
    // Each line names where: the image's selector is in the image rule's line.
    expect(whole.find((line) => line.startsWith('image-alt'))).toMatch(/critical.*img/);
    expect(await seriousAxeViolations(page, { include: '#clean' })).toEqual([]);
    expect(ruleIds(await seriousAxeViolations(page, { include: '#dirty' }))).toEqual(await referenceIds(page, '#dirty'));
    // Scanned again after the page changed: the kept axe sees the page as it is now.
    await page.evaluate(() => document.getElementById('dirty')!.remove());
    expect(await seriousAxeViolations(page)).toEqual([]);
  }, 120_000);

  it('refuses a page with a frame, which it would not scan', async () => {
    await page.setContent('<!doctype html><html lang="en"><head><title>framed</title></head><body><main><iframe title="inner" srcdoc="<img src=x>"></iframe></main></body></html>');
    await expect(seriousAxeViolations(page)).rejects.toThrow(/embedded frame/);
  }, 60_000);
});
