/**
 * End to end, "reading and finding": the real renderer in Debian's Chromium against
 * `ontocat serve`, over a small two-release service plus W3C negative-syntax Turtle tests.
 *
 * - Keyboard only: from the Catalog to a version, its validation failures, one failure,
 *   and its failing line with context; the lines shown are the W3C file's own lines.
 * - "Download file" saves the stored bytes (Content-Disposition attachment).
 * - Exports from the UI (CSV and JSON) equal the CLI's export of the same table, byte for byte.
 * - The Reports page shows the numbers of `ontocat report … --json`.
 * - Events read as sentences.
 * Every page is scanned with axe in light and dark and screenshotted.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CadenceReport, GrowthReport, HotspotRow, ValidationHealthRow } from '../../electron/shared/contract/report.js';
import { FORMAT_LABELS, type FileFormat } from '../../electron/shared/formats.js';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/browser.js';
import { projectRoot, runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { openServedPage, type ServedPage } from '../helpers/served-page.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[reading.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

const W3C_TURTLE = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', 'rdf-turtle');
/** Negative syntax tests whose error lies past the first line, so context shows on both sides. */
const BAD_FILES = ['turtle-syntax-bad-number-dot-in-anon.ttl', 'turtle-syntax-bad-n3-extras-03.ttl', 'turtle-syntax-bad-struct-02.ttl'];
const TARGET = BAD_FILES[0]!;
const GROWTH_SERVICE = 'mini';

/** A small service in two releases: one file modified, one added, one removed. */
function writeGrowthService(base: string): string[] {
  const ttl = (labels: string[]): string => [
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .', '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    ...labels.map((label, i) => `<http://example.org/mini#T${i}> a owl:Class ; rdfs:label "${label}" .`), '',
  ].join('\n');
  const v1 = path.join(base, 'mini-1');
  const v2 = path.join(base, 'mini-2');
  for (const dir of [v1, v2]) mkdirSync(path.join(dir, 'sub'), { recursive: true });
  writeFileSync(path.join(v1, 'mini.ttl'), ttl(['Alpha', 'Beta']));
  writeFileSync(path.join(v1, 'sub', 'old.csv'), 'id,label\nA,Alpha\n');
  writeFileSync(path.join(v2, 'mini.ttl'), ttl(['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon']));
  writeFileSync(path.join(v2, 'sub', 'new.csv'), `id,label\n${'X,Long row\n'.repeat(400)}`);
  return [v1, v2];
}

describe.skipIf(!hasChromium)('reading and finding, end to end over ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let served: ServedPage | undefined;
  let page: Page;
  const cli: Record<string, Buffer> = {};
  let growth: GrowthReport;
  let cadence: CadenceReport;
  let hotspots: HotspotRow[];
  let health: ValidationHealthRow[];

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-reading-e2e');
    const root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    const [v1, v2] = writeGrowthService(path.join(temp.root, 'sources'));
    for (const [dir, version] of [[v1!, '1.0'], [v2!, '2.0']] as const) {
      const run = runOntocat(['ingest', dir, '--service', GROWTH_SERVICE, '--version', version, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    const source = path.join(temp.root, 'w3c');
    mkdirSync(source, { recursive: true });
    for (const name of BAD_FILES) copyFileSync(path.join(W3C_TURTLE, name), path.join(source, name));
    const ingest = runOntocat(['ingest', source, '--service', 'w3c', '--version', '1', '--json'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    // The CLI's exports and reports, made before the web host owns the catalog.
    const out = (name: string): string => path.join(temp.root, name);
    for (const [name, args] of [
      ['growth.csv', ['report', 'growth', GROWTH_SERVICE, '--format', 'csv', '--out', out('growth.csv')]],
      ['growth.json', ['report', 'growth', GROWTH_SERVICE, '--format', 'json', '--rows', '--out', out('growth.json')]],
      ['cadence.csv', ['report', 'cadence', '--format', 'csv', '--out', out('cadence.csv')]],
    ] as const) {
      const run = runOntocat(args, { root });
      expect(run.code, run.stderr).toBe(0);
      cli[name] = readFileSync(out(name));
    }
    growth = runOntocat(['report', 'growth', GROWTH_SERVICE, '--json'], { root }).json();
    cadence = runOntocat(['report', 'cadence', '--json'], { root }).json();
    hotspots = runOntocat(['report', 'hotspots', '--json'], { root }).json();
    health = runOntocat(['report', 'validation', '--json'], { root }).json();
    served = await openServedPage(root, { viewport: { width: 1280, height: 860 }, acceptDownloads: true });
    ({ page } = served);
  }, 240_000);

  afterAll(async () => {
    await served?.close();
    temp?.cleanup();
  });

  const checkPage = (name: string): Promise<void> => served!.checkPage(name);


  /** Presses Tab until the focused element matches, as a keyboard user would; fails after `max` presses. */
  async function tabTo(describe: string, matches: () => Promise<boolean>, max = 150): Promise<void> {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      if (await matches()) return;
    }
    throw new Error(`Tab never reached ${describe}`);
  }

  const focused = (selector: string, text?: string): Promise<boolean> => page.evaluate(([sel, want]) => {
    const el = document.activeElement;
    return !!el && el.matches(sel!) && (want === undefined || (el.textContent ?? '').trim() === want || (el.getAttribute('aria-label') ?? '').startsWith(want));
  }, [selector, text] as const);

  it('finds a failure and reads its line with the keyboard only; the lines are the W3C file\'s', async () => {
    await page.goto(served!.serve.url);
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    await tabTo('the w3c/1 version link', () => focused('a[href$="/versions/w3c/1"]'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /w3c\s*\/\s*1/ }).waitFor();
    await tabTo('the Validation link', () => focused('a[href$="/validation/w3c/1"]'));
    await page.keyboard.press('Enter');
    const failures = page.getByRole('table', { name: 'Validation findings' });
    await failures.getByRole('row').nth(1).waitFor();
    await tabTo('the first finding', () => focused('table[aria-label="Validation findings"] tbody tr'));
    for (let i = 0; i < 20 && !(await focused('tr', TARGET)); i += 1) await page.keyboard.press('ArrowDown');
    expect(await focused('tr', TARGET)).toBe(true);
    const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    const line = Number(/at line (\d+)/.exec(label)?.[1]);
    expect(line).toBeGreaterThan(1);
    await page.keyboard.press('Enter');

    const panel = page.getByRole('complementary', { name: TARGET });
    await panel.waitFor();
    // Focus moved into the panel, so a screen reader hears which finding opened.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    const lines = panel.getByRole('list', { name: new RegExp(`^Lines \\d+ to \\d+ of ${TARGET}`) });
    await lines.waitFor({ timeout: 20_000 });
    const shown = await lines.locator('li').evaluateAll((items) => items.map((li) => ({
      number: Number(li.querySelector('.line-no')?.textContent), text: li.querySelector('code')?.textContent ?? '', failing: li.classList.contains('failing'),
    })));
    // Outside truth: the W3C file's own lines around the reported one.
    const fileLines = readFileSync(path.join(W3C_TURTLE, TARGET), 'utf8').split('\n');
    const first = Math.max(1, line - 3);
    const last = Math.min(fileLines.length - (fileLines.at(-1) === '' ? 1 : 0), line + 3);
    expect(shown).toEqual(Array.from({ length: last - first + 1 }, (_, i) => ({
      number: first + i, text: fileLines[first + i - 1], failing: first + i === line,
    })));
    await checkPage('reading-01-validation-line-context');

    // "Download file" saves the stored bytes, named as the file.
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download file' }).click()]);
    expect(download.suggestedFilename()).toBe(TARGET);
    expect(readFileSync((await download.path())!)).toEqual(readFileSync(path.join(W3C_TURTLE, TARGET)));

    // Esc closes the panel.
    await panel.getByRole('button', { name: 'Close finding' }).focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    // …and focus is back on the finding's row.
    await expect.poll(() => focused('tr', TARGET)).toBe(true);
  }, 180_000);

  it('keeps the validation table inside a 1280 px window', async () => {
    await page.goto(`${served!.serve.url}#/validation/w3c/1`);
    await page.getByRole('table', { name: 'Validation findings' }).getByRole('row').nth(1).waitFor();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.view);
    // The path column shows whole file names, with the full path on hover.
    const cell = page.getByRole('table', { name: 'Validation findings' }).locator('td.path .mid-path').first();
    expect(await cell.getAttribute('title')).toMatch(/\.ttl$/);
    expect((await cell.boundingBox())!.width).toBeGreaterThan(120);
  }, 60_000);

  it('exports from the UI byte for byte what the CLI exports', async () => {
    await page.goto(`${served!.serve.url}#/reports`);
    const growthSection = page.getByRole('region', { name: 'Growth' });
    await growthSection.getByLabel('Service').selectOption(GROWTH_SERVICE);
    const save = async (button: string): Promise<Buffer> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
      return readFileSync((await download.path())!);
    };
    expect((await save('Export CSV of growth')).equals(cli['growth.csv']!)).toBe(true);
    expect((await save('Export JSON of growth')).equals(cli['growth.json']!)).toBe(true);
    expect((await save('Export CSV of cadence')).equals(cli['cadence.csv']!)).toBe(true);
    // The JSON export holds every row of the table the CLI reports.
    expect((JSON.parse(cli['growth.json']!.toString()) as unknown[]).length).toBe(growth.rows.length);
  }, 120_000);

  it('shows the reports with the numbers of `ontocat report --json`', async () => {
    await page.goto(`${served!.serve.url}#/reports`);
    const growthSection = page.getByRole('region', { name: 'Growth' });
    await growthSection.getByLabel('Service').selectOption(GROWTH_SERVICE);
    const summary = growthSection.getByLabel('Growth summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(`${growth.from} → ${growth.to}`);
    const growthTable = growthSection.getByRole('table', { name: 'Growth by format' });
    expect(await growthTable.locator('tbody tr').count()).toBe(growth.rows.length);
    // Formats are named as the Delta page names them (N-Quads, not nquads).
    expect(await growthTable.locator('tbody tr td:nth-child(1)').allTextContents()).toEqual(growth.rows.map((r) => FORMAT_LABELS[r.format as FileFormat] ?? r.format));
    const releases = page.getByRole('table', { name: 'Releases in order' });
    await releases.waitFor();
    expect(await releases.locator('tbody tr').count()).toBe(cadence.rows.length);
    // Under "Released", a release day or, where only the ingest date is known, that said in words.
    expect(await releases.locator('tbody tr td:nth-child(3)').allTextContents()).toEqual(cadence.rows.map((r) => (r.release_date_source === 'ingest'
      ? expect.stringMatching(/^not known \(ingested \d{4}-\d{2}-\d{2}\)$/) : r.release_date!.slice(0, 10))));
    const byService = page.getByRole('table', { name: 'Cadence by service' });
    for (const s of cadence.services) {
      const row = byService.locator('tbody tr').filter({ hasText: s.service }).first();
      expect(await row.locator('td').nth(1).textContent()).toBe(String(s.versions));
      expect(await row.locator('td').nth(2).textContent()).toBe(s.mean_days === null ? '—' : String(s.mean_days));
    }
    expect(await page.getByRole('table', { name: 'Hotspots' }).locator('tbody tr').count()).toBe(hotspots.length);
    const healthTable = page.getByRole('table', { name: 'Validation health' });
    expect(await healthTable.locator('tbody tr').count()).toBe(health.length);
    const errors = (await healthTable.locator('tbody tr td:nth-child(6)').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
    // Every ERROR, the syntax failures of unparsable files included, as the Catalog page counts them.
    expect(health.some((r) => r.files_unparsable > 0)).toBe(true);
    expect(errors).toEqual(health.map((r) => r.errors + r.files_unparsable));
    await checkPage('reading-02-reports');
  }, 120_000);

  it('reads events as sentences, with no term-delta noise', async () => {
    await page.goto(`${served!.serve.url}#/events`);
    const events = page.getByRole('table', { name: 'Events' });
    const ingested = events.getByRole('row', { name: /^Ingested w3c\/1 from .*: 3 files/ });
    await ingested.first().waitFor();
    expect(await events.textContent()).not.toMatch(/[{}]|"service"/);
    expect(await events.getByText('terms.compared').count()).toBe(0);
    // Long sentences wrap inside the window: the table is no wider than the page gives it.
    expect(await events.evaluate((table) => table.getBoundingClientRect().right - table.ownerDocument.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    const whiteSpace = (column: number): Promise<string> => events.locator(`tbody tr td:nth-child(${column})`).first().evaluate((cell) => getComputedStyle(cell).whiteSpace);
    expect(await whiteSpace(5)).toBe('normal');
    expect(await whiteSpace(3)).toBe('nowrap');
    await checkPage('reading-03-events');
  }, 60_000);
});
