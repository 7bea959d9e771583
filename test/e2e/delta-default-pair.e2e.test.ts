/**
 * End to end in Debian's Chromium over `ontocat serve`: a Version page's "Compare…" opens the
 * Delta of that version against the one released just before it in its own service, in a
 * catalog of more versions than one page of the list (1,000), as the CLI's `versions
 * --service S --json` orders them and `delta --json` counts the change; so does the
 * Validation page's "versus previous" for an old version of a service of 1,001 versions.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setReleaseDate } from '../../electron/catalog/release-order.js';
import { upsertVersion } from '../../electron/catalog/write-records.js';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot, sessionOn } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

/** More versions released after mini's than the Delta page's one list of versions holds. */
const NEWER_VERSIONS = 1_001;

describe.skipIf(!chromiumAvailable())('Compare… in a catalog of more than 1,000 versions', () => {
  const temp = makeTempRoot('ontocat-delta-pair-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [['1.0', '2001-01-01', 'b'], ['2.0', '2002-01-01', 'c']].map(([version, day, term]) => ({
      version: version!, day: day!, turtle: `<http://example.org/a> <http://example.org/p> <http://example.org/${term}> .\n`,
    })));
    // Another service's versions, all released after mini's (a day each from 2020 on).
    await sessionOn(() => root)((session) => session.catalog.write(async (tx) => {
      for (let i = 0; i < NEWER_VERSIONS; i += 1) {
        const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString();
        await upsertVersion(tx, { service: 'bulk', version: `v${i}`, created_at: day });
        await setReleaseDate(tx, { service: 'bulk', version: `v${i}` }, day.slice(0, 10), 'test');
      }
    }));
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('compares mini/2.0 with mini/1.0, the version before it by the CLI, and shows the CLI delta', async () => {
    const versions = runOntocat(['versions', '--service', 'mini', '--sort', 'release', '--json'], { root });
    expect(versions.code, versions.stderr).toBe(0);
    const order = versions.json<{ version: string }[]>().map((v) => v.version);
    const before = order[order.indexOf('2.0') - 1]!;
    expect(before).toBe('1.0');
    const cli = runOntocat(['delta', `mini/${before}`, 'mini/2.0', '--json'], { root });
    expect(cli.code, cli.stderr).toBe(0);
    const modified = cli.json<{ summary: { modified: { count: number } } }>().summary.modified.count;

    await page.goto(`${served!.serve.url}#/versions/mini/2.0`);
    await page.getByRole('navigation', { name: 'Version views' }).getByRole('link', { name: 'Compare…' }).click();
    await expect.poll(() => page.getByLabel('From (before)').inputValue()).toBe(`mini/${before}`);
    expect(await page.getByLabel('To (after)').inputValue()).toBe('mini/2.0');
    const card = page.getByLabel('Delta summary').getByRole('group', { name: 'Modified', exact: true });
    await expect.poll(() => card.locator('.card-value').textContent()).toBe(String(modified));
  }, 120_000);

  it('compares an old version of a service of 1,001 versions with the one before it, as the CLI orders them', async () => {
    const versions = runOntocat(['versions', '--service', 'bulk', '--sort', 'release', '--limit', '3', '--json'], { root });
    expect(versions.code, versions.stderr).toBe(0);
    const [first, second] = versions.json<{ version: string }[]>().map((v) => v.version);
    expect([first, second]).toEqual(['v0', 'v1']);
    // Its findings versus the previous version: among the newest 1,000 it had none, and read as the first.
    await page.goto(`${served!.serve.url}#/validation/bulk/${second}`);
    await expect.poll(() => page.getByText(/^Failed checks compared with /).textContent(), { timeout: 60_000 }).toBe(`Failed checks compared with bulk/${first}.`);
    expect(await page.getByText('This is the first version of its service').count()).toBe(0);
    // And Compare… from its Version page pairs it with that version too.
    await page.goto(`${served!.serve.url}#/versions/bulk/${second}`);
    await page.getByRole('navigation', { name: 'Version views' }).getByRole('link', { name: 'Compare…' }).click();
    await expect.poll(() => page.getByLabel('From (before)').inputValue()).toBe(`bulk/${first}`);
  }, 120_000);
});
