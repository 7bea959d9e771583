/**
 * End to end: the real renderer in Debian's Chromium against `ontocat serve` over a demo
 * catalog built with the real CLI.
 *
 * One walk through the app, a step per page visit: the Catalog, a version's file tree,
 * a validation failure, the delta between two releases (checked against the CLI's own
 * `delta --json`) down to a term-level change, and "Set as latest" with its confirmation,
 * ending on the audit log; then the housekeeping pages: Doctor repairing problems planted
 * in the served root, Prune moving a version to the trash and Restore bringing it back,
 * and catalog backups on the Storage page. Every page is screenshotted into test-results/screenshots/,
 * scanned with axe-core (serious and critical violations fail), and any console error or
 * uncaught page error fails the test. New pages get their own `visit…` step below.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeltaResult } from '../../electron/shared/contract/delta.js';
import { FORMAT_LABELS, type FileFormat } from '../../electron/shared/formats.js';
import { casRelpath } from '../../electron/storage/layout.js';
import { formatBytes } from '../../renderer/src/lib/format.js';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/browser.js';
import { projectRoot, runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { openServedPage, type ServedPage } from '../helpers/served-page.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { bytesByInode } from '../helpers/bytes-by-inode.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[ui.e2e] skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set ONTOCAT_CHROMIUM).`);

const SERVICE = 'rdf-vocabularies';
const FROM = `${SERVICE}/2020.6.17`;
const TO = `${SERVICE}/2021.9.22`;
const STRAY = 'mini/1.0/data/stray-notes.txt';
const OLDEST = `${SERVICE}/2019.6.27`;
const PIN_REASON = 'cited in the 2026 annotation paper';

/** A small service with folders, in two versions, so the tree has something to expand. */
function writeFolderService(base: string): { v1: string; v2: string } {
  const put = (file: string, text: string): void => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  const ttl = (labels: Record<string, string>): string => [
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .', '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '<http://example.org/mini> a owl:Ontology .',
    ...Object.entries(labels).map(([id, label]) => `<http://example.org/mini#${id}> a owl:Class ; rdfs:label "${label}" .`), '',
  ].join('\n');
  const v1 = path.join(base, 'mini-1');
  const v2 = path.join(base, 'mini-2');
  put(path.join(v1, 'mini.ttl'), ttl({ A: 'Alpha', B: 'Beta' }));
  put(path.join(v1, 'subsets', 'slim.ttl'), ttl({ A: 'Alpha' }));
  put(path.join(v1, 'subsets', 'extra', 'notes.csv'), 'id,label\nA,Alpha\n');
  put(path.join(v2, 'mini.ttl'), ttl({ A: 'Alpha', B: 'Beta renamed', C: 'Gamma' }));
  put(path.join(v2, 'subsets', 'slim.ttl'), ttl({ A: 'Alpha' }));
  put(path.join(v2, 'subsets', 'extra', 'notes.csv'), 'id,label\nA,Alpha\nC,Gamma\n');
  put(path.join(v2, 'subsets', 'new.ttl'), ttl({ C: 'Gamma' }));
  return { v1, v2 };
}

describe.skipIf(!hasChromium)('UI end to end over ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let served: ServedPage | undefined;
  let page: Page;
  let problems: string[];
  // What the CLI says, read before the web host opens the catalog (DuckDB allows one process).
  let cliDelta: DeltaResult['summary'];
  let cliTerms: { summary: { added: number; removed: number } };
  let servedRoot: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-ui-e2e');
    const root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    const demo = runOntocat(['demo', '--json'], { root, timeoutMs: 400_000 });
    expect(demo.code, demo.stderr).toBe(0);
    const mini = writeFolderService(path.join(temp.root, 'sources'));
    for (const [dir, version] of [[mini.v1, '1.0'], [mini.v2, '2.0']] as const) {
      const ingest = runOntocat(['ingest', dir, '--service', 'mini', '--version', version, '--set-latest', '--json'], { root, timeoutMs: 400_000 });
      expect(ingest.code, ingest.stderr).toBe(0);
    }
    const delta = runOntocat(['delta', FROM, TO, '--json'], { root });
    expect(delta.code, delta.stderr).toBe(0);
    cliDelta = delta.json<{ summary: DeltaResult['summary'] }>().summary;
    const terms = runOntocat(['delta', 'terms', FROM, TO, 'as.nq', '--json'], { root });
    expect(terms.code, terms.stderr).toBe(0);
    cliTerms = terms.json();
    // Problems for Doctor: a file no catalog row accounts for, and a lost LATEST.json.
    writeFileSync(path.join(root, STRAY), 'not catalogued\n');
    rmSync(path.join(root, 'mini', 'LATEST.json'));
    served = await openServedPage(root, { schemes: ['light'], loadTimeout: 15_000 });
    servedRoot = root;
    ({ page, problems } = served);
  }, 600_000);

  afterAll(async () => {
    await served?.close();
    temp?.cleanup();
  });

  const checkPage = (name: string): Promise<void> => served!.checkPage(name);
  const open = (route: string): Promise<void> => served!.open(route);

  async function visitCatalog(): Promise<void> {
    await open('/');
    const versions = page.getByRole('table', { name: 'Versions' });
    await expect.poll(() => versions.getByRole('row').count()).toBe(6); // header + 3 demo + 2 mini
    const latestRow = versions.getByRole('row', { name: TO });
    await latestRow.getByText('latest', { exact: true }).waitFor();
    // The service's name filters the list (the row's middle may be its Latest link, which opens the version).
    await page.getByRole('table', { name: 'Services' }).getByRole('row').filter({ hasText: SERVICE }).getByRole('link', { name: SERVICE, exact: true }).click();
    await page.getByRole('heading', { name: `Versions of ${SERVICE}` }).waitFor();
    await expect.poll(() => versions.getByRole('row').count()).toBe(4);
    await checkPage('01-catalog');
  }

  async function visitVersionTree(): Promise<void> {
    await open('/');
    await page.getByRole('table', { name: 'Versions' }).getByRole('link', { name: '2.0', exact: true }).click();
    const tree = page.getByRole('tree', { name: 'Files of mini/2.0' });
    const folder = tree.getByRole('treeitem', { name: /^subsets, folder/ });
    await folder.click();
    await tree.getByRole('treeitem', { name: 'new.ttl' }).waitFor();
    expect(await folder.getAttribute('aria-expanded')).toBe('true');
    await tree.getByRole('treeitem', { name: 'slim.ttl' }).click();
    await page.getByRole('complementary', { name: 'slim.ttl' }).waitFor();
    await checkPage('02-version-tree');
  }

  async function visitValidationFailure(): Promise<void> {
    await open(`/validation/${TO}`);
    const failures = page.getByRole('table', { name: 'Validation findings' });
    const first = failures.getByRole('row').nth(1);
    const label = (await first.getAttribute('aria-label')) ?? '';
    const relpath = label.slice(0, label.indexOf(':'));
    expect(relpath).toMatch(/\.nq$/);
    await page.getByRole('tablist', { name: 'Findings versus previous version' }).waitFor();
    await checkPage('03-validation');
    await first.click();
    const details = page.getByRole('complementary', { name: relpath });
    await details.waitFor();
    await expect.poll(() => details.textContent()).toMatch(/failed|ERROR|WARN/i);
    await checkPage('04-validation-failure-file');
  }

  async function visitDelta(): Promise<void> {
    const expected = cliDelta;
    await open(`/delta?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    const cards = page.getByLabel('Delta summary');
    await cards.waitFor();
    const card = (name: string) => cards.getByRole('group', { name, exact: true }).locator('.card-value').textContent();
    expect(await card('Added')).toBe(String(expected.added.count));
    expect(await card('Removed')).toBe(String(expected.removed.count));
    expect(await card('Modified')).toBe(String(expected.modified.count));
    expect(await card('Unchanged')).toBe(String(expected.unchanged.count));
    expect(await card('Files')).toBe(`${expected.files_from} → ${expected.files_to}`);
    const changed = expected.added.count + expected.removed.count + expected.modified.count + expected.renamed.count;
    await page.getByRole('navigation', { name: 'Change pages' }).getByText(`of ${changed}`).waitFor();
    await checkPage('05-delta');

    // A modified ontology file down to its terms.
    const modified = page.getByRole('table', { name: 'Changed files' }).getByRole('row', { name: 'modified as.nq' });
    await modified.click();
    const region = page.getByRole('region', { name: 'Term changes in as.nq' });
    const terms = region.getByRole('table', { name: 'Term changes in as.nq' });
    await terms.waitFor({ timeout: 20_000 });
    await region.getByRole('tab', { name: `removed ${cliTerms.summary.removed}` }).click();
    await terms.getByRole('row', { name: /^REMOVED / }).first().waitFor();
    expect(await terms.getByRole('row', { name: /^ADDED / }).count()).toBe(0);
    await checkPage('06-delta-terms');

    // The tree of changes, into a folder, on the service with folders.
    await open('/delta?from=mini%2F1.0&to=mini%2F2.0');
    const tree = page.getByRole('list', { name: 'Tree of changes' });
    await tree.getByRole('button', { name: /^Open folder subsets: 2 changed/ }).click();
    await tree.getByRole('button', { name: 'ADDED subsets/new.ttl' }).waitFor();
    await page.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: 'subsets' }).waitFor();
    await checkPage('07-delta-tree');
  }

  async function visitSetLatest(): Promise<void> {
    await open(`/?service=${SERVICE}`);
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row', { name: TO }).getByText('latest', { exact: true }).waitFor();
    await versions.getByRole('button', { name: `Set as latest: ${FROM}` }).click();
    const dialog = page.getByRole('dialog', { name: `Set ${FROM} as latest?` });
    await dialog.getByLabel('Files added and removed').waitFor();
    await expect.poll(() => dialog.getByLabel('Terms added and removed').textContent(), { timeout: 30_000 }).toMatch(/^\+[\d,]+ \/ −[\d,]+/);
    await dialog.getByLabel('New errors').waitFor();
    await checkPage('08-set-latest-dialog');
    await dialog.getByRole('button', { name: 'Set as latest' }).click();
    await dialog.waitFor({ state: 'detached' });
    await versions.getByRole('row', { name: FROM }).getByText('latest', { exact: true }).waitFor();
    expect(await versions.getByRole('row', { name: TO }).getByText('latest', { exact: true }).count()).toBe(0);
    await checkPage('09-catalog-after-set-latest');
  }

  async function visitEvents(): Promise<void> {
    await open('/events');
    await page.getByLabel('Type').fill('latest.set');
    const events = page.getByRole('table', { name: 'Events' });
    // A sentence with the version names, not JSON with ids.
    const row = events.getByRole('row', { name: new RegExp(`^Latest of ${SERVICE} set to 2020\\.6\\.17 \\(was 2021\\.9\\.22\\)`) }).first();
    await row.waitFor();
    expect(await row.textContent()).not.toContain('{');
    await checkPage('10-events');
  }

  async function visitDoctor(): Promise<void> {
    await open('/doctor');
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    const orphans = page.getByRole('table', { name: 'Stray files findings' });
    await orphans.waitFor({ timeout: 90_000 });
    expect(await orphans.textContent()).toContain(STRAY);
    expect(await page.getByRole('table', { name: 'Latest pointer files out of date findings' }).textContent()).toContain('mini/LATEST.json');
    await checkPage('13-doctor-preview');
    await page.getByRole('button', { name: /^Apply \d+ fixes…$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Apply doctor repairs?' });
    await dialog.waitFor();
    await checkPage('14-doctor-confirm');
    expect(existsSync(path.join(servedRoot, STRAY))).toBe(true);
    await dialog.getByRole('button', { name: 'Apply repairs' }).click();
    const applied = page.getByRole('status').filter({ has: page.getByText('Repairs applied', { exact: true }) });
    await applied.waitFor({ timeout: 30_000 });
    expect(existsSync(path.join(servedRoot, STRAY))).toBe(false);
    expect(existsSync(path.join(servedRoot, 'mini', 'LATEST.json'))).toBe(true);
    await checkPage('15-doctor-applied');
    await applied.getByRole('button', { name: 'Scan again' }).click();
    await page.getByText('No problems found').waitFor({ timeout: 30_000 });
    await checkPage('16-doctor-clean');
  }

  async function visitPruneAndRestore(): Promise<void> {
    await open('/prune');
    await page.getByLabel('Keep the last N versions').fill('1');
    await page.getByLabel('Service').selectOption('mini');
    await page.getByRole('button', { name: 'Preview' }).click();
    const removals = page.getByRole('table', { name: 'Versions to remove' });
    await removals.waitFor({ timeout: 30_000 });
    expect(await removals.textContent()).toContain('mini/1.0');
    expect(await page.getByRole('table', { name: 'Files to remove' }).textContent()).toContain('mini/1.0/data/mini.ttl');
    expect(await page.getByRole('table', { name: 'Versions kept' }).textContent()).toMatch(/mini\/2\.0.*latest/);
    await checkPage('17-prune-preview');
    await page.getByRole('button', { name: /^Prune \d+ files…$/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Prune these versions?' });
    await dialog.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('status').filter({ has: page.getByText('Pruned', { exact: true }) }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Open the Trash' }).click();
    const restore = page.getByRole('table', { name: 'Trash' }).getByRole('button', { name: /^Restore plan prune-/ });
    await restore.waitFor();
    expect(existsSync(path.join(servedRoot, 'mini', '1.0', 'data', 'mini.ttl'))).toBe(false);
    await checkPage('18-prune-trash');

    await open('/?service=mini');
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row', { name: 'mini/2.0' }).waitFor();
    expect(await versions.getByRole('row', { name: 'mini/1.0' }).count()).toBe(0);

    await open('/trash');
    await restore.click();
    await page.getByRole('dialog', { name: 'Restore this plan?' }).getByRole('button', { name: 'Restore' }).click();
    await page.getByText(/^Restored \d+ files/).first().waitFor({ timeout: 30_000 });
    expect(existsSync(path.join(servedRoot, 'mini', '1.0', 'data', 'mini.ttl'))).toBe(true);
    await open('/?service=mini');
    await versions.getByRole('row', { name: 'mini/1.0' }).waitFor();
    await checkPage('19-catalog-after-restore');
  }

  async function visitBackups(): Promise<void> {
    await open('/storage');
    // Formats are named (N-Quads, Turtle), not shown as the catalog's keys, in the order `ontocat usage` lists them.
    const byFormat = page.getByRole('table', { name: 'Usage by format' });
    await byFormat.locator('tbody tr').first().waitFor();
    const usage = runOntocat(['usage', '--json'], { root: servedRoot }).json<{ by_format: { key: string }[] }>();
    expect(await byFormat.locator('tbody tr td:nth-child(1)').allTextContents()).toEqual(usage.by_format.map((r) => FORMAT_LABELS[r.key as FileFormat] ?? r.key));
    expect(usage.by_format.map((r) => r.key)).toContain('nquads');
    const section = page.getByRole('region', { name: 'Catalog backups' });
    await section.getByRole('button', { name: 'Create backup' }).click();
    const backups = section.getByRole('table', { name: 'Backups' });
    await backups.getByRole('button', { name: /^Restore backup / }).first().waitFor({ timeout: 30_000 });
    await section.getByRole('button', { name: 'Compact catalog' }).click();
    await section.getByRole('status').filter({ hasText: 'Compacted the catalog' }).waitFor({ timeout: 30_000 });
    expect(await section.getByRole('status').filter({ hasText: 'Compacted the catalog' }).textContent()).toMatch(/reclaimed/);
    await backups.getByRole('button', { name: /^Restore backup / }).first().click();
    await page.getByRole('dialog', { name: 'Restore this backup?' }).waitFor();
    await checkPage('20-storage-backups');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  }

  /** Pins mini/1.0 by keyboard with a reason; the prune preview says "pinned — reason"; a version left out makes a new plan. */
  async function visitPinAndPruneChoice(): Promise<void> {
    await open('/versions/mini/1.0');
    const pin = page.getByRole('button', { name: 'Pin…' });
    await pin.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Pin mini/1.0?' });
    await dialog.waitFor();
    await page.keyboard.press('Shift+Tab'); // from Cancel back to the reason
    await page.keyboard.type(PIN_REASON);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Pin reason').textContent()).toBe(PIN_REASON);

    await open('/prune');
    await page.getByLabel('Keep the last N versions').fill('1');
    await page.getByRole('button', { name: 'Preview' }).click();
    const kept = page.getByRole('table', { name: 'Versions kept' });
    await kept.waitFor({ timeout: 30_000 });
    expect(await kept.getByRole('row').filter({ hasText: 'mini/1.0' }).textContent()).toContain(`pinned — ${PIN_REASON}`);
    expect(await page.getByRole('note').filter({ hasText: 'freed only when the trash is emptied' }).count()).toBe(1);
    const removals = page.getByRole('table', { name: 'Versions to remove' });
    expect(await removals.textContent()).toContain(OLDEST);
    await checkPage('21-prune-preview-pinned-reason');

    // Leave the oldest release out, by keyboard: the plan is made again, without it.
    const first = await page.locator('[aria-label="Prune figures"]').count();
    expect(first).toBe(1);
    await removals.getByRole('checkbox', { name: `Remove ${OLDEST}` }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByRole('button', { name: /^Prune \d+ files…$/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Make a new plan without 1 version' }).click();
    await page.getByText(/made from prune-/).waitFor({ timeout: 30_000 });
    expect(await kept.getByRole('row').filter({ hasText: OLDEST }).textContent()).toContain('left out of this plan by you');
    // The new plan removes what the old one did, except the release left out.
    await expect.poll(async () => (await page.getByText('Nothing to prune').count()) > 0
      || !((await removals.textContent({ timeout: 5_000 }).catch(() => '')) ?? '').includes(OLDEST), { timeout: 30_000 }).toBe(true);
  }

  /** Doctor with choices: a stray adopted into its version, another left out, a missing file marked; then the tree and details say so. */
  async function visitDoctorChoice(): Promise<void> {
    const adopt = 'mini/2.0/data/adopt-me.ttl';
    const leave = 'mini/2.0/data/leave-me.txt';
    writeFileSync(path.join(servedRoot, adopt), '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://example.org/mini#Z> rdfs:label "Zeta" .\n');
    writeFileSync(path.join(servedRoot, leave), 'not for the catalog\n');
    // A catalogued file with no copy left: doctor can only mark it missing.
    const lost = path.join(servedRoot, 'mini/2.0/data/subsets/new.ttl');
    const lostObject = path.join(servedRoot, casRelpath(createHash('sha256').update(readFileSync(lost)).digest('hex')));
    rmSync(lost);
    rmSync(lostObject);

    await open('/doctor');
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    const strays = page.getByRole('table', { name: 'Stray files findings' });
    await strays.waitFor({ timeout: 90_000 });
    const missing = await page.getByRole('table', { name: 'Missing files findings' }).textContent();
    expect(missing).toContain('no copy exists: mark the version damaged');
    expect(missing).not.toContain('mark_damaged');
    await strays.getByRole('combobox', { name: `Action for ${adopt}` }).selectOption('adopt');
    await strays.getByRole('checkbox', { name: `Fix ${leave}` }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('status', { name: 'Your choice' }).waitFor();
    await checkPage('22-doctor-plan-with-choices');
    await page.getByRole('button', { name: 'Make a new plan from my choice' }).click();
    await page.getByText(/made from doctor-/).waitFor({ timeout: 30_000 });
    expect(await strays.textContent()).toContain('adopt it into its version');
    expect(await strays.textContent()).not.toContain(leave);
    await page.getByRole('button', { name: /^Apply \d+ fixes…$/ }).click();
    await page.getByRole('dialog', { name: 'Apply doctor repairs?' }).getByRole('button', { name: 'Apply repairs' }).click();
    await page.getByRole('status').filter({ has: page.getByText('Repairs applied', { exact: true }) }).waitFor({ timeout: 60_000 });
    expect(existsSync(path.join(servedRoot, leave))).toBe(true);
    rmSync(path.join(servedRoot, leave));

    await open('/versions/mini/2.0');
    const tree = page.getByRole('tree', { name: 'Files of mini/2.0' });
    await tree.getByRole('treeitem', { name: 'adopt-me.ttl', exact: true }).waitFor({ timeout: 15_000 });
    await tree.getByRole('treeitem', { name: /^subsets, folder, \d+ files, 1 damaged/ }).click();
    await tree.getByRole('treeitem', { name: 'new.ttl, missing' }).click();
    const state = page.getByRole('complementary', { name: 'new.ttl' }).getByRole('note', { name: 'File state' });
    await state.waitFor();
    expect(await state.textContent()).toMatch(/missing.*Re-ingest the version/);
    await checkPage('23-version-tree-missing-file');
  }

  /** Unpin, prune mini/1.0 and check that preview, apply result and the Trash page show the same bytes; then empty it by keyboard. */
  async function visitTrashReconciles(): Promise<void> {
    await open('/versions/mini/1.0');
    await page.getByRole('button', { name: 'Unpin…' }).click();
    await page.getByRole('dialog', { name: 'Unpin mini/1.0?' }).getByRole('button', { name: 'Unpin' }).click();
    await page.getByRole('button', { name: 'Pin…' }).waitFor();

    await open('/prune');
    await page.getByLabel('Keep the last N versions').fill('1');
    await page.getByLabel('Service').selectOption('mini');
    await page.getByRole('button', { name: 'Preview' }).click();
    const figures = page.getByLabel('Prune figures');
    await figures.waitFor({ timeout: 30_000 });
    const card = (name: string) => figures.getByRole('group', { name, exact: true });
    const previewFiles = (await card('Files to the trash').locator('.card-value').textContent())!;
    // What the entries are, not the sum of their sizes (a data file and its content object are one inode).
    const previewKinds = (await card('Files to the trash').locator('.card-note').textContent())!;
    const previewFreed = (await card('Freed when the trash is emptied').locator('.card-value').textContent())!;
    await page.getByRole('button', { name: /^Prune \d+ files…$/ }).click();
    await page.getByRole('dialog', { name: 'Prune these versions?' }).getByRole('button', { name: 'Move to trash' }).click();
    const summary = page.getByRole('status').filter({ has: page.getByText('Pruned', { exact: true }) });
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.textContent()).toContain(`Moved ${previewFiles} file`);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trash' }).click();
    const trash = page.getByRole('table', { name: 'Trash' });
    const row = trash.getByRole('row').filter({ hasText: 'mini/1.0' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    // Size on disk: each inode of the entry once, as a walk of it by inode counts (a data file
    // and its content-store object are one); the preview's bytes add their sizes up.
    expect(cells[7]).toBe(formatBytes(bytesByInode(path.join(servedRoot, '.trash', cells[0]!, 'files'))));
    expect(cells[8]).toBe(previewFreed);
    // The preview named what moved: the trash holds that many content-store objects, the rest version files.
    const trashed = (readdirSync(path.join(servedRoot, '.trash', cells[0]!, 'files'), { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile()).map((entry) => path.relative(path.join(servedRoot, '.trash', cells[0]!, 'files'), path.join(entry.parentPath, entry.name)));
    const objects = trashed.filter((relpath) => relpath.startsWith('.cas/')).length;
    expect(previewKinds).toBe(`${trashed.length - objects} version files, ${objects} content objects`);
    await row.getByRole('button', { name: /^Files of plan / }).click();
    await page.getByRole('list', { name: /^Files of prune-/ }).getByText('mini/1.0/data/mini.ttl', { exact: false }).waitFor();
    await checkPage('24-trash');

    // Empty that plan by keyboard: Enter opens the confirmation, focus starts on Cancel.
    await row.getByRole('button', { name: /^Empty plan / }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Empty this plan from the trash?' });
    expect(await dialog.textContent()).toContain(`freeing ${previewFreed}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText(/^Emptied 1 trash entry/).waitFor({ timeout: 30_000 });
    await expect.poll(() => trash.getByRole('row').filter({ hasText: 'mini/1.0' }).count(), { timeout: 30_000 }).toBe(0);
  }

  it('walks the catalog, a version, validation, delta and set-latest without errors or serious a11y violations', async () => {
    problems.length = 0;
    await visitCatalog();
    await visitVersionTree();
    await visitValidationFailure();
    await visitDelta();
    await visitSetLatest();
    await visitEvents();
  }, 300_000);

  it('repairs with Doctor, prunes to the trash and restores, and backs up the catalog', async () => {
    problems.length = 0;
    await visitDoctor();
    await visitPruneAndRestore();
    await visitBackups();
  }, 300_000);

  it('curates: pin with a reason, leave a version out, doctor choices with adoption, damaged files shown, trash figures reconcile', async () => {
    problems.length = 0;
    await visitPinAndPruneChoice();
    await visitDoctorChoice();
    await visitTrashReconciles();
  }, 180_000);

  it('keeps the dark theme readable (screenshot + axe colour contrast)', async () => {
    problems.length = 0;
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(`/delta?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    await page.getByLabel('Delta summary').waitFor();
    await checkPage('11-delta-dark');
    await open('/');
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    await checkPage('12-catalog-dark');
    await open('/trash');
    await page.getByRole('heading', { name: 'Trash' }).waitFor();
    await checkPage('25-trash-dark');
    // mini/1.0 was pruned and its trash emptied by the curation walk; 2.0 is still here.
    await open('/versions/mini/2.0');
    await page.getByRole('button', { name: /^(Pin|Unpin)…$/ }).waitFor();
    await checkPage('26-version-pin-dark');
  }, 240_000);
});

describe('renderer bundle', () => {
  it('ships no zod: the renderer takes channel names from the zod-free list', () => {
    ensureRendererBuilt();
    const assets = path.join(projectRoot, 'dist', 'renderer', 'assets');
    const withZod = readdirSync(assets).filter((name) => name.endsWith('.js') && readFileSync(path.join(assets, name), 'utf8').includes('ZodError'));
    expect(withZod).toEqual([]);
  }, 60_000);

  it("is React's production build even when built under a test runner (NODE_ENV=test)", () => {
    // A development build runs every effect twice under StrictMode: the browser suites once
    // tested that app instead of the one users get, and its dialogs lost focus.
    const build = spawnSync(process.execPath, [path.join(projectRoot, 'scripts', 'build-renderer.mjs')], {
      cwd: projectRoot, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' },
    });
    expect(build.status, build.stderr).toBe(0);
    const assets = path.join(projectRoot, 'dist', 'renderer', 'assets');
    const development = readdirSync(assets).filter((name) => name.endsWith('.js') && readFileSync(path.join(assets, name), 'utf8').includes('jsxDEV'));
    expect(development).toEqual([]);
  }, 180_000);
});
