/**
 * End to end in Debian's Chromium over `ontocat serve`: the Version page's release date
 * field belongs to the version shown. Going to another version (Back, a link) while the
 * field is open shows that version's date, as the CLI's `versions --json` has it, so Save
 * cannot give it the date of the version left.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('the release date field across versions', () => {
  const temp = makeTempRoot('ontocat-release-editor-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2014-01-01' }, { version: '2.0', day: '2019-01-16' }]);
    served = await openServedBrowser(root);
    page = await served.newPage({ timezoneId: 'America/Los_Angeles' });
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('shows 2.0\'s own date after going from 1.0\'s open field to 2.0', async () => {
    const versions = runOntocat(['versions', '--service', 'mini', '--json'], { root }).json<{ version: string; release_date: string }[]>();
    const day = (version: string): string => versions.find((v) => v.version === version)!.release_date.slice(0, 10);
    await page.goto(`${served!.serve.url}#/versions/mini/2.0`);
    await page.getByRole('button', { name: 'Correct the release date of mini/2.0' }).waitFor();
    await page.goto(`${served!.serve.url}#/versions/mini/1.0`);
    await page.getByRole('button', { name: 'Correct the release date of mini/1.0' }).click();
    expect(await page.getByLabel('Release date', { exact: true }).inputValue()).toBe(day('1.0'));
    await page.goBack();
    await page.getByRole('heading', { name: /mini \/ 2\.0/ }).waitFor();
    await expect.poll(async () => {
      const field = page.getByLabel('Release date', { exact: true });
      return (await field.count()) === 0 ? 'closed' : field.inputValue();
    }).toMatch(new RegExp(`^(closed|${day('2.0')})$`));
    await expect.poll(() => page.locator('.release-date').textContent()).toContain(day('2.0'));
  }, 120_000);
});
