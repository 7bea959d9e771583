/**
 * End to end in Debian's Chromium over `ontocat serve`: a reviewer opens Approve… on a
 * pending candidate; meanwhile another reviewer rejects it from the CLI with a reason. The
 * page has not heard of it (its event stream is down). Confirm must not replace that
 * rejection with an approval and make the candidate latest: it is refused, naming who
 * rejected it and why, and the CLI's `review list` and `latest get` are as the other
 * reviewer left them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_EVENTS_PATH } from '../../electron/shared/api-protocol.js';
import { chromiumAvailable } from '../helpers/browser.js';
import { release, ReleaseServer } from '../helpers/release-server.js';
import { runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openApproveDialog, openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('Approve… on a candidate another reviewer rejected meanwhile', () => {
  const server = new ReleaseServer();
  const temp = makeTempRoot('ontocat-review-decided-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;
  let candidate = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    await server.start();
    server.current.set('/mini.ttl', release(Buffer.from('<http://example.org/a> <http://example.org/b> "candidate" .\n'), 'Wed, 16 Jan 2019 00:00:00 GMT'));
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2018-01-01' }]);
    expect(runOntocat(['latest', 'set', 'mini/1.0'], { root }).code).toBe(0);
    const sources = path.join(temp.root, 'sources.yaml');
    writeFileSync(sources, `schema: ontocat.sources/2\nsources:\n  - id: mini\n    service: mini\n    version_rule: last-modified\n    artifacts:\n      - { type: url, url: "${server.base}/mini.ttl" }\n`);
    for (const args of [['sources', 'import', sources], ['sync', 'mini']]) {
      const run = await runOntocatAsync(args, { root });
      expect(run.code, run.stderr + run.stdout).toBe(0);
    }
    candidate = runOntocat(['review', 'list', '--json'], { root }).json<{ items: { version: string }[] }>().items[0]!.version;
    served = await openServedBrowser(root);
    page = await served.newPage();
    await page.route(`**${HTTP_EVENTS_PATH}**`, (route) => route.abort());
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    await server.stop();
    temp.cleanup();
  });

  it('refuses Confirm, naming the rejection, and leaves the rejection and the latest as they were', async () => {
    const dialog = await openApproveDialog(page, served!.serve.url, `mini/${candidate}`);

    const rejected = await runOntocatAsync(['review', 'reject', `mini/${candidate}`, '--reason', 'labels broken'], { root });
    expect(rejected.code, rejected.stderr).toBe(0);

    await dialog.getByRole('button', { name: 'Approve and set as latest' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: /nothing was changed/ });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('was rejected by');
    expect(await refusal.textContent()).toContain('labels broken');
    const decisions = (await runOntocatAsync(['review', 'list', '--state', 'all', '--json'], { root })).json<{ items: { version: string; state: string; reason: string | null }[] }>().items;
    expect(decisions.find((c) => c.version === candidate)).toMatchObject({ state: 'rejected', reason: 'labels broken' });
    const latest = await runOntocatAsync(['latest', 'get', 'mini', '--json'], { root });
    expect(latest.json<{ version: string }>().version).toBe('1.0');
  }, 120_000);
});
