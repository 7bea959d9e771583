/**
 * End to end in Debian's Chromium over `ontocat serve`: the Review page lists candidates by
 * service, then release order newest first, as `ontocat review list` does, after sync
 * brought real EDAM releases in out of order (1.2, then a backfill of 1.0 and 1.1).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { edamRelease, release, ReleaseServer } from '../helpers/release-server.js';
import { runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

describe.skipIf(!chromiumAvailable())('the Review page', () => {
  const server = new ReleaseServer();
  const temp = makeTempRoot('ontocat-review-order-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    await server.start();
    const sources = path.join(temp.root, 'sources.yaml');
    writeFileSync(sources, [
      'schema: ontocat.sources/2', 'sources:',
      '  - id: edam', '    service: edam', '    artifacts:', `      - { type: url, url: "${server.base}/edam.obo" }`,
      '  - id: edam-beta', '    service: edam-beta', '    artifacts:', `      - { type: url, url: "${server.base}/beta.obo" }`,
    ].join('\n'));
    expect(runOntocat(['sources', 'import', sources], { root }).code).toBe(0);
    for (const [id, at, file] of [['edam', '/edam.obo', 'EDAM_1.2.obo'], ['edam-beta', '/beta.obo', 'EDAM_beta10.obo'], ['edam', '/edam.obo', 'EDAM_1.0.obo'],
      ['edam', '/edam.obo', 'EDAM_1.1.obo'], ['edam-beta', '/beta.obo', 'EDAM_beta08.obo']] as const) {
      server.current.set(at, release(edamRelease(file), 'Mon, 01 Jan 2024 00:00:00 GMT'));
      // Not spawnSync: the server answering it runs in this process.
      const run = await runOntocatAsync(['sync', id], { root });
      expect(run.code, run.stderr + run.stdout).toBe(0);
    }
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    await server.stop();
    temp.cleanup();
  });

  it('lists the candidates by service, newest release first, as review list does', async () => {
    // By the releases' own OBO dates (1.0 2012-01-13, 1.1 2012-07-05, 1.2 2012-12-13; Beta08 2010-08-18, Beta10 2010-12-01).
    const expected = ['edam/1.2', 'edam/1.1', 'edam/1.0', 'edam-beta/Beta10', 'edam-beta/Beta08'];
    await page.goto(`${served!.serve.url}#/review`);
    const table = page.getByRole('table', { name: 'Candidates' });
    await table.getByRole('row').filter({ hasText: 'edam-beta/Beta08' }).waitFor();
    expect(await table.locator('tbody th[scope="row"]').allTextContents()).toEqual(expected);
    const cli = (await runOntocatAsync(['review', 'list', '--json'], { root })).json<{ items: { service: string; version: string }[] }>().items.map((c) => `${c.service}/${c.version}`);
    expect(cli).toEqual(expected);
  }, 120_000);
});
