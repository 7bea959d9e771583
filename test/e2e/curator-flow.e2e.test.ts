/**
 * End to end, the last points of the curator's day (issues 13 and 16): the real renderer in
 * Debian's Chromium against one `ontocat serve` over real EDAM releases (1.1 and 1.2,
 * vendored) laid out under long folder names, plus W3C negative-syntax Turtle tests.
 *
 * - A data file deleted by hand shows as missing in the version tree and the file details
 *   at once, before any doctor run, with what fixes it.
 * - At 1280 x 800 no table on Doctor, Prune, Trash, Validation (finding panel open) or the
 *   version page (file panel open) scrolls sideways: each table's container has
 *   scrollWidth <= clientWidth, and the page itself does not scroll sideways.
 * - The CLI runs through the live web host (same output, one stderr line) and the open tab
 *   shows its change.
 * - The Terms page: search, open a term, its history timeline and chart, and the link from
 *   a version delta's term change to that term's history; the term's labels are checked
 *   against a plain line scan of the release files, and a term's synonyms and file (the
 *   long list folded), and a deprecated term's lineage to the live terms, against the same
 *   scan. Axe in light and dark; screenshots.
 * - The Delta page's term changes over all files of two versions: counts against the line
 *   scan, the kind filter and search by keyboard, the CSV export of every row, and the
 *   link to a term's history.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/browser.js';
import { scanLines, scannedTermDelta } from '../helpers/obo-line-scan.js';
import { scanStanzas } from '../helpers/obo-stanza-scan.js';
import { projectRoot, runOntocat } from '../helpers/run-cli.js';
import { sidewaysScroll } from '../helpers/sideways-scroll.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { openServedPage, type ServedPage } from '../helpers/served-page.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[curator-flow.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

const EDAM = path.join(projectRoot, 'test', 'fixtures', 'edam');
const W3C_TURTLE = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', 'rdf-turtle');
/** Long folder and file names, as real releases have, to stress the tables' widths. */
const DEEP = 'ontology-releases/stable-distribution-with-a-rather-long-folder-name/bioinformatics-operations-and-data-formats';
const BAD_TTL = ['turtle-syntax-bad-number-dot-in-anon.ttl', 'turtle-syntax-bad-n3-extras-03.ttl', 'turtle-syntax-bad-struct-02.ttl', 'turtle-syntax-bad-LITERAL2_with_langtag_and_datatype.ttl'];
const LOST = `${DEEP}/notes/readme-for-curators-of-this-release.txt`;
const STRAY = `${DEEP}/a-stray-file-with-a-very-long-name-that-nobody-catalogued-for-this-release.txt`;

/** The first id whose name the line scan sees change from 1.1 to 1.2. */
function relabelledTerm(): { id: string; before: string; after: string } {
  const a = scanLines(path.join(EDAM, 'EDAM_1.1.obo'));
  const b = scanLines(path.join(EDAM, 'EDAM_1.2.obo'));
  const id = [...b.names.keys()].sort().find((key) => a.names.has(key) && a.names.get(key) !== b.names.get(key) && a.lines.get(key)!.length === 1);
  if (!id) throw new Error('The scan found no relabelled term in EDAM 1.1 → 1.2.');
  return { id, before: a.names.get(id)!, after: b.names.get(id)! };
}

/** The line scan's term changes of EDAM 1.1 → 1.2 (added, removed, relabelled, newly obsolete). */
const scannedDelta = (): ReturnType<typeof scannedTermDelta> => scannedTermDelta(path.join(EDAM, 'EDAM_1.1.obo'), path.join(EDAM, 'EDAM_1.2.obo'));

describe.skipIf(!hasChromium)('the curator flow, end to end over ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let served: ServedPage | undefined;
  let page: Page;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-curator-flow-e2e');
    root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    for (const version of ['1.1', '1.2']) {
      const dir = path.join(temp.root, 'src', `edam-${version}`);
      mkdirSync(path.join(dir, DEEP, 'notes'), { recursive: true });
      copyFileSync(path.join(EDAM, `EDAM_${version}.obo`), path.join(dir, DEEP, 'EDAM.obo'));
      for (const name of BAD_TTL) copyFileSync(path.join(W3C_TURTLE, name), path.join(dir, DEEP, name));
      writeFileSync(path.join(dir, LOST), `Read me (${version}).\n`);
      const run = runOntocat(['ingest', dir, '--service', 'edam', '--version', version, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    expect(runOntocat(['latest', 'set', 'edam', '1.2'], { root }).code).toBe(0);
    // Something in the trash: a small service's older release, pruned.
    for (const version of ['1.0', '2.0']) {
      const dir = path.join(temp.root, 'src', `mini-${version}`);
      mkdirSync(path.join(dir, DEEP), { recursive: true });
      writeFileSync(path.join(dir, DEEP, 'mini-vocabulary-with-a-long-descriptive-file-name.ttl'), `<http://example.org/m> <http://example.org/v> "${version}" .\n`);
      expect(runOntocat(['ingest', dir, '--service', 'mini', '--version', version, '--json'], { root }).code).toBe(0);
    }
    expect(runOntocat(['latest', 'set', 'mini', '2.0'], { root }).code).toBe(0);
    const prune = runOntocat(['prune', '--keep-last', '1', '--service', 'mini', '--json'], { root });
    expect(prune.code, prune.stderr).toBe(0);
    expect(runOntocat(['prune', '--apply', prune.json<{ plan_id: string }>().plan_id], { root }).code).toBe(0);

    served = await openServedPage(root, { viewport: { width: 1280, height: 800 } });
    ({ page } = served);
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp?.cleanup();
  });

  const open = (route: string): Promise<void> => served!.open(route);
  const checkPage = (name: string): Promise<void> => served!.checkPage(name);

  it('shows a file deleted by hand as missing in the tree and file details, before any doctor run', async () => {
    rmSync(path.join(root, 'edam', '1.2', 'data', ...LOST.split('/')));
    await open(`/versions/edam/1.2?path=${encodeURIComponent(LOST)}`);
    const tree = page.getByRole('tree', { name: 'Files of edam/1.2' });
    const row = tree.getByRole('treeitem', { name: 'readme-for-curators-of-this-release.txt, missing' });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.locator('.badge-bad').textContent()).toBe('missing');
    const details = page.getByRole('complementary', { name: 'readme-for-curators-of-this-release.txt' });
    const state = details.getByRole('note', { name: 'File state' });
    await state.waitFor({ timeout: 20_000 });
    expect(await state.textContent()).toMatch(/^missing Missing file — .*Run Doctor to restore it from the content store\..*no Doctor run has recorded it yet/);
    // A healthy file of the same folder has no mark.
    expect(await tree.getByRole('treeitem', { name: 'EDAM.obo', exact: true }).count()).toBe(1);
    expect(await sidewaysScroll(page)).toEqual([]);
    await checkPage('flow-01-tree-missing-file');
  }, 120_000);

  it('keeps every table of Validation (finding panel open), Doctor, Prune and Trash inside 1280 x 800', async () => {
    await open('/validation/edam/1.2');
    const findings = page.getByRole('table', { name: 'Validation findings' });
    await findings.getByRole('row').nth(1).waitFor({ timeout: 20_000 });
    await findings.getByRole('row').nth(1).click();
    await page.locator('aside.finding-panel').waitFor();
    await page.getByRole('list', { name: /^Lines \d+ to \d+ of / }).waitFor({ timeout: 20_000 });
    expect.soft(await sidewaysScroll(page)).toEqual([]);
    await checkPage('flow-02-validation-panel-1280');

    writeFileSync(path.join(root, 'edam', '1.2', 'data', ...STRAY.split('/')), 'stray\n');
    rmSync(path.join(root, 'edam', '1.2', 'data', ...LOST.split('/')), { force: true });
    await open('/doctor');
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await page.getByRole('table', { name: 'Stray files findings' }).waitFor({ timeout: 30_000 });
    await page.getByRole('table', { name: 'Missing files findings' }).waitFor();
    expect.soft(await sidewaysScroll(page)).toEqual([]);
    await checkPage('flow-03-doctor-1280');

    await open('/prune');
    await page.getByLabel('Keep the last N versions').fill('1');
    await page.getByLabel('Service').selectOption('edam');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('table', { name: 'Files to remove' }).waitFor({ timeout: 30_000 });
    expect.soft(await sidewaysScroll(page)).toEqual([]);
    await checkPage('flow-04-prune-1280');

    await open('/trash');
    const trash = page.getByRole('table', { name: 'Trash' });
    await trash.getByRole('row').nth(1).waitFor({ timeout: 20_000 });
    const details = page.getByRole('button', { name: /^Show files of prune-/ });
    if (await details.count()) await details.first().click();
    expect.soft(await sidewaysScroll(page)).toEqual([]);
    await checkPage('flow-05-trash-1280');
  }, 240_000);

  it('searches terms, opens one, reads its history and chart, and reaches it from a version delta', async () => {
    const term = relabelledTerm();
    await open('/terms');
    await page.getByLabel('Id, IRI, CURIE or label').fill(term.after);
    await page.getByLabel('Match').selectOption('exact');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByRole('table', { name: 'Matching terms' });
    const hit = results.getByRole('link', { name: term.id, exact: true });
    await hit.waitFor({ timeout: 20_000 });
    expect(await results.getByRole('row', { name: new RegExp(`^${term.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `) }).textContent()).toContain('1.2');
    expect(await sidewaysScroll(page)).toEqual([]);
    await checkPage('terms-01-search');

    await hit.click();
    await page.getByRole('heading', { level: 1, name: `Term ${term.id}` }).waitFor();
    const card = page.getByRole('region', { name: new RegExp(` in edam$`) });
    await card.waitFor({ timeout: 20_000 });
    // Outside truth: the label each release file gives the term, by a plain line scan.
    expect(await card.locator('dl').textContent()).toContain(term.after);
    const relabel = card.getByRole('listitem').filter({ hasText: /^relabelled in 1\.1 → 1\.2/ });
    expect(await relabel.textContent()).toContain(`“${term.before}” → “${term.after}”`);
    expect(await card.getByRole('img', { name: /^Label changes in 1 and definition changes in \d+ of 2 releases$/ }).count()).toBe(1);
    await checkPage('terms-02-history');

    // From the timeline to the version delta, then from the delta's term change back to the history.
    await relabel.getByRole('link', { name: '1.1 → 1.2' }).click();
    const changed = page.getByRole('table', { name: 'Changed files' });
    await changed.getByRole('row', { name: `modified ${DEEP}/EDAM.obo` }).click();
    const region = page.getByRole('region', { name: `Term changes in ${DEEP}/EDAM.obo` });
    await region.getByRole('tab', { name: /^relabelled / }).click();
    // EDAM 1.1 → 1.2 relabels fewer terms than a page holds, so the term is on the first page.
    const termLink = region.getByRole('table', { name: `Term changes in ${DEEP}/EDAM.obo` }).getByRole('link', { name: term.id, exact: true });
    await termLink.waitFor({ timeout: 30_000 });
    expect(await sidewaysScroll(page)).toEqual([]);
    await checkPage('terms-03-delta-term-link');
    await termLink.click();
    await page.getByRole('heading', { level: 1, name: `Term ${term.id}` }).waitFor();
    await page.getByRole('region', { name: / in edam$/ }).waitFor({ timeout: 20_000 });
  }, 240_000);

  it("shows a term's synonyms and file as the release file has them, the long list folded", async () => {
    // Outside truth: a plain line scan of EDAM 1.2; the term with the most synonyms.
    const scan = [...scanStanzas(path.join(EDAM, 'EDAM_1.2.obo')).values()].filter((t) => t.name !== null);
    const term = scan.reduce((most, t) => (new Set(t.synonyms).size > new Set(most.synonyms).size ? t : most));
    const synonyms = [...new Set(term.synonyms)];
    expect(synonyms.length).toBeGreaterThan(8);
    await open(`/terms?term=${encodeURIComponent(term.id)}&service=edam`);
    // Named by the term: the card of the term opened before may still be on screen.
    const card = page.getByRole('region', { name: `${term.id} in edam`, exact: true });
    await card.waitFor({ timeout: 20_000 });
    const field = (name: string) => card.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
    expect(await field('Label').textContent()).toBe(term.name);
    const shown = field('Synonyms').locator('li');
    expect((await shown.allTextContents()).sort()).toEqual([...synonyms].sort());
    // The first eight show; the rest wait behind "N more".
    const more = field('Synonyms').getByText(`${synonyms.length - 8} more`);
    expect(await shown.nth(8).isVisible()).toBe(false);
    await more.click();
    expect(await shown.nth(8).isVisible()).toBe(true);
    expect(await field('File').textContent()).toBe(`${DEEP}/EDAM.obo`);
    expect(await sidewaysScroll(page)).toEqual([]);
    await checkPage('terms-04-synonyms');
  }, 120_000);

  it('follows a deprecated term to the live terms that replace it, as the release files say', async () => {
    // Outside truth: the line scans of both releases; a term's state is its newest release's.
    const scans = ['1.2', '1.1'].map((version) => scanStanzas(path.join(EDAM, `EDAM_${version}.obo`)));
    const state = (id: string) => scans.map((scan) => scan.get(id)).find(Boolean);
    const start = [...scans[0]!.values()].find((t) => t.obsolete && t.replacedBy.length > 0)!;
    const reached = new Set([start.id]);
    const live = new Set<string>();
    for (let frontier = [start.id]; frontier.length > 0;) {
      const next: string[] = [];
      for (const id of frontier) {
        const t = state(id);
        if (!t) continue;
        if (!t.obsolete) { live.add(id); continue; }
        for (const target of [...t.replacedBy, ...t.consider]) if (!reached.has(target)) { reached.add(target); next.push(target); }
      }
      frontier = next;
    }
    expect(live.size).toBeGreaterThan(0);
    await open(`/terms?term=${encodeURIComponent(start.id)}&service=edam`);
    const card = page.getByRole('region', { name: `${start.id} in edam`, exact: true });
    const steps = card.getByRole('list', { name: `Lineage of ${start.id} in edam` });
    await steps.waitFor({ timeout: 20_000 });
    expect(new Set(await steps.getByRole('link').allTextContents())).toEqual(reached);
    expect(await steps.getByRole('listitem').filter({ hasText: `replaced by ${start.replacedBy[0]}` }).count()).toBe(1);
    // The timeline names the replacement as one, not as a bare value.
    const deprecated = card.getByRole('listitem').filter({ hasText: /^deprecated in / });
    expect((await deprecated.textContent())!.endsWith(`replaced by ${start.replacedBy.join(', ')}`)).toBe(true);
    const liveLine = card.locator('p', { hasText: /^Live: / });
    expect(new Set((await liveLine.getByRole('link').allTextContents()).map((text) => text.trim()))).toEqual(live);
    // Its label and definition in 1.1 and 1.2, as the files say: a chart only when one changed.
    const [in12, in11] = scans.map((scan) => scan.get(start.id));
    const changed = !!in11 && !!in12 && (in11.name !== in12.name || in11.def !== in12.def);
    expect(await card.getByText('No label or definition change over the 2 indexed releases.').count()).toBe(changed ? 0 : 1);
    expect(await card.getByRole('img', { name: /^Label changes in / }).count()).toBe(changed ? 1 : 0);
    expect(await sidewaysScroll(page)).toEqual([]);
    await checkPage('terms-05-lineage');
  }, 120_000);

  it('shows the term changes of all files of two versions on the Delta page: counts, a paged table, export, and links to history, by keyboard', async () => {
    const truth = scannedDelta();
    const term = relabelledTerm();
    await open('/delta?from=edam/1.1&to=edam/1.2');
    // A fresh load: the section's filter and search live in the page, not the URL.
    await page.reload();
    const section = page.getByRole('region', { name: 'Term changes in all files' });
    const value = async (label: string): Promise<number> => {
      const card = section.getByRole('group', { name: label, exact: true });
      await card.waitFor({ timeout: 60_000 });
      return Number((await card.locator('.card-value').textContent())!.replace(/\D/g, ''));
    };
    // Outside truth: a plain line scan of the two release files.
    expect({ added: await value('Added'), removed: await value('Removed'), relabelled: await value('Relabelled'), deprecated: await value('Deprecated') }).toEqual(truth);

    // By keyboard: the Relabelled filter, then the search box narrows to one term.
    const tab = section.getByRole('tab', { name: /^Relabelled / });
    await tab.focus();
    await page.keyboard.press('Enter');
    expect(await tab.getAttribute('aria-selected')).toBe('true');
    const table = section.getByRole('table', { name: 'Term changes of the two versions' });
    // The first page of relabelled terms only, from the index.
    await page.waitForFunction((expected) => {
      const rows = [...document.querySelectorAll('table[aria-label="Term changes of the two versions"] tbody tr')];
      return rows.length === expected && rows.every((row) => row.textContent!.startsWith('relabelled'));
    }, Math.min(50, truth.relabelled), { timeout: 30_000 });

    // Export: every relabelled term, not the page on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Export CSV of term changes of the two versions' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv.length - 1).toBe(truth.relabelled);
    expect(csv[0]).toMatch(/^change,ident,/);

    await section.getByLabel('Find a term').focus();
    await page.keyboard.type(term.id);
    const link = table.getByRole('link', { name: `History of ${term.id}` });
    await link.waitFor({ timeout: 30_000 });
    // Narrowed to the terms whose id or label holds the text (ids share digits, so a few may).
    await page.waitForFunction((expected) => {
      const rows = [...document.querySelectorAll('table[aria-label="Term changes of the two versions"] tbody tr')];
      return rows.length > 0 && rows.length < expected && rows.every((row) => row.textContent!.toLowerCase().includes(document.querySelector<HTMLInputElement>('#version-terms-find')!.value.toLowerCase()));
    }, Math.min(50, truth.relabelled), { timeout: 30_000 });
    // The change in words: the label the scan saw go, and the one it saw come.
    const row = await table.getByRole('row').filter({ has: page.getByRole('link', { name: `History of ${term.id}` }) }).textContent();
    expect(row).toContain(`removed “${term.before}”`);
    expect(row).toContain(`added “${term.after}”`);
    expect(await sidewaysScroll(page)).toEqual([]);
    await checkPage('delta-04-version-terms');

    await link.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Term ${term.id}` }).waitFor({ timeout: 20_000 });
    await page.getByRole('region', { name: / in edam$/ }).waitFor({ timeout: 20_000 });
  }, 240_000);

  it('runs the CLI through the live web host, same output, and the open tab shows its change', async () => {
    await open('/');
    const services = page.getByRole('table', { name: 'Services' });
    await services.getByRole('link', { name: 'Open edam/1.2, the latest edam' }).waitFor({ timeout: 20_000 });
    const run = runOntocat(['latest', 'set', 'edam', '1.1'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^ontocat: using the running ontocat-web \(pid \d+\) on this root/m);
    expect(runOntocat(['latest', 'get', 'edam', '--json'], { root }).json<{ version: string }>()).toMatchObject({ version: '1.1' });
    await page.reload();
    await services.getByRole('link', { name: 'Open edam/1.1, the latest edam' }).waitFor({ timeout: 20_000 });
  }, 120_000);
});
