/**
 * End to end: the header of the real renderer in Debian's Chromium notices when
 * `ontocat serve` goes away and when it is back (restarted on the root's last port with
 * the root's kept token), and the page works again without a reload; an address without
 * the token gets a page that says how to open the app.
 */
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, startServe, type RunningServe } from '../helpers/web-host.js';

describe.skipIf(!chromiumAvailable())('reconnect banner over ontocat serve', () => {
  const temp = makeTempRoot('ontocat-reconnect-e2e');
  const serves: RunningServe[] = [];
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await closeBrowser?.();
    for (const serve of serves) await serve.stop();
    temp.cleanup();
  });

  it('says "Disconnected … retrying" when the server stops and clears it when it is back', async () => {
    ensureRendererBuilt();
    expect(runOntocat(['init'], { root: temp.root }).code).toBe(0);
    const first = await startServe(temp.root, { port: 'default' });
    serves.push(first);
    ({ browser, close: closeBrowser } = await launchChromium());
    const page = await (await browser.newContext()).newPage();
    await page.goto(first.url);
    await page.getByLabel('Catalog path').waitFor();
    const status = page.getByRole('status', { name: 'Connection to the catalog' });
    expect(await status.textContent()).toBe('');

    // The Storage page's code is loaded now, so that it can open while the server is away.
    await page.getByRole('link', { name: 'Storage' }).click();
    await page.getByRole('heading', { name: 'Storage' }).waitFor();
    await page.getByRole('link', { name: 'Catalog' }).click();

    await first.stop();
    await expect.poll(() => status.textContent(), { timeout: 10_000, interval: 100 }).toBe('Disconnected from the catalog — retrying…');
    expect(await seriousAxeViolations(page, { include: '.app-header' })).toEqual([]);
    // A page opened while the server is away fails to load…
    await page.getByRole('link', { name: 'Storage' }).click();
    await expect.poll(() => page.getByText(/Cannot reach the Ontocat server/).count(), { timeout: 15_000 }).toBeGreaterThan(0);

    const second = await startServe(temp.root, { port: 'default' });
    serves.push(second);
    expect(second.origin).toBe(first.origin);
    await expect.poll(() => status.textContent(), { timeout: 15_000, interval: 100 }).not.toBe('Disconnected from the catalog — retrying…');
    // …and loads by itself once the connection is back, without Retry.
    await expect.poll(() => page.getByText(/Cannot reach the Ontocat server/).count(), { timeout: 15_000 }).toBe(0);
    await page.getByRole('heading', { name: 'Storage' }).waitFor({ timeout: 15_000 });
    // Calls work again on the same page, through the cookie the first run set.
    await page.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: /Events|Audit/i }).first().waitFor({ timeout: 15_000 });
    expect(await page.getByText(/Cannot reach the Ontocat server|Unauthorized/).count()).toBe(0);

    // A fresh browser (no cookie) at the address without its token, and with a wrong one,
    // gets a page that says how to open the app, not raw JSON.
    const stranger = await (await browser.newContext()).newPage();
    for (const [address, why] of [[second.origin, /needs the access token/], [`${second.origin}/?token=not-the-token`, /not the one of this catalog/]] as const) {
      const response = await stranger.goto(address);
      expect(response?.status()).toBe(401);
      await expect.poll(() => stranger.getByRole('heading', { name: 'Open Ontocat with its link' }).count()).toBe(1);
      expect(await stranger.locator('main').textContent()).toMatch(why);
      expect(await stranger.locator('body').textContent()).not.toMatch(/"ok"\s*:\s*false|BAD_INPUT/);
    }
  }, 300_000);
});
