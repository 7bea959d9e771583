/**
 * End to end in Debian's Chromium over `ontocat serve`: the set-latest preview (Review's
 * Approve…) compares the candidate with the latest the catalog holds now, as the CLI's
 * `latest get --json` reports it, also when another client (the CLI beside the web host)
 * moved the pointer while the dialog was open; and a confirmation whose preview compared
 * with another latest than the catalog's is refused, nothing changed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { release, ReleaseServer } from '../helpers/release-server.js';
import { latestByCli, runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openApproveDialog, openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('the set-latest preview against a latest moved by another client', () => {
  const server = new ReleaseServer();
  const temp = makeTempRoot('ontocat-set-latest-preview-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;
  let candidate = '';

  const latestOfMini = (): Promise<string | null> => latestByCli(root, 'mini');

  beforeAll(async () => {
    ensureRendererBuilt();
    await server.start();
    // The candidate: released 2019-01-16 by its server's Last-Modified.
    server.current.set('/mini.ttl', release(Buffer.from('<http://example.org/a> <http://example.org/b> "candidate" .\n'), 'Wed, 16 Jan 2019 00:00:00 GMT'));
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2018-01-01' }, { version: '5.0', day: '2020-01-01' }]);
    expect(runOntocat(['latest', 'set', 'mini/1.0'], { root }).code).toBe(0);
    const sources = path.join(temp.root, 'sources.yaml');
    writeFileSync(sources, `schema: ontocat.sources/2\nsources:\n  - id: mini\n    service: mini\n    version_rule: last-modified\n    artifacts:\n      - { type: url, url: "${server.base}/mini.ttl" }\n`);
    // Not spawnSync: the release server runs in this process.
    for (const args of [['sources', 'import', sources], ['sync', 'mini']]) {
      const run = await runOntocatAsync(args, { root });
      expect(run.code, run.stderr + run.stdout).toBe(0);
    }
    const pending = runOntocat(['review', 'list', '--json'], { root });
    expect(pending.code, pending.stderr).toBe(0);
    candidate = pending.json<{ items: { version: string }[] }>().items[0]!.version;
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    await server.stop();
    temp.cleanup();
  });

  it('Approve… names the latest the CLI reports after another client set it, and warns it goes back a release', async () => {
    const dialog = await openApproveDialog(page, served!.serve.url, `mini/${candidate}`);
    expect(await dialog.textContent()).toContain('The latest mini version is now 1.0.');

    // Another client moves the pointer to the newer 5.0; the Review table behind the dialog shows it.
    const moved = await runOntocatAsync(['latest', 'set', 'mini/5.0'], { root });
    expect(moved.code, moved.stderr).toBe(0);
    expect(await latestOfMini()).toBe('5.0');
    const row = page.getByRole('table', { name: 'Candidates' }).getByRole('row').filter({ hasText: `mini/${candidate}` });
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toBe('5.0');

    await expect.poll(() => dialog.getByText(/^The latest mini version is now/).textContent()).toContain(`now ${await latestOfMini()}.`);
    await expect.poll(() => dialog.getByRole('alert', { name: 'Older than the current latest' }).textContent())
      .toContain(`${candidate} is older than 5.0 by release order`);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await latestOfMini()).toBe('5.0');
  }, 180_000);

  it('refuses a confirmation whose preview compared with another latest, and changes nothing', async () => {
    // What a dialog that last heard of 1.0 sends, as the page's own api would send it.
    const answer = await page.evaluate(async ({ token, ref }) => {
      const response = await fetch('/api/review:approve', {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-ontocat-token': token }, body: JSON.stringify({ ref, expected_latest: '1.0' }),
      });
      return response.json() as Promise<{ ok: boolean; code?: string; message?: string }>;
    }, { token: served!.serve.token, ref: `mini/${candidate}` });
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/5\.0/);
    expect(await latestOfMini()).toBe('5.0');
    const pending = await runOntocatAsync(['review', 'list', '--json'], { root });
    expect(pending.json<{ items: { version: string }[] }>().items.map((c) => c.version)).toEqual([candidate]);
  }, 60_000);

  it('Undo after another client moved the pointer again leaves that client\'s latest', async () => {
    expect((await runOntocatAsync(['latest', 'set', 'mini/5.0'], { root })).code).toBe(0);
    await page.goto(`${served!.serve.url}#/?service=mini`);
    await page.getByRole('button', { name: 'Set as latest: mini/1.0' }).click();
    await page.getByRole('dialog', { name: 'Set mini/1.0 as latest?' }).getByRole('button', { name: 'Set as latest' }).click();
    const toast = page.getByText('mini: latest is now 1.0 (was 5.0).');
    await toast.waitFor();
    expect(await latestOfMini()).toBe('1.0');
    // While the toast offers Undo, another client makes the candidate latest.
    const moved = await runOntocatAsync(['latest', 'set', `mini/${candidate}`], { root });
    expect(moved.code, moved.stderr).toBe(0);
    await page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: `mini/${candidate}` }).getByText('latest', { exact: true }).waitFor();
    await toast.locator('..').getByRole('button', { name: 'Undo' }).click();
    const said = page.getByText(/^(Could not undo: |Undone: )/);
    await said.waitFor();
    expect(await latestOfMini()).toBe(candidate);
    expect(await said.textContent()).toMatch(new RegExp(`^Could not undo: .*is ${candidate.replace(/\./g, '\\.')} now`));
  }, 60_000);
});
