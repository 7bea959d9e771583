/**
 * Emptying a large trash entry must not hold the catalog's writer while its files are
 * deleted: deleting gigabytes takes minutes, and every other client's write (a pin, a
 * set-latest, an ingest, a team-server curator's click) waited for it or timed out. A pin
 * asked for once the entry is marked `emptying` completes while the trash still holds
 * files, before the empty does (the order of completion, not timings).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { addVersion } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
const withSession = sessionOn(() => root);

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-trash-writer'));
});
afterEach(() => cleanup());

const FILES = 4000;

/** GNU find: how many regular files are under the root's `.trash/`. */
function trashFileCount(): number {
  if (!existsSync(path.join(root, '.trash'))) return 0;
  // One dot a file; files vanishing while it walks (a delete under way) are no error.
  const run = spawnSync('find', [path.join(root, '.trash'), '-ignore_readdir_race', '-type', 'f', '-printf', '.'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.length;
}

/** svc/1 (FILES files) pruned to the trash, svc/2 kept as latest; returns the prune's plan id. */
async function prunedVersion(session: Session): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`d/f${i}.txt`] = `release 1 file ${i}\n`;
  await addVersion(session.catalog, { service: 'svc', version: '1', created_at: '2020-01-01T00:00:00Z', files });
  await addVersion(session.catalog, { service: 'svc', version: '2', created_at: '2021-01-01T00:00:00Z', files: { 'a.txt': 'two\n' } });
  await session.call('latest:set', { ref: 'svc/2' });
  const plan = await session.call('prune:plan', { service: 'svc', keep_last: 1, allow_large: true });
  await session.call('prune:apply', { plan_id: plan.plan_id });
  return plan.plan_id;
}

/** The entry's manifest status, or null once it is gone. */
function manifestStatus(planId: string): string | null {
  const file = path.join(root, '.trash', planId, 'manifest.json');
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { status: string }).status;
  } catch {
    return null;
  }
}

describe('trash empty and the writer', () => {
  it('another write made while a large trash is deleted completes before the empty, while the trash still holds files', async () => {
    await withSession(async (session) => {
      const planId = await prunedVersion(session);
      expect(trashFileCount()).toBeGreaterThanOrEqual(FILES);
      const order: string[] = [];
      let settled = false;
      const empty = session.call('trash:empty', { plan_id: planId }).then((result) => { order.push('empty'); return result; }).finally(() => { settled = true; });
      // Once the entry is marked for deleting (or the empty is over, as it was when it held the writer throughout).
      while (!settled && manifestStatus(planId) !== 'emptying') await new Promise((resolve) => setTimeout(resolve, 1));
      let leftWhenPinned = -1;
      const pin = session.call('versions:pin', { ref: 'svc/2', pinned: true, reason: 'keep' }).then((result) => {
        order.push('pin');
        leftWhenPinned = trashFileCount();
        return result;
      });
      const [emptied, pinned] = await Promise.all([empty, pin]);
      expect(order).toEqual(['pin', 'empty']);
      // The pin was done while the delete was still under way.
      expect(leftWhenPinned).toBeGreaterThan(0);
      expect(pinned).toMatchObject({ ref: 'svc/2', pinned: true });
      expect(emptied.removed).toEqual([planId]);
      expect(trashFileCount()).toBe(0);
      expect(existsSync(path.join(root, '.trash', planId))).toBe(false);
      expect((await session.call('events:list', { type: 'trash.emptied' })).items).toHaveLength(1);
      expect(await session.call('trash:list', {})).toEqual([]);
      expect((await session.call('versions:list', { service: 'svc' })).items.map((v) => [v.version, v.pinned])).toEqual([['2', true]]);
    });
  }, 300_000);

  it('a restore asked for while the entry is being deleted is refused, saying so, and the empty finishes', async () => {
    await withSession(async (session) => {
      const planId = await prunedVersion(session);
      let settled = false;
      const empty = session.call('trash:empty', { plan_id: planId }).finally(() => { settled = true; });
      while (!settled && manifestStatus(planId) !== 'emptying') await new Promise((resolve) => setTimeout(resolve, 1));
      const restore = await session.call('trash:restore', { plan_id: planId }).then(() => 'restored', (error: Error) => error.message);
      expect(restore).toMatch(/being emptied now/);
      expect((await empty).removed).toEqual([planId]);
      expect(trashFileCount()).toBe(0);
      expect((await session.call('versions:list', { service: 'svc' })).items.map((v) => v.version)).toEqual(['2']);
    });
  }, 300_000);
});
