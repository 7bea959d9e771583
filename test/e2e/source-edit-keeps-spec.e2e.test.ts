/**
 * End to end in Debian's Chromium over `ontocat serve`: editing one field of a source on the
 * Sources page keeps everything else the sources file gave it: a paused source stays
 * paused, and its size cap, webhook and npm registry stay, as PyYAML reads the CLI's
 * `sources export --yaml` before and after (only the note differs); Add source never
 * replaces a source of the same id, and Save never undoes another client's change made
 * while the form was open.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

const SOURCES = `schema: ontocat.sources/2
sources:
  - id: vocab
    service: vocab
    enabled: false
    max_bytes: 5000000
    webhook: "http://127.0.0.1:9/hook"
    schedule: "0 3 * * 1"
    note: before
    artifacts:
      - { type: npm, package: "@zazuko/rdf-vocabularies", registry: "http://127.0.0.1:9/registry" }
      - { type: url, url: "http://127.0.0.1:9/readme.md", name: readme.md }
`;

/** PyYAML's reading of a YAML document, as JSON. */
function pyyaml(document: string): unknown {
  const run = spawnSync('python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'], { input: document, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as unknown;
}

describe.skipIf(!chromiumAvailable())('editing a source on the Sources page', () => {
  const temp = makeTempRoot('ontocat-source-edit-e2e');
  const root = path.join(temp.root, 'catalog');
  let served: ServedBrowser | undefined;
  let page: Page;

  const exported = async (): Promise<{ sources: Record<string, unknown>[] }> => {
    const run = await runOntocatAsync(['sources', 'export', '--yaml'], { root });
    expect(run.code, run.stderr).toBe(0);
    return pyyaml(run.stdout) as { sources: Record<string, unknown>[] };
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    const file = path.join(temp.root, 'sources.yaml');
    writeFileSync(file, SOURCES);
    expect(runOntocat(['init'], { root }).code).toBe(0);
    const imported = runOntocat(['sources', 'import', file], { root });
    expect(imported.code, imported.stderr).toBe(0);
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  it('changes the note and nothing else', async () => {
    const before = await exported();
    // What the file said is what the catalog holds.
    const written = (pyyaml(SOURCES) as { sources: Record<string, unknown>[] }).sources[0]!;
    expect(before.sources[0]).toMatchObject({ enabled: false, max_bytes: 5_000_000, webhook: written.webhook, artifacts: written.artifacts });

    await page.goto(`${served!.serve.url}#/sources`);
    const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'vocab' });
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Note').fill('after');
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.getByText('Saved source vocab.').waitFor();

    const after = await exported();
    expect(after.sources[0]).toEqual({ ...before.sources[0], note: 'after' });
  }, 120_000);

  it('Add source with an id already in the catalog is refused and replaces nothing', async () => {
    const before = await exported();
    await page.goto(`${served!.serve.url}#/sources`);
    await page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'vocab' }).waitFor();
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByLabel('Source id').fill('vocab');
    await page.getByLabel('Service').fill('other');
    await page.getByLabel('URL').fill('http://127.0.0.1:9/other.owl');
    await page.getByRole('button', { name: 'Save source' }).click();
    const said = page.getByRole('alert').or(page.getByText('Saved source vocab.'));
    await said.first().waitFor();
    expect(await exported()).toEqual(before);
    expect(await said.first().textContent()).toMatch(/already/);
  }, 120_000);

  it('Edit while the Add form is open shows the source to edit, as the CLI exports it', async () => {
    await page.goto(`${served!.serve.url}#/sources`);
    await page.reload();
    await page.getByRole('button', { name: 'Add source' }).click();
    await page.getByLabel('Source id').fill('fresh');
    await page.getByLabel('Service').fill('fresh');
    await page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'vocab' }).getByRole('button', { name: 'Edit' }).click();
    const spec = (await exported()).sources[0]!;
    expect(await page.getByLabel('Source id').inputValue()).toBe(spec.id);
    expect(await page.getByLabel('Service').inputValue()).toBe(spec.service);
    expect(await page.getByLabel('Schedule (cron)').inputValue()).toBe(spec.schedule);
    expect(await page.getByLabel('Note').inputValue()).toBe(spec.note);
    await page.getByRole('button', { name: 'Cancel' }).click();
  }, 120_000);

  it('Save after another client changed the source since Edit opened is refused and keeps that change', async () => {
    await page.goto(`${served!.serve.url}#/sources`);
    await page.reload();
    const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'vocab' });
    await row.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Note').fill('mine');
    // Meanwhile the sources file, imported by the CLI beside the web host, moves the schedule.
    const file = path.join(temp.root, 'sources-2.yaml');
    writeFileSync(file, SOURCES.replace('0 3 * * 1', '0 4 * * 2'));
    const imported = await runOntocatAsync(['sources', 'import', file], { root });
    expect(imported.code, imported.stderr).toBe(0);
    const theirs = await exported();
    expect(theirs.sources[0]).toMatchObject({ schedule: '0 4 * * 2' });
    await page.getByRole('button', { name: 'Save source' }).click();
    const said = page.getByRole('alert').or(page.getByText('Saved source vocab.'));
    await said.first().waitFor();
    expect(await exported()).toEqual(theirs);
    expect(await said.first().textContent()).toMatch(/changed/);
    // Edit again, as the refusal says: the form now holds the source as it is.
    await row.getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => page.getByLabel('Schedule (cron)').inputValue()).toBe('0 4 * * 2');
    expect(await page.getByLabel('Note').inputValue()).toBe('before');
  }, 120_000);
});
