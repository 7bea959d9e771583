/**
 * End to end in Debian's Chromium over `ontocat serve`: the Doctor page shows the plan of a
 * scan; meanwhile another client (the CLI beside the web host) ingests a release. The plan
 * on screen is of the catalog before it: the page says so (naming the write) and Apply waits
 * for a new scan, whose plan it then applies.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('a doctor plan shown while another client writes', () => {
  const temp = makeTempRoot('ontocat-doctor-changed-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2018-01-01' }]);
    // A file no version lists: doctor finds it and plans to move it to the trash.
    writeFileSync(path.join(root, 'mini', '1.0', 'data', 'stray.txt'), 'not in the catalog\n');
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('says the catalog changed since the scan and applies only a new scan\'s plan', async () => {
    await page.goto(`${served!.serve.url}#/doctor`);
    await page.getByRole('button', { name: 'Scan' }).click();
    const apply = page.getByRole('button', { name: /^Apply \d+ fixes…$/ });
    await apply.waitFor();
    expect(await apply.isDisabled()).toBe(false);

    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '2.0', day: '2019-01-16' }]);
    const notice = page.getByRole('alert', { name: 'Catalog changed since the scan' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/A write was made since \((ingest:run|versions:set-release)/);
    expect(await apply.isDisabled()).toBe(true);

    await notice.getByRole('button', { name: 'Scan again' }).click();
    await notice.waitFor({ state: 'detached' });
    await expect.poll(() => apply.isDisabled()).toBe(false);
    await apply.click();
    await page.getByRole('dialog', { name: 'Apply doctor repairs?' }).getByRole('button', { name: 'Apply repairs' }).click();
    await page.getByText('Doctor repairs applied.').waitFor();
    const check = await runOntocatAsync(['doctor', '--json'], { root });
    expect(check.code, check.stderr).toBe(0);
    expect(check.json<{ findings: unknown[] }>().findings).toEqual([]);
  }, 180_000);
});
