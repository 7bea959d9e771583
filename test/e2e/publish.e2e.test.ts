/**
 * End to end: the Storage page's "Published as Parquet" section in Debian's Chromium over
 * `ontocat serve`. Publishing from the page writes files that a separate DuckDB reads back
 * as the catalog's rows; with automatic publishing on, a change made by the CLI through the
 * running owner shows up as a new generation without a reload.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, seriousAxeViolations } from '../helpers/browser.js';
import { runOntocat } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt, startServe, type RunningServe } from '../helpers/web-host.js';

const SHOTS = path.resolve('test-results', 'screenshots');

describe.skipIf(!chromiumAvailable())('Published as Parquet, from the Storage page', () => {
  const temp = makeTempRoot('ontocat-publish-e2e');
  let serve: RunningServe | undefined;
  let browser: Browser | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await closeBrowser?.();
    await serve?.stop();
    temp.cleanup();
  });

  it('publishes now, turns automatic publishing on, and shows a CLI change as a new generation', async () => {
    ensureRendererBuilt();
    // The demo validates three real releases: minutes on a loaded machine (the default is 2).
    const demo = runOntocat(['demo', '--json'], { root: temp.root, timeoutMs: 400_000 });
    expect(demo.code, demo.stderr).toBe(0);
    serve = await startServe(temp.root);
    ({ browser, close: closeBrowser } = await launchChromium());
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(`${serve.url}#/storage`);
    const section = page.getByRole('region', { name: 'Published as Parquet' });
    await section.getByText('Not published yet.').waitFor({ timeout: 30_000 });

    await section.getByRole('button', { name: 'Publish now' }).click();
    const status = section.getByRole('status', { name: 'Publication status' });
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Generation 1, published .*; published only when asked\.$/);
    const manifest = JSON.parse(readFileSync(path.join(temp.root, 'parquet', 'manifest.json'), 'utf8')) as { tables: Record<string, { rows: number; files: { path: string }[] }> };
    const filesRow = section.getByRole('table', { name: 'Published tables' }).getByRole('row', { name: /^files / });
    expect(await filesRow.textContent()).toContain(manifest.tables.files!.rows.toLocaleString('en-US'));

    // What the page published is what another engine reads: the catalog's file rows.
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const list = manifest.tables.files!.files.map((f) => `'${path.join(temp.root, 'parquet', f.path).replace(/'/g, "''")}'`).join(', ');
    const [row] = (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(DISTINCT version)::INTEGER AS versions FROM read_parquet([${list}], hive_partitioning = true)`)).getRowObjectsJson();
    conn.closeSync();
    instance.closeSync();
    const cliFiles = runOntocat(['info', '--json'], { root: temp.root }).json<{ files: number; versions: number }>();
    expect(row).toEqual({ n: cliFiles.files, versions: cliFiles.versions });

    await section.getByRole('checkbox', { name: 'Republish after every change' }).check();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/^Generation 2, .*kept current after every change\.$/);
    // A change made elsewhere (the CLI, through the running owner) is published by the owner.
    const versions = runOntocat(['versions', '--json'], { root: temp.root }).json<{ service: string; version: string; is_latest: boolean }[]>();
    const target = versions.find((v) => !v.is_latest)!;
    expect(runOntocat(['latest', 'set', target.service, target.version], { root: temp.root }).code).toBe(0);
    await expect.poll(() => status.textContent(), { timeout: 60_000, interval: 500 }).toMatch(/^Generation 3, /);

    mkdirSync(SHOTS, { recursive: true });
    await section.screenshot({ path: path.join(SHOTS, 'storage-parquet.png') });
    expect(await seriousAxeViolations(page, { include: 'section[aria-labelledby="parquet-title"]' })).toEqual([]);
  }, 600_000);
});
