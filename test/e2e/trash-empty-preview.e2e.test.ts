/**
 * End to end in Debian's Chromium over `ontocat serve`: the Trash page's "Empty trash…" and
 * "Empty older…" confirmations delete for good what they showed, nothing more. A prune made
 * by another client (the CLI beside the web host) while the dialog is open stays in the
 * trash and restores byte for byte, as coreutils' sha256sum reads its source folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from '../helpers/browser.js';
import { sha256sumWalk } from '../helpers/hash-files.js';
import { runOntocat, runOntocatAsync } from '../helpers/run-cli.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { ensureRendererBuilt } from '../helpers/web-host.js';
import { openServedBrowser, type ServedBrowser } from '../helpers/served-page.js';

describe.skipIf(!chromiumAvailable())('emptying the trash from a confirmation shown before another prune', () => {
  const temp = makeTempRoot('ontocat-trash-empty-e2e');
  const root = path.join(temp.root, 'catalog');
  const sources = path.join(temp.root, 'src');
  let served: ServedBrowser | undefined;
  let page: Page;

  /** Plans and applies a prune through the running web host, as a curator's CLI beside it would; its plan id. */
  async function pruneKeeping(keepLast: number): Promise<string> {
    const plan = await runOntocatAsync(['prune', '--keep-last', String(keepLast), '--allow-large', '--json'], { root });
    expect(plan.code, plan.stderr).toBe(0);
    const planId = plan.json<{ plan_id: string }>().plan_id;
    const applied = await runOntocatAsync(['prune', '--apply', planId, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    return planId;
  }

  const trashPlans = async (): Promise<string[]> => {
    const list = await runOntocatAsync(['trash', 'list', '--json'], { root });
    expect(list.code, list.stderr).toBe(0);
    return list.json<{ plan_id: string }[]>().map((entry) => entry.plan_id).sort();
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    for (const version of ['1.0', '2.0', '3.0', '4.0', '5.0']) {
      const dir = path.join(sources, version);
      mkdirSync(path.join(dir, 'sub'), { recursive: true });
      writeFileSync(path.join(dir, 'mini.ttl'), `<http://example.org/a> <http://example.org/version> "${version}" .\n`);
      writeFileSync(path.join(dir, 'sub', 'notes.txt'), `release ${version}\n`.repeat(Number(version[0]) * 100));
      const run = runOntocat(['ingest', dir, '--service', 'mini', '--version', version], { root });
      expect(run.code, run.stderr).toBe(0);
    }
    served = await openServedBrowser(root);
    page = await served.newPage();
  }, 300_000);

  afterAll(async () => {
    await served?.close();
    temp.cleanup();
  });

  /** Opens the Trash page and waits until its table lists `plans`. */
  async function openTrash(plans: readonly string[]): Promise<void> {
    await page.goto(`${served!.serve.url}#/trash`);
    const table = page.getByRole('table', { name: 'Trash' });
    for (const plan of plans) await table.getByRole('row', { name: plan }).waitFor();
  }

  /** While `dialog` is open, another client prunes; then the curator confirms what the dialog showed. */
  async function confirmAfterAnotherPrune(dialogName: string, shown: string, keepLast: number): Promise<string> {
    const dialog = page.getByRole('dialog', { name: dialogName });
    expect(await dialog.textContent()).toContain(shown);
    const later = await pruneKeeping(keepLast);
    // The page behind the dialog hears of it (the event stream), so this is what the curator could see.
    await page.getByRole('table', { name: 'Trash' }).getByRole('row', { name: later }).waitFor();
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await dialog.waitFor({ state: 'detached' });
    return later;
  }

  /** The later plan is still in the trash, and restoring it brings `version` back as its source folder was. */
  async function expectRestorable(plan: string, version: string): Promise<void> {
    expect(await trashPlans()).toContain(plan);
    const restored = await runOntocatAsync(['trash', 'restore', plan, '--json'], { root });
    expect(restored.code, restored.stderr).toBe(0);
    expect(sha256sumWalk(path.join(root, 'mini', version, 'data'))).toBe(sha256sumWalk(path.join(sources, version)));
  }

  it('Empty trash… deletes the entries it listed, not a prune made after it opened', async () => {
    const first = await pruneKeeping(4);
    await openTrash([first]);
    await page.getByRole('button', { name: 'Empty trash…' }).click();
    const later = await confirmAfterAnotherPrune('Empty the trash?', '1 trash entry', 3);
    await expect.poll(trashPlans).not.toContain(first);
    await expectRestorable(later, '2.0');
  }, 180_000);

  it('Empty older… deletes the entries it listed, not a prune made after it opened', async () => {
    const first = await pruneKeeping(3);
    await openTrash([first]);
    await page.getByLabel('Older than (days)').fill('0');
    await page.getByRole('button', { name: 'Empty older…' }).click();
    const later = await confirmAfterAnotherPrune('Empty entries older than 0 days?', '1 trash entry', 2);
    await expect.poll(trashPlans).not.toContain(first);
    await expectRestorable(later, '3.0');
  }, 180_000);
});
