/**
 * End to end, the term index's coverage on the Terms page: the real renderer in Debian's
 * Chromium against `ontocat serve`, over DCAT 2020 and 2021 from @zazuko/rdf-vocabularies
 * whose contents look indexed before migration 0023 (one definition per term).
 *
 * The page says how many contents are under older rules, and its button re-reads them as
 * a job; afterwards the Delta page's redefinitions are the ones a line scan of the two
 * files finds, and no warning is left.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../electron/catalog/open-catalog.js';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/browser.js';
import { ingestEdamReleases } from '../helpers/edam-releases.js';
import { scanRedefinitions } from '../helpers/nquads-scan.js';
import { readCsv } from '../helpers/csv-read.js';
import { projectRoot, runOntocat } from '../helpers/run-cli.js';
import { openServedPage, type ServedPage } from '../helpers/served-page.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[term-index.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

const dcat = (year: string): string => path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'dcat.nq');

describe.skipIf(!hasChromium)('the term index on the Terms page, end to end over ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let served: ServedPage | undefined;
  let page: Page;
  let root: string;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-term-index-e2e');
    root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    for (const year of ['2020', '2021']) {
      const dir = path.join(temp.root, 'sources', year);
      mkdirSync(dir, { recursive: true });
      copyFileSync(dcat(year), path.join(dir, 'dcat.nq'));
      const run = runOntocat(['ingest', dir, '--service', 'dcat', '--version', year, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    // As a catalog indexed before migration 0023 holds them: other rows, rules 1.
    const catalog = await openCatalog({ root });
    await catalog.write(async (tx) => {
      await tx.run('UPDATE file_terms SET label = labels[len(labels)], definition_md5 = NULL, state_hash = 0, history_hash = 0');
      await tx.run('UPDATE term_index_contents SET rules = 1');
    });
    await catalog.close();
    // The upgrade says so where it is made.
    const migrate = runOntocat(['migrate'], { root });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('2 file contents of the term index were indexed under older rules');
    served = await openServedPage(root, { viewport: { width: 1280, height: 900 } });
    ({ page } = served);
  }, 240_000);

  afterAll(async () => {
    await served?.close();
    temp?.cleanup();
  });

  it('names the contents under older rules, re-reads them as a job, and the delta then says what a line scan says', async () => {
    await served!.open('/terms');
    const panel = page.getByRole('region', { name: 'Term index' });
    await panel.getByText(/2 file contents were indexed under older rules/).waitFor();
    await served!.checkPage('terms-index-outdated');
    // The Delta page warns while they are outdated.
    await served!.open('/delta?from=dcat%2F2020&to=dcat%2F2021');
    await page.getByText(/files? of these versions (was|were) indexed under older rules/).waitFor();

    await served!.open('/terms');
    await panel.getByRole('button', { name: 'Index 2 file contents now' }).click();
    await page.getByText('Indexed 2 of 2 file contents.').waitFor();
    // The status is read again after the job: the warning and the button go.
    await panel.getByText(/under older rules/).waitFor({ state: 'detached' });
    await panel.getByRole('button').waitFor({ state: 'detached' });
    await panel.getByText(/terms from 2 ontology file contents/).waitFor();

    const expected = scanRedefinitions(dcat('2020'), dcat('2021'));
    expect(expected.length).toBeGreaterThan(30);
    await served!.open('/delta?from=dcat%2F2020&to=dcat%2F2021');
    const section = page.getByRole('region', { name: 'Term changes in all files' });
    const redefined = section.getByRole('group', { name: 'Redefined' });
    await redefined.getByText(String(expected.length)).waitFor();
    expect(await page.getByText(/indexed under older rules/).count()).toBe(0);
    // A definition added in one language reads as added, not as a rewording.
    await section.getByRole('tab', { name: /^Redefined / }).click();
    const bbox = section.getByRole('row').filter({ hasText: 'dcat:bbox' });
    const row = expected.find((r) => r.id === 'dcat:bbox')!;
    expect(row.gone).toBeNull();
    expect(await bbox.textContent()).toContain(`added “${row.added}”`);
    expect(served!.problems).toEqual([]);
  }, 240_000);

  it('exports the hits of a search as CSV, one row a hit (what was searched, as the CLI exports it)', async () => {
    await served!.open('/terms?q=dcat%3A&match=prefix');
    const count = Number((await page.getByText(/^\d[\d,]* terms?\b/).first().textContent())!.match(/^[\d,]+/)![0].replaceAll(',', ''));
    expect(count).toBeGreaterThan(30);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV of matching terms' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    expect(csv.length - 1).toBe(count);
    expect(csv.slice(1).every((line) => line.startsWith('dcat:'))).toBe(true);
  }, 120_000);

  it('a hit found by a label it does not show says which label matched', async () => {
    // dcat:CatalogRecord is shown by its English label; 2021 added the Danish one.
    await served!.open('/terms?q=Katalogpost&match=exact');
    // Waits for this search's row: the page before showed dcat:CatalogRecord too.
    const row = page.getByRole('row').filter({ hasText: 'label “Katalogpost”' });
    await row.waitFor();
    expect(await row.textContent()).toContain('dcat:CatalogRecord');
    expect(await row.textContent()).toContain('Catalog Record');
    expect(await page.getByRole('row').count()).toBe(2);
    expect(served!.problems).toEqual([]);
  }, 120_000);

  it("finds an OBO relation by the id its file writes, and its page says so (ROBOT's example.obo)", async () => {
    const dir = path.join(temp.root, 'sources', 'robot');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(projectRoot, 'test', 'fixtures', 'robot', 'example.obo'), path.join(dir, 'example.obo'));
    // Through the running serve, which owns the catalog.
    const run = runOntocat(['ingest', dir, '--service', 'uberon-example', '--version', '1', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    await served!.open('/terms?q=part_of&match=exact');
    const hit = page.getByRole('row').filter({ hasText: 'BFO:0000050' });
    await hit.waitFor();
    expect(await hit.textContent()).toContain('id');
    await hit.getByRole('link', { name: 'BFO:0000050' }).click();
    const card = page.getByRole('region', { name: 'BFO:0000050 in uberon-example' });
    await card.getByText('Also written').waitFor();
    expect(await card.locator('dd').first().textContent()).toBe('part_of');
    expect(served!.problems).toEqual([]);
  }, 120_000);

  it('lists the contents that do not parse (W3C negative syntax tests), a page at a time, each linking to its file', async () => {
    const dir = path.join(temp.root, 'sources', 'w3c-bad');
    mkdirSync(dir, { recursive: true });
    const w3c = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11');
    copyFileSync(path.join(w3c, 'rdf-turtle', 'turtle-syntax-bad-prefix-01.ttl'), path.join(dir, 'bad.ttl'));
    copyFileSync(path.join(w3c, 'rdf-n-triples', 'nt-syntax-bad-bnode-01.nt'), path.join(dir, 'bad.nt'));
    const run = runOntocat(['ingest', dir, '--service', 'w3c-bad', '--version', '1', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    await served!.open('/terms');
    const panel = page.getByRole('region', { name: 'Term index' });
    await panel.getByText(/2 ontology file contents do not parse/).waitFor();
    // Nothing is left to index: no button offers to parse them again.
    expect(await panel.getByRole('button', { name: /^Index / }).count()).toBe(0);
    await panel.getByRole('button', { name: 'Show them' }).click();
    const table = panel.getByRole('table', { name: 'Ontology file contents that do not parse' });
    const link = table.getByRole('link', { name: 'w3c-bad/1/bad.nt' });
    await link.waitFor();
    expect(await table.getByRole('row').count()).toBe(3);
    await panel.getByText('1–2 of 2').waitFor();
    await served!.checkPage('terms-unparsable');
    await link.click();
    await page.waitForURL(/\/versions\/w3c-bad\/1\?path=bad\.nt/);
    expect(served!.problems).toEqual([]);
  }, 120_000);

  it("names a change of kind on the Delta page and on the term's timeline (VoID 2020 → 2021, @zazuko/rdf-vocabularies)", async () => {
    for (const year of ['2020', '2021']) {
      const dir = path.join(temp.root, 'sources', `void-${year}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'void.nq'), path.join(dir, 'void.nq'));
      const run = runOntocat(['ingest', dir, '--service', 'void', '--version', year, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    await served!.open('/delta?from=void%2F2020&to=void%2F2021');
    const section = page.getByRole('region', { name: 'Term changes in all files' });
    await section.getByRole('group', { name: 'Kind changed' }).getByText('14').waitFor();
    await section.getByRole('tab', { name: /^Kind changed / }).click();
    const row = section.getByRole('row').filter({ hasText: 'void:dataDump' });
    await row.waitFor();
    expect(await row.textContent()).toContain('property → object_property');
    // The file's own term delta (parsed from the two files) names the same 14.
    await page.getByRole('table', { name: 'Changed files' }).getByRole('row', { name: 'modified void.nq' }).click();
    const file = page.getByRole('region', { name: 'Term changes in void.nq' });
    await file.getByRole('tab', { name: 'kind changed 14' }).click();
    const fileRow = file.getByRole('table', { name: 'Term changes in void.nq' }).getByRole('row', { name: 'RETYPED http://rdfs.org/ns/void#dataDump' });
    await fileRow.waitFor({ timeout: 20_000 });
    expect(await fileRow.textContent()).toContain('property → object_property');
    await served!.checkPage('terms-file-kind-changes');
    await row.getByRole('link', { name: 'void:dataDump' }).click();
    const timeline = page.getByRole('list').filter({ hasText: 'kind changed in' });
    await timeline.waitFor();
    expect(await timeline.textContent()).toContain('kind changed in 2020 → 2021 “property” → “object_property”');
    // The history's export: a row per release, its kind there and the change 2021 shows.
    const [download] = await Promise.all([page.waitForEvent('download'),
      page.getByRole('button', { name: /^Export CSV of the history of void:dataDump in void$/ }).click()]);
    const rows = readCsv(readFileSync((await download.path())!, 'utf8'));
    expect(rows.map((r) => [r.version, r.kind, JSON.parse(r.changes!) as string[]])).toEqual([['2020', 'property', ['FIRST_SEEN']], ['2021', 'object_property', ['RETYPED']]]);
    expect(served!.problems).toEqual([]);
  }, 120_000);

  it('"In latest only" finds a term by the name its latest release gives it, not one an older release gave (EDAM 1.1 → 1.2)', async () => {
    const scans = ingestEdamReleases(temp.root, root, ['1.1', '1.2']);
    expect(runOntocat(['latest', 'set', 'edam', '1.2'], { root }).code).toBe(0);
    expect([scans.get('1.1')!.get('EDAM_format:1963')!.name, scans.get('1.2')!.get('EDAM_format:1963')!.name]).toEqual(['Swiss-Prot format', 'UniProtKB format']);
    // Any release: found by its 1.1 name, shown by its 1.2 one.
    await served!.open('/terms?q=Swiss-Prot%20format&match=exact&service=edam');
    const row = page.getByRole('row').filter({ hasText: 'label “Swiss-Prot format”' });
    await row.waitFor();
    expect(await row.textContent()).toContain('UniProtKB format');
    // The page's own filter: no term of 1.2 is named so.
    await page.getByRole('checkbox', { name: 'In latest only' }).click();
    await page.waitForURL(/latest=1/);
    await page.getByText('No term matches').waitFor();
    await served!.open('/terms?q=UniProtKB%20format&match=exact&service=edam&latest=1');
    await page.getByRole('row').filter({ hasText: 'EDAM_format:1963' }).waitFor();
    // A common word: the count, the pages and the export are the terms 1.2 names so.
    const named = [...scans.get('1.2')!.values()].filter((term) => term.name?.toLowerCase().includes('protein')).map((term) => term.id).sort();
    await served!.open('/terms?q=protein&match=contains&service=edam&latest=1');
    await page.getByText(`${named.length.toLocaleString('en-US')} terms`, { exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV of matching terms' }).click()]);
    const exported = readCsv(readFileSync((await download.path())!, 'utf8'));
    expect(exported.map((r) => r.ident).sort()).toEqual(named);
    expect(served!.problems).toEqual([]);
  }, 180_000);
});
