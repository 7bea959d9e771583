/**
 * End to end in Debian's Chromium over `ontocat serve`: the set-latest preview shows mini/2.0
 * against the latest 1.0; before Confirm, another client (the CLI beside the web host)
 * changes 2.0 itself — corrects its release date to before 1.0's, or replaces its files
 * with `ingest --replace` — and the page has not heard of it (its event stream is down, or
 * the click comes before the re-read). Confirm must not make a version latest whose release
 * order, files or findings are not the ones the preview showed: it is refused, saying what
 * changed, and the latest stays 1.0 as the CLI's `latest get --json` reports it. A preview
 * made after the change confirms, and the refused dialog offers one (Preview again).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_EVENTS_PATH } from '../../electron/shared/api-protocol.js';
import { chromiumAvailable } from '../helpers/browser.js';
import { latestByCli, runOntocatAsync, runOntocatOk } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';
import { ingestDatedReleases } from '../helpers/dated-releases.js';

describe.skipIf(!chromiumAvailable())('Set as latest when the target changed after its preview', () => {
  const temp = makeTempRoot('ontocat-set-latest-stale-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  const latestOfMini = (): Promise<string | null> => latestByCli(root, 'mini');

  /** Opens the set-latest preview of mini/2.0 and waits until its figures are shown. */
  const openPreview = async () => {
    await page.goto(`${served!.serve.url}#/?service=mini`);
    await page.getByRole('button', { name: 'Set as latest: mini/2.0' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set mini/2.0 as latest?' });
    await dialog.getByLabel('Changes versus the current latest').waitFor();
    return dialog;
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    ingestDatedReleases(root, path.join(temp.root, 'src'), 'mini', [{ version: '1.0', day: '2018-01-01' }, { version: '2.0', day: '2019-01-16' }]);
    runOntocatOk(['latest', 'set', 'mini/1.0'], { root });
    served = await openServedBrowser(root);
    page = await served.newPage();
    // The page never hears of a catalog change: as with a stream that is down, or a click
    // made before the change's event arrives.
    await page.route(`**${HTTP_EVENTS_PATH}**`, (route) => route.abort());
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('refuses Confirm after 2.0 was dated before 1.0 since the preview, which gave no warning', async () => {
    const dialog = await openPreview();
    expect(await dialog.getByRole('alert', { name: 'Older than the current latest' }).count()).toBe(0);
    const corrected = await runOntocatAsync(['release-date', 'mini/2.0', '2017-06-01'], { root });
    expect(corrected.code, corrected.stderr).toBe(0);

    await dialog.getByRole('button', { name: 'Set as latest' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: /nothing was changed/ });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/release date/);
    expect(await latestOfMini()).toBe('1.0');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // A preview made now warns, and its Confirm is what the curator saw.
    const again = await openPreview();
    expect(await again.getByRole('alert', { name: 'Older than the current latest' }).textContent()).toContain('2.0 is older than 1.0 by release order');
    await again.getByRole('button', { name: 'Cancel' }).click();
    expect(await latestOfMini()).toBe('1.0');
    // Back to its own date for the next case.
    expect((await runOntocatAsync(['release-date', 'mini/2.0', '2019-01-16'], { root })).code).toBe(0);
  }, 180_000);

  it('refuses Confirm after 2.0\'s files were replaced since the preview, and confirms once it previews again', async () => {
    const dialog = await openPreview();
    expect(await dialog.getByLabel('New errors').textContent()).toMatch(/^0/);
    // Another client replaces 2.0 with a release that adds a file that does not parse.
    const replacement = path.join(temp.root, 'src', '2.0-replaced');
    mkdirSync(replacement, { recursive: true });
    writeFileSync(path.join(replacement, 'mini.ttl'), '<http://example.org/a> <http://example.org/b> "2.0 replaced" .\n');
    writeFileSync(path.join(replacement, 'broken.ttl'), '<http://example.org/a> <http://example.org/b> "unterminated .\n');
    const replaced = await runOntocatAsync(['ingest', replacement, '--service', 'mini', '--version', '2.0', '--replace'], { root });
    expect(replaced.code, replaced.stderr + replaced.stdout).toBe(0);

    await dialog.getByRole('button', { name: 'Set as latest' }).click();
    const refusal = dialog.getByRole('alert').filter({ hasText: /nothing was changed/ });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/mini\/2\.0's files.*changed since this preview/);
    expect(await latestOfMini()).toBe('1.0');
    // The figures shown are the stale ones: Confirm waits until the dialog previews again,
    // which it offers in place (the page still hears of no change).
    expect(await dialog.getByRole('button', { name: 'Set as latest' }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Preview again' }).click();
    await expect.poll(async () => dialog.getByLabel('New errors').textContent(), { timeout: 60_000 }).not.toMatch(/^0/);
    expect(await refusal.count()).toBe(0);
    await dialog.getByRole('button', { name: 'Set as latest' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await latestOfMini()).toBe('2.0');
  }, 180_000);
});
