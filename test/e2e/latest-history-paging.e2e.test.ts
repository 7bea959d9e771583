/**
 * End to end in Debian's Chromium over `ontocat serve`: the Catalog's latest history of a
 * service starts at its first page when another service is chosen from a later page of the
 * first one's, and lists what the CLI's `latest history S --json` lists.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocatOk, type CliRun } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

describe.skipIf(!chromiumAvailable())('latest history pages across services', () => {
  const temp = makeTempRoot('ontocat-latest-history-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  const cli = (args: string[]): CliRun => runOntocatOk(args, { root });

  beforeAll(async () => {
    ensureRendererBuilt();
    for (const [service, version] of [['alpha', '1.0'], ['alpha', '2.0'], ['beta', '1.0']] as const) {
      const dir = path.join(temp.root, 'src', service, version);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${service}.ttl`), `<http://example.org/${service}> <http://example.org/v> "${version}" .\n`);
      cli(['ingest', dir, '--service', service, '--version', version]);
    }
    // alpha's pointer moves twelve times (more than one page of ten), beta's once.
    for (let i = 0; i < 12; i += 1) cli(['latest', 'set', `alpha/${i % 2 === 0 ? '1.0' : '2.0'}`]);
    cli(['latest', 'set', 'beta/1.0']);
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  /** The To column of a history table, top to bottom. */
  const historyTo = (service: string): Promise<string[]> => page.getByRole('table', { name: `Latest history of ${service}` })
    .locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.querySelectorAll('td')[2]?.textContent ?? ''));

  it('shows beta\'s history from its first page after paging alpha\'s', async () => {
    const alpha = cli(['latest', 'history', 'alpha', '--json']).json<{ version: string }[]>();
    expect(alpha.length).toBeGreaterThan(10);
    await page.goto(`${served!.serve.url}#/?service=alpha`);
    const pager = page.getByRole('navigation', { name: 'Latest history pages' });
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => historyTo('alpha')).toEqual(alpha.slice(10, 20).map((c) => c.version));

    await page.getByRole('table', { name: 'Services' }).getByRole('link', { name: 'beta', exact: true }).click();
    const beta = cli(['latest', 'history', 'beta', '--json']).json<{ version: string }[]>();
    await expect.poll(() => historyTo('beta')).toEqual(beta.map((c) => c.version));
    expect(await pager.locator('span').textContent()).toBe(`1–${beta.length} of ${beta.length}`);
  }, 120_000);
});
