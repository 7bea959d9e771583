/**
 * End to end in Debian's Chromium over `ontocat serve`: two curators correct the same
 * version's release date. One opens Correct… on the Version page; meanwhile another client
 * (the CLI beside the web host) corrects the date. The first one's Save must not silently
 * overwrite a correction it never saw: it is refused, naming the date the catalog holds
 * now (as the CLI's `versions --json` reports it), and only a second, informed Save writes.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('release date corrections from two clients', () => {
  const temp = makeTempRoot('ontocat-release-two-clients-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  const dayByCli = async (version: string): Promise<{ day: string; source: string }> => {
    const run = await runOntocatAsync(['versions', '--service', 'mini', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const row = run.json<{ version: string; release_date: string; release_date_source: string }[]>().find((v) => v.version === version)!;
    return { day: row.release_date.slice(0, 10), source: row.release_date_source };
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2014-01-01' }, { version: '2.0', day: '2019-01-16' }]);
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('refuses a Save based on a date another client corrected since, keeping theirs, and writes on a second Save', async () => {
    expect((await dayByCli('2.0')).day).toBe('2019-01-16');
    await page.goto(`${served!.serve.url}#/versions/mini/2.0`);
    await page.getByRole('button', { name: 'Correct the release date of mini/2.0' }).click();
    const field = page.getByLabel('Release date', { exact: true });
    expect(await field.inputValue()).toBe('2019-01-16');

    // Another curator corrects it from the CLI while this field is open.
    const other = await runOntocatAsync(['release-date', 'mini/2.0', '2013-06-01'], { root });
    expect(other.code, other.stderr).toBe(0);
    expect(await dayByCli('2.0')).toEqual({ day: '2013-06-01', source: 'curator' });

    await field.fill('2019-02-01');
    const form = page.getByRole('form', { name: 'Release date of mini/2.0' });
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/2013-06-01.*nothing was changed/);
    // The other curator's correction stands.
    expect(await dayByCli('2.0')).toEqual({ day: '2013-06-01', source: 'curator' });

    // Told, the curator saves again on purpose: now it is written.
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await dayByCli('2.0')).day).toBe('2019-02-01');
    await expect.poll(() => page.locator('.release-date').textContent()).toContain('2019-02-01');
    // And it says what the date did to the release order: from before 1.0 (2014-01-01) to after it.
    await expect.poll(() => page.getByRole('region', { name: 'Notifications' }).textContent())
      .toContain('mini/2.0: release date set to 2019-02-01. In release order it moved from the oldest of 2 to the newest of 2.');
  }, 120_000);
});
