/**
 * End to end, in Debian's Chromium against `ontocat serve` over a catalog built with the
 * real CLI: the axe scan of every page of the app in light and dark, the skip link, the
 * keyboard-only walk "set latest, then undo" (focus trapped in the dialog and given back),
 * Escape and type-ahead in the version tree, and the ingest page (an existing service by
 * type-ahead, a new one from an archive after its confirmation, each phase seen in order,
 * the toast's link opening the delta against the previous release).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_PHASES } from '../../electron/shared/progress-phases.js';
import { chromiumAvailable, CHROMIUM_PATH, seriousAxeViolations, waitUntilLoaded } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { SCREENSHOTS, openServedPage, type ServedPage } from '../helpers/served-page.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';

const hasChromium = chromiumAvailable();
if (!hasChromium) console.warn(`[keyboard-ingest.e2e] skipped: no Chromium at ${CHROMIUM_PATH}.`);

// Small releases only: the demo's real vocabularies take minutes to validate on a loaded machine.
const SERVICE = 'mini';
const OLDER = '1.0';
const NEWEST = '2.0';

function put(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function ttl(labels: Record<string, string>): string {
  return [
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .', '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '<http://example.org/mini> a owl:Ontology .',
    ...Object.entries(labels).map(([id, label]) => `<http://example.org/mini#${id}> a owl:Class ; rdfs:label "${label}" .`), '',
  ].join('\n');
}

/** Two small releases with folders, a third with many files (so its phases last long enough to watch), and a tar.gz. */
function writeSources(base: string): { v1: string; v2: string; v3: string; archive: string } {
  const v1 = path.join(base, 'mini-1');
  const v2 = path.join(base, 'mini-2');
  const v3 = path.join(base, 'mini-3');
  put(path.join(v1, 'mini.ttl'), ttl({ A: 'Alpha', B: 'Beta' }));
  put(path.join(v1, 'subsets', 'slim.ttl'), ttl({ A: 'Alpha' }));
  put(path.join(v1, 'mapping.csv'), 'id,label\nA,Alpha\n');
  put(path.join(v2, 'mini.ttl'), ttl({ A: 'Alpha', B: 'Beta renamed', C: 'Gamma' }));
  put(path.join(v2, 'subsets', 'slim.ttl'), ttl({ A: 'Alpha' }));
  put(path.join(v2, 'mapping.csv'), 'id,label\nA,Alpha\nC,Gamma\n');
  put(path.join(v3, 'mini.ttl'), ttl({ A: 'Alpha', B: 'Beta renamed', C: 'Gamma', D: 'Delta' }));
  put(path.join(v3, 'subsets', 'slim.ttl'), ttl({ A: 'Alpha', D: 'Delta' }));
  for (let i = 0; i < 400; i += 1) put(path.join(v3, 'terms', `t${String(i).padStart(4, '0')}.csv`), `id,label\nT${i},Term ${i}\n`);
  const archive = path.join(base, 'fresh-1.0.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', v1, '.']);
  return { v1, v2, v3, archive };
}

describe.skipIf(!hasChromium)('keyboard, accessibility and ingest over ontocat serve', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let sources: ReturnType<typeof writeSources>;
  let served: ServedPage | undefined;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-a11y-e2e');
    root = path.join(temp.root, 'catalog');
    ensureRendererBuilt();
    sources = writeSources(path.join(temp.root, 'sources'));
    for (const [dir, version] of [[sources.v1, '1.0'], [sources.v2, '2.0']] as const) {
      const ingest = runOntocat(['ingest', dir, '--service', 'mini', '--version', version, '--set-latest', '--json'], { root });
      expect(ingest.code, ingest.stderr).toBe(0);
    }
    served = await openServedPage(root);
    ({ page, problems } = served);
  }, 180_000);

  afterAll(async () => {
    await served?.close();
    temp?.cleanup();
  });

  const open = (route: string): Promise<void> => served!.open(route);

  async function settled(): Promise<void> {
    await waitUntilLoaded(page);
  }

  /** Serious and critical axe violations of the page as it is now. */
  async function axeProblems(): Promise<string[]> {
    return seriousAxeViolations(page);
  }

  /** A description of the focused element: role-ish tag, name and whether it is inside `selector`. */
  function focused(selector?: string): Promise<{ tag: string; name: string; inside: boolean; id: string }> {
    return page.evaluate((sel) => {
      const el = document.activeElement as HTMLElement | null;
      return {
        tag: el?.tagName.toLowerCase() ?? '',
        name: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim().slice(0, 80),
        inside: sel ? Boolean(el?.closest(sel)) : false,
        id: el?.id ?? '',
      };
    }, selector ?? null);
  }

  /** Presses Tab (or Shift+Tab) until the focused element's name matches, at most `limit` times. */
  async function tabTo(name: string | RegExp, limit = 120, backwards = false): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      const now = await focused();
      if (typeof name === 'string' ? now.name === name : name.test(now.name)) return;
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`Tab never reached ${String(name)} (last: ${(await focused()).name})`);
  }

  it('offers a skip link first that moves focus to the main content', async () => {
    problems.length = 0;
    // A fresh load (a hash change alone keeps focus where it was).
    await page.goto('about:blank');
    await open('/');
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'a', name: 'Skip to main content' });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-skip-link-focused.png') });
    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('main-content');
    expect(page.url()).not.toContain('#main-content');
    // The next Tab lands inside the page, not back in the header or the navigation.
    await page.keyboard.press('Tab');
    expect((await focused('main')).inside).toBe(true);
    expect(problems).toEqual([]);
  }, 60_000);

  it('sets latest and undoes it by keyboard alone, focus kept in the dialog and given back', async () => {
    problems.length = 0;
    const latestOf = (): string => runOntocat(['latest', 'get', SERVICE, '--json'], { root }).json<{ version: string }>().version;
    expect(latestOf()).toBe(NEWEST);
    await open(`/?service=${SERVICE}`);
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row', { name: `${SERVICE}/${NEWEST}` }).getByText('latest', { exact: true }).waitFor();
    const opener = `Set as latest: ${SERVICE}/${OLDER}`;
    await tabTo(opener);

    // Escape closes the dialog and focus is back on the button that opened it.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Set ${SERVICE}/${OLDER} as latest?` });
    await dialog.waitFor();
    expect(await focused('[role="dialog"]')).toMatchObject({ name: 'Cancel', inside: true });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await focused()).name).toBe(opener);

    // Again, and confirm: Tab and Shift+Tab never leave the dialog.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Set as latest' });
    await expect.poll(() => confirm.isEnabled(), { timeout: 60_000 }).toBe(true);
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect((await focused('[role="dialog"]')).inside, `focus after ${key}`).toBe(true);
    }
    await tabTo('Set as latest', 10);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-set-latest-keyboard.png') });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached', timeout: 30_000 });
    await versions.getByRole('row', { name: `${SERVICE}/${OLDER}` }).getByText('latest', { exact: true }).waitFor();
    expect(latestOf()).toBe(OLDER);
    // The opener is now disabled (it is the latest): focus is on its row, never lost to the page.
    const after = await focused();
    expect(after.tag === 'tr' || after.name === opener, JSON.stringify(after)).toBe(true);

    // Undo from the toast, reached by Tab.
    await tabTo('Undo');
    await page.keyboard.press('Enter');
    await page.getByText(`Undone: latest ${SERVICE} is ${NEWEST} again.`).waitFor({ timeout: 30_000 });
    await versions.getByRole('row', { name: `${SERVICE}/${NEWEST}` }).getByText('latest', { exact: true }).waitFor();
    expect(latestOf()).toBe(NEWEST);
    expect(problems).toEqual([]);
  }, 180_000);

  it('moves through the file tree by typed letters, and Escape closes the file panel', async () => {
    problems.length = 0;
    await open('/versions/mini/2.0');
    const tree = page.getByRole('tree', { name: 'Files of mini/2.0' });
    await tree.getByRole('treeitem', { name: 'mini.ttl' }).waitFor();
    await tree.focus();
    const active = (): Promise<string | null> => tree.evaluate((el) => {
      const id = el.getAttribute('aria-activedescendant');
      return id ? document.getElementById(id)?.getAttribute('aria-label') ?? null : null;
    });
    // Rows: mapping.csv, mini.ttl, subsets (folders and files by name, as the catalog lists them).
    const first = await active();
    await page.keyboard.type('s');
    expect(await active()).toMatch(/^subsets, folder/);
    await page.keyboard.press('ArrowRight');
    await tree.getByRole('treeitem', { name: 'slim.ttl' }).waitFor();
    // "m" then "m" again: the next item starting with m, then the one after (wrapping).
    await page.keyboard.type('m');
    const m1 = await active();
    await page.keyboard.type('m');
    const m2 = await active();
    expect([m1, m2].sort()).toEqual(['mapping.csv', 'mini.ttl']);
    expect(first).not.toBeNull();
    if (m2 !== 'mini.ttl') await page.keyboard.type('m');
    expect(await active()).toBe('mini.ttl');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('complementary', { name: 'mini.ttl' });
    await panel.waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(page.url()).not.toContain('path=');
    expect((await focused()).name).toBe('Files of mini/2.0');
    expect(problems).toEqual([]);
  }, 90_000);

  it('ingests into an existing service and a new one from the UI, naming each phase, and the toast opens the delta', async () => {
    problems.length = 0;
    await open('/');
    await page.getByRole('link', { name: 'Ingest', exact: true }).click();
    const form = page.getByRole('form', { name: 'Ingest a folder' });
    await form.waitFor();
    expect(await form.getByRole('checkbox', { name: 'Set as latest' }).isChecked()).toBe(false);
    await form.getByLabel('Folder, archive or URL').fill(sources.v3);
    const combo = form.getByRole('combobox', { name: 'Service' });
    await combo.click();
    await page.keyboard.type('mi');
    await form.getByRole('option', { name: /^mini/ }).waitFor();
    await page.keyboard.press('Enter');
    expect(await combo.inputValue()).toBe('mini');
    await form.getByText(/^Existing service: 2 versions, latest /).waitFor();
    await form.getByLabel('Version').fill('3.0');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ingest-form.png'), fullPage: true });

    // Every phase name the page shows as current, in order, recorded in the page itself.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { phasesSeen: string[] }).phasesSeen = seen;
      new MutationObserver(() => {
        const name = document.querySelector('.phase-current .phase-name')?.textContent ?? null;
        if (name && seen.at(-1) !== name) seen.push(name);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await form.getByRole('button', { name: 'Ingest', exact: true }).click();
    const progress = page.getByRole('group', { name: 'Ingest progress' });
    await progress.locator('li[aria-current="step"]').filter({ has: page.getByRole('progressbar') }).first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ingest-progress.png'), fullPage: true });
    const toast = page.getByRole('region', { name: 'Notifications' }).getByRole('status').filter({ hasText: 'Ingested mini/3.0' });
    await toast.waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { phasesSeen: string[] }).phasesSeen);
    const order = INGEST_PHASES.map((p) => p.label);
    const indexes = seen.filter((name) => name !== 'Starting…').map((name) => order.indexOf(name));
    expect(indexes.every((i) => i >= 0), seen.join(' → ')).toBe(true);
    expect(indexes, `phases went backwards: ${seen.join(' → ')}`).toEqual([...indexes].sort((a, b) => a - b));
    // When done, every phase of a folder ingest is listed as done, in order (a folder is
    // copied, hashed and linked into its version in one pass: no separate linking phase).
    const doneList = await progress.getByRole('listitem').evaluateAll((items) => items.map((li) => li.querySelector('.phase-name')?.textContent));
    expect(doneList).toEqual(['Checking the source', 'Listing the folder', 'Copying and hashing files', 'Making the files durable', 'Recording in the catalog', 'Validating']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ingest-done.png'), fullPage: true });
    const latest = runOntocat(['latest', 'get', 'mini', '--json'], { root }).json<{ version: string }>();
    expect(latest.version).toBe('2.0'); // "set as latest" was left off
    await toast.getByRole('link', { name: 'Open delta from mini/2.0' }).click();
    await page.getByLabel('Delta summary').waitFor({ timeout: 30_000 });
    expect(decodeURIComponent(page.url())).toContain('/delta?from=mini/2.0&to=mini/3.0');
    const cards = page.getByLabel('Delta summary');
    expect(await cards.getByRole('group', { name: 'Added', exact: true }).locator('.card-value').textContent()).toBe('400');

    // A new service from an archive: asked first, then its own phases, and the toast opens the version.
    await open('/ingest');
    await form.getByLabel('Folder, archive or URL').fill(sources.archive);
    await combo.fill('fresh');
    await form.getByText('New service: you will be asked to confirm before it is created.').waitFor();
    await form.getByLabel('Version').fill('1.0');
    const submit = form.getByRole('button', { name: 'Ingest', exact: true });
    await submit.click();
    const confirm = page.getByRole('dialog', { name: 'Create new service fresh?' });
    await confirm.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ingest-new-service-confirm.png') });
    await confirm.getByRole('button', { name: 'Create and ingest' }).click();
    const freshToast = page.getByRole('region', { name: 'Notifications' }).getByRole('status').filter({ hasText: 'Ingested fresh/1.0' });
    await freshToast.waitFor({ timeout: 120_000 });
    const archivePhases = await progress.getByRole('listitem').evaluateAll((items) => items.map((li) => li.querySelector('.phase-name')?.textContent));
    expect(archivePhases).toEqual(['Checking the source', 'Hashing the archive', 'Checking the archive entries', 'Extracting and hashing files',
      'Storing in the content store', 'Linking the version folder', 'Making the files durable', 'Recording in the catalog', 'Validating']);
    await freshToast.getByRole('link', { name: 'Open fresh/1.0' }).click();
    await page.getByRole('tree', { name: 'Files of fresh/1.0' }).getByRole('treeitem', { name: 'mini.ttl' }).waitFor({ timeout: 30_000 });
    const services = runOntocat(['services', '--json'], { root }).json<{ service: string }[]>();
    expect(services.map((s) => s.service)).toContain('fresh');
    expect(problems).toEqual([]);
  }, 300_000);

  it('scans every page of the app with axe, in light and in dark', async () => {
    problems.length = 0;
    await open('/');
    await page.getByRole('table', { name: 'Versions' }).waitFor();
    // Every page the navigation offers (so pages added later are scanned too), plus the
    // deep pages: a version with its file panel open, a validation page, a delta between two releases.
    const navRoutes = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll(
      (links) => links.map((a) => (a.getAttribute('href') ?? '').replace(/^#/, '')));
    expect(navRoutes).toContain('/ingest');
    const routes = [...new Set([
      ...navRoutes,
      `/versions/mini/2.0?path=${encodeURIComponent('subsets/slim.ttl')}`,
      `/validation/${SERVICE}/${NEWEST}`,
      `/delta?from=${encodeURIComponent(`${SERVICE}/${OLDER}`)}&to=${encodeURIComponent(`${SERVICE}/${NEWEST}`)}`,
    ])];
    const found: string[] = [];
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const route of routes) {
          await open(route);
          await page.locator('main h1').first().waitFor({ timeout: 20_000 });
          await settled();
          found.push(...(await axeProblems()).map((p) => `${scheme} ${route}: ${p}`));
        }
        // A dialog over a page, in each theme.
        await open('/ingest');
        await page.getByRole('combobox', { name: 'Service' }).fill('brand-new');
        await page.getByLabel('Folder, archive or URL').fill(sources.v1);
        await page.getByRole('button', { name: 'Ingest', exact: true }).click();
        await page.getByRole('dialog', { name: 'Create new service brand-new?' }).waitFor();
        found.push(...(await axeProblems()).map((p) => `${scheme} new-service dialog: ${p}`));
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      }
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(found).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect(problems).toEqual([]);
  }, 900_000);
});
