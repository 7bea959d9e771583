/**
 * End to end in Debian's Chromium over `ontocat serve`: the Catalog page's Undo (the toast
 * after Set as latest) goes back to the version the preview compared with. If another client
 * (the CLI beside the web host) corrected that version's release date or replaced its files
 * since, Undo would make latest a version the curator never saw as it is now: it is refused,
 * naming what changed, and the latest stays as the CLI's `latest get --json` reports it.
 * Without such a change Undo still goes back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { latestByCli, runOntocatAsync, runOntocatOk } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('Undo of Set as latest when the version it goes back to changed since', () => {
  const temp = makeTempRoot('ontocat-undo-latest-stale-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  const latestOfMini = (): Promise<string | null> => latestByCli(root, 'mini');

  /** Makes mini/2.0 latest through its preview, and returns the toast's Undo, focused so the toast stays. */
  const setLatestThroughPreview = async () => {
    // A fresh load: no toast of an earlier case is left to be read for this one's.
    await page.goto('about:blank');
    await page.goto(`${served!.serve.url}#/?service=mini`);
    await page.getByRole('button', { name: 'Set as latest: mini/2.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set mini/2.0 as latest?' });
    await dialog.getByLabel('Changes versus the current latest').waitFor();
    await dialog.getByRole('button', { name: 'Set as latest' }).click();
    await dialog.waitFor({ state: 'detached' });
    const toast = page.locator('.toast', { hasText: 'mini: latest is now 2.0 (was 1.0).' });
    const undo = toast.getByRole('button', { name: 'Undo' });
    await undo.focus();
    expect(await latestOfMini()).toBe('2.0');
    return undo;
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2018-01-01' }, { version: '2.0', day: '2019-01-16' }]);
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  beforeEach(() => { runOntocatOk(['latest', 'set', 'mini/1.0'], { root }); });

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('goes back to 1.0 when nothing changed since the preview', async () => {
    const undo = await setLatestThroughPreview();
    await undo.click();
    await page.getByText('Undone: latest mini is 1.0 again.').waitFor();
    expect(await latestOfMini()).toBe('1.0');
  }, 180_000);

  it('refuses Undo after 1.0\'s release date was corrected since the preview, naming it', async () => {
    const undo = await setLatestThroughPreview();
    const corrected = await runOntocatAsync(['release-date', 'mini/1.0', '2019-06-01'], { root });
    expect(corrected.code, corrected.stderr).toBe(0);

    await undo.click();
    const refusal = page.getByRole('alert').filter({ hasText: /^Could not undo: / });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/mini\/1\.0's release date changed since .*nothing was changed/);
    expect(await latestOfMini()).toBe('2.0');
    expect((await runOntocatAsync(['release-date', 'mini/1.0', '2018-01-01'], { root })).code).toBe(0);
  }, 180_000);

  it('refuses Undo after 1.0\'s files were replaced since the preview, naming it', async () => {
    const undo = await setLatestThroughPreview();
    const replacement = path.join(temp.root, 'src', '1.0-replaced');
    mkdirSync(replacement, { recursive: true });
    writeFileSync(path.join(replacement, 'mini.ttl'), '<http://example.org/a> <http://example.org/b> "1.0 replaced" .\n');
    writeFileSync(path.join(replacement, 'broken.ttl'), '<http://example.org/a> <http://example.org/b> "unterminated .\n');
    const replaced = await runOntocatAsync(['ingest', replacement, '--service', 'mini', '--version', '1.0', '--replace'], { root });
    expect(replaced.code, replaced.stderr + replaced.stdout).toBe(0);

    await undo.click();
    const refusal = page.getByRole('alert').filter({ hasText: /^Could not undo: / });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/mini\/1\.0's files.* changed since .*nothing was changed/);
    expect(await latestOfMini()).toBe('2.0');
  }, 180_000);
});
