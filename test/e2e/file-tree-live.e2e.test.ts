/**
 * End to end in Debian's Chromium over `ontocat serve`: the Version page's file tree follows
 * a write made by another client (the CLI beside the web host) without a reload, as the
 * cards above it do: after `ingest --replace` of the open version it lists the files
 * `find` lists in the new source folder, with the sizes `stat` gives and the errors the
 * CLI's `ls --json` counts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLabel } from '../../electron/shared/formats.js';
import { formatBytes } from '../../renderer/src/lib/format.js';
import { chromiumAvailable } from '../helpers/browser.js';
import { runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

describe.skipIf(!chromiumAvailable())('the file tree after another client re-ingests the open version', () => {
  const temp = makeTempRoot('ontocat-file-tree-live-e2e');
  const root = path.join(temp.root, 'catalog');
  const first = path.join(temp.root, 'first');
  const second = path.join(temp.root, 'second');
  let served: ServedBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    mkdirSync(first, { recursive: true });
    writeFileSync(path.join(first, 'mini.ttl'), '<http://example.org/a> <http://example.org/b> "c" .\n');
    mkdirSync(second, { recursive: true });
    writeFileSync(path.join(second, 'mini.ttl'), '<http://example.org/a> <http://example.org/b> "c", "d" .\n');
    // A Turtle file that does not parse: an error the tree badges.
    writeFileSync(path.join(second, 'broken.ttl'), '<http://example.org/a> <http://example.org/b> .\n');
    writeFileSync(path.join(second, 'notes.txt'), 'added in the second upload\n'.repeat(40));
    const run = runOntocat(['ingest', first, '--service', 'mini', '--version', '1.0'], { root });
    expect(run.code, run.stderr).toBe(0);
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  /** Each tree row's name and size text, as shown. */
  const treeRows = (): Promise<string[]> => page.getByRole('tree', { name: 'Files of mini/1.0' }).locator('.tree-row:not(.tree-aux)')
    .evaluateAll((rows) => rows.map((row) => `${row.querySelector('.tree-name')?.textContent} ${row.querySelector('.tree-meta')?.textContent}`).sort());

  it('lists the re-ingested files with their sizes and errors, without a reload', async () => {
    await page.goto(`${served!.serve.url}#/versions/mini/1.0`);
    await expect.poll(treeRows).toHaveLength(1);

    const replaced = await runOntocatAsync(['ingest', second, '--service', 'mini', '--version', '1.0', '--replace'], { root });
    expect(replaced.code, replaced.stderr).toBe(0);
    // The Files card above the tree hears of it.
    const find = spawnSync('find', ['.', '-type', 'f', '-printf', '%P %s\n'], { cwd: second, encoding: 'utf8' }).stdout.trim().split('\n');
    await expect.poll(() => page.getByRole('group', { name: 'Files', exact: true }).locator('.card-value').textContent()).toBe(String(find.length));

    const listed = await runOntocatAsync(['ls', 'mini/1.0', '--json'], { root });
    expect(listed.code, listed.stderr).toBe(0);
    const entries = new Map(listed.json<{ name: string; errors: number; format: string }[]>().map((entry) => [entry.name, entry]));
    const errors = new Map([...entries].map(([name, entry]) => [name, entry.errors]));
    expect(errors.get('broken.ttl')).toBeGreaterThan(0);
    // Names and sizes as find reads the source folder; the format as the CLI names it.
    const expected = find.map((line) => {
      const [name, size] = line.split(' ');
      return `${name} ${formatLabel(entries.get(name!)!.format)} · ${formatBytes(Number(size))}`;
    }).sort();
    await expect.poll(treeRows).toEqual(expected);
    const broken = page.getByRole('treeitem', { name: 'broken.ttl' });
    expect(await broken.locator('.badge-bad').textContent()).toBe(`${errors.get('broken.ttl')} error${errors.get('broken.ttl') === 1 ? '' : 's'}`);
  }, 120_000);
});
