/**
 * End to end in Chromium over `ontocat serve`: add a source of two artifacts on the Sources
 * page, check it now, find the candidate on the Review page, approve it, and see it latest
 * in the Catalog; then reject the next candidate, follow the link to the prune preview,
 * which names the rejection, and prune it. The releases are real EDAM releases served by a
 * local HTTP server. Every page is screenshotted and scanned with axe-core in light and dark.
 *
 * Then a source whose history makes it overdue: three real `@zazuko/rdf-vocabularies`
 * releases (2019, 2020, 2021, a year or so apart by their Last-Modified) synced through the
 * CLI against the running app, and nothing since: the Catalog's note names it overdue and
 * links to the Sources page, which badges it; the never-late source is not named.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../helpers/browser.js';
import { edamRelease, release, ReleaseServer, vocabulariesTarball } from '../helpers/release-server.js';
import { projectRoot, runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, startServe, type RunningServe } from '../helpers/web-host.js';

const SHOTS = path.join(projectRoot, 'test-results', 'screenshots');

describe.skipIf(!chromiumAvailable())('Sources and Review end to end', () => {
  const server = new ReleaseServer();
  let temp: ReturnType<typeof makeTempRoot>;
  let serve: RunningServe | undefined;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const problems: string[] = [];

  beforeAll(async () => {
    await server.start();
    server.current.set('/EDAM.obo', release(edamRelease('EDAM_1.2.obo'), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    server.current.set('/README.md', release(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'edam', 'README.md')), 'Thu, 13 Dec 2012 00:00:00 GMT'));
    temp = makeTempRoot('ontocat-sources-e2e');
    const root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    expect(runOntocat(['init'], { root }).code).toBe(0);
    serve = await startServe(root);
    ({ browser, close: closeBrowser } = await launchChromium());
    mkdirSync(SHOTS, { recursive: true });
  }, 150_000);

  afterAll(async () => {
    await closeBrowser?.();
    await serve?.stop();
    await server.stop();
    temp?.cleanup();
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    await page.locator('.skeleton').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {});
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    expect(await seriousAxeViolations(page), `axe violations on ${name}`).toEqual([]);
    expect(problems, `console or page errors on ${name}`).toEqual([]);
  }

  it('adds a source, checks it now, approves the candidate, and it is latest', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await newPage(context);
    await page.goto(`${serve!.url}#/sources`);
    await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
    await page.getByText('No sources yet').waitFor();

    // Add a source by keyboard and form.
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByLabel('Source id').fill('edam');
    await page.getByLabel('Service').fill('edam');
    await page.getByLabel('URL').fill(`${server.base}/EDAM.obo`);
    // A second artifact: one release is both files.
    await page.getByRole('button', { name: 'Add artifact' }).click();
    await page.getByLabel('Artifact 2 URL').fill(`${server.base}/README.md`);
    await expect.poll(() => page.getByLabel('Artifact 1 URL').inputValue()).toBe(`${server.base}/EDAM.obo`);
    await page.getByLabel('Schedule (cron)').fill('0 3 * * 1');
    // The zone the schedule fires in is the owner's (this test's process runs it), named beside the field.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    await expect.poll(() => page.locator('label[for="src-schedule"]').textContent()).toBe(`Schedule (cron) in ${zone}`);
    await page.getByLabel('Note').press('Enter');
    const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'edam' });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('0 3 * * 1');
    await expect.poll(() => row.textContent()).toContain(`${server.base}/README.md`);
    await check(page, 'sources-01-list');

    // Edit opens the form with both artifacts in order; Pause and Resume change the row.
    await row.getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => page.getByLabel('Artifact 2 URL').inputValue()).toBe(`${server.base}/README.md`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await row.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => row.textContent()).toContain('paused');
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => row.textContent()).not.toContain('paused');

    // Check now: a sync job; the run appears in the history with its manifest.
    await row.getByRole('button', { name: 'Check now' }).click();
    const runs = page.getByRole('table', { name: 'Runs of edam' });
    await runs.getByRole('row').filter({ hasText: 'changed' }).waitFor({ timeout: 120_000 });
    await runs.getByRole('button', { name: 'Show' }).first().click();
    await expect.poll(() => runs.textContent()).toContain('"version": "1.2"');
    await expect.poll(() => runs.textContent()).toContain('"name": "README.md"');
    await expect.poll(() => row.textContent()).toContain('changed');
    await check(page, 'sources-02-checked');

    // The Catalog points at the pending candidate.
    await page.goto(`${serve!.url}#/`);
    await page.getByRole('link', { name: '1 candidate awaiting review' }).click();

    // Review: the candidate, approve, and it is the latest.
    const candidates = page.getByRole('table', { name: 'Candidates' });
    const candidate = candidates.getByRole('row').filter({ hasText: 'edam/1.2' });
    await candidate.waitFor();
    await check(page, 'review-01-pending');
    await candidate.getByRole('button', { name: 'Approve…' }).click();
    // Approving sets latest: the set-latest preview first, and nothing changes until it is confirmed.
    const approving = page.getByRole('dialog', { name: 'Approve edam/1.2 and set it as latest?' });
    await approving.getByLabel('Changes versus the current latest').waitFor();
    await approving.getByRole('button', { name: 'Cancel' }).click();
    expect(runOntocat(['latest', 'get', 'edam', '--json'], { root: path.join(temp.root, 'catalog') }).json<{ version: string } | null>()?.version).not.toBe('1.2');
    await candidate.getByRole('button', { name: 'Approve…' }).click();
    await approving.getByRole('button', { name: 'Approve and set as latest' }).click();
    await page.getByText('Nothing to review').waitFor();
    const latest = runOntocat(['latest', 'get', 'edam', '--json'], { root: path.join(temp.root, 'catalog') });
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.json<{ version: string }>().version).toBe('1.2');
    await page.goto(`${serve!.url}#/`);
    await page.getByRole('table', { name: 'Versions' }).getByRole('row', { name: /1\.2/ }).getByText('latest', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await page.getByLabel('Show').selectOption('approved');
    await candidates.getByRole('row').filter({ hasText: 'approved by' }).waitFor();
    await check(page, 'review-02-approved');

    // The next candidate is an older EDAM: reject it with a reason, then prune it from the preview the Review page links to.
    server.current.set('/EDAM.obo', release(edamRelease('EDAM_1.1.obo'), 'Thu, 05 Jul 2012 18:00:00 GMT'));
    await page.goto(`${serve!.url}#/sources`);
    await row.getByRole('button', { name: 'Check now' }).click();
    await page.getByRole('table', { name: 'Runs of edam' }).getByRole('row').filter({ hasText: '1.1' }).waitFor({ timeout: 120_000 });
    await page.goto(`${serve!.url}#/review`);
    const older = candidates.getByRole('row').filter({ hasText: 'edam/1.1' });
    // Approving it would take latest back a release: the preview says so before anything changes.
    await older.getByRole('button', { name: 'Approve…' }).click();
    const backwards = page.getByRole('dialog', { name: 'Approve edam/1.1 and set it as latest?' });
    await expect.poll(() => backwards.getByRole('alert', { name: 'Older than the current latest' }).textContent()).toContain('1.1 is older than 1.2 by release order');
    await backwards.getByRole('button', { name: 'Cancel' }).click();
    await older.getByRole('button', { name: 'Reject…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reject edam/1.1?' });
    await dialog.getByLabel('Reason (recorded with the decision)').fill('older than 1.2');
    await dialog.getByRole('button', { name: 'Reject', exact: true }).click();
    const said = page.getByRole('status', { name: 'Rejected' });
    await expect.poll(() => said.textContent()).toContain('edam/1.1 is rejected. It stays stored until pruned');
    await check(page, 'review-04-rejected');
    await said.getByRole('link', { name: 'Preview pruning the rejected edam versions' }).click();
    const removals = page.getByRole('table', { name: 'Versions to remove' });
    const victim = removals.getByRole('row').filter({ hasText: 'edam/1.1' });
    await victim.waitFor({ timeout: 60_000 });
    expect(await victim.textContent()).toMatch(/rejected on \d{4}-\d{2}-\d{2} by .+: older than 1\.2/);
    expect(await removals.getByRole('row').count()).toBe(2); // header + edam/1.1: the latest 1.2 stays
    await check(page, 'prune-rejected-preview');
    await page.getByRole('button', { name: /^Prune \d+ files…$/ }).click();
    await page.getByRole('dialog', { name: 'Prune these versions?' }).getByRole('button', { name: 'Move to trash' }).click();
    // The apply's own summary: the rejection's toast ("… stays stored until pruned") is a status too,
    // and matching its text let a loaded run read the catalog before the prune committed.
    await page.getByRole('status').filter({ has: page.getByText('Pruned', { exact: true }) }).waitFor({ timeout: 60_000 });
    const left = runOntocat(['versions', '--service', 'edam', '--json'], { root: path.join(temp.root, 'catalog') });
    expect(left.code, left.stderr).toBe(0);
    expect(JSON.stringify(left.json())).not.toContain('"1.1"');
    await context.close();

    // Dark theme: the same pages pass axe.
    const dark = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme: 'dark' });
    const darkPage = await newPage(dark);
    await darkPage.goto(`${serve!.url}#/sources`);
    await darkPage.getByRole('table', { name: 'Sources' }).waitFor();
    await check(darkPage, 'sources-03-dark');
    await darkPage.goto(`${serve!.url}#/review`);
    await darkPage.getByText('Nothing to review').waitFor();
    await check(darkPage, 'review-03-dark');
    await dark.close();
  }, 300_000);

  it('names an overdue source on the Catalog, from the release history of its service', async () => {
    const root = path.join(temp.root, 'catalog');
    const name = '@zazuko/rdf-vocabularies';
    // Real releases with their real publication days: a cadence of about 409 days, the last in 2021.
    const history: [alias: 'rdf-vocabularies-2019' | 'rdf-vocabularies-2020' | 'rdf-vocabularies-2021', date: string][] = [
      ['rdf-vocabularies-2019', 'Thu, 27 Jun 2019 10:00:00 GMT'],
      ['rdf-vocabularies-2020', 'Wed, 17 Jun 2020 10:00:00 GMT'],
      ['rdf-vocabularies-2021', 'Wed, 22 Sep 2021 10:00:00 GMT'],
    ];
    const file = path.join(temp.root, 'sources.json');
    writeFileSync(file, JSON.stringify({
      schema: 'ontocat.sources/2',
      sources: [{ id: 'vocabs', service: 'vocabs', artifacts: [{ type: 'npm', package: name, registry: `${server.base}/registry` }], note: 'RDF vocabularies' }],
    }));
    const imported = runOntocat(['sources', 'import', file], { root });
    expect(imported.code, imported.stderr).toBe(0);
    const published: { version: string; tarball: ReturnType<typeof release>; published: string }[] = [];
    server.packages.set(name, published);
    const synced: string[] = [];
    for (const [alias, date] of history) {
      const tarball = await vocabulariesTarball(alias);
      published.push({ version: tarball.version, tarball: release(tarball.body, date), published: new Date(date).toISOString() });
      // Not spawnSync: the release server answering the running app lives in this process.
      const run = await runOntocatAsync(['sync', 'vocabs', '--json'], { root });
      expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
      const result = run.json<{ runs: { status: string; version: string | null }[] }>();
      expect(result.runs[0]!.status).toBe('changed');
      synced.push(result.runs[0]!.version!);
    }
    expect(synced).toEqual(['2019.6.27', '2020.6.17', '2021.9.22']);
    // The flag the page shows is the service's, read the same way by the CLI.
    const listed = runOntocat(['sources', 'list', '--json'], { root });
    expect(listed.code, listed.stderr).toBe(0);
    const health = Object.fromEntries(listed.json<{ id: string; health: { overdue: boolean; cadence_days: number | null } }[]>().map((s) => [s.id, s.health]));
    expect(health.vocabs).toMatchObject({ overdue: true, cadence_days: 409 });
    expect(health.edam!.overdue).toBe(false);

    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme });
      const page = await newPage(context);
      await page.goto(`${serve!.url}#/`);
      const note = page.getByRole('status', { name: 'Sources' });
      const overdue = note.getByRole('link', { name: 'Overdue: vocabs' });
      await overdue.waitFor({ timeout: 30_000 });
      // Its three releases wait for review beside it; edam, never late, is not named.
      await note.getByRole('link', { name: '3 candidates awaiting review' }).waitFor();
      expect(await note.textContent()).not.toContain('edam');
      // When it was due, worked by hand: 22 Sep 2021 + 409 days.
      expect(await note.textContent()).toContain('release expected 2022-11-05');
      await check(page, `catalog-overdue-${colorScheme}`);
      // By keyboard: the link is reachable and opens the Sources page, where the row says why.
      await overdue.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Sources', level: 1 }).waitFor();
      const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'vocabs' });
      await row.getByText('overdue', { exact: true }).waitFor();
      expect(await row.textContent()).toContain('every ~409 d');
      expect(await row.textContent()).toContain('was expected 2022-11-05');
      const edamRow = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'EDAM.obo' });
      expect(await edamRow.getByText('overdue', { exact: true }).count()).toBe(0);
      await check(page, `sources-overdue-${colorScheme}`);
      await context.close();
    }
  }, 600_000);
});
