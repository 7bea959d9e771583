/**
 * Two clients act on one trash entry at once (the web host runs their calls side by side):
 * one restores the pruned version while the other empties the trash, or Empty is clicked
 * twice. One of them must win wholly: the version back with every file (as coreutils'
 * sha256sum reads them) and the entry gone, or the entry deleted and the version gone, the
 * other refused; never a failed restore and an empty that says it removed the entry while
 * its files stay in `.trash/` without the rows a restore needs.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Session } from '../../../electron/handlers/session.js';
import { addVersion, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { sha256sumOf } from '../../helpers/sync-fixtures.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
const withSession = sessionOn(() => root);

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-trash-concurrent'));
});
afterEach(() => cleanup());

/** Enough files that restoring them spans many batches. */
const FILES = 3000;
const content = (i: number): string => `release 1 file ${i}\n`;

/** svc/1 (FILES files) pruned to the trash, svc/2 kept as latest; returns the prune's plan id. */
async function prunedVersion(session: Session): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES; i++) files[`d/f${i}.txt`] = content(i);
  await addVersion(session.catalog, { service: 'svc', version: '1', created_at: '2020-01-01T00:00:00Z', files });
  await addVersion(session.catalog, { service: 'svc', version: '2', created_at: '2021-01-01T00:00:00Z', files: { 'a.txt': 'two\n' } });
  await session.call('latest:set', { ref: 'svc/2' });
  const plan = await session.call('prune:plan', { service: 'svc', keep_last: 1, allow_large: true });
  expect(plan.removals.map((row) => row.version)).toEqual(['1']);
  await session.call('prune:apply', { plan_id: plan.plan_id });
  return plan.plan_id;
}

const trashFolders = (): string[] => (existsSync(path.join(root, '.trash')) ? readdirSync(path.join(root, '.trash')) : []);

describe('one trash entry, two clients', () => {
  it('restore and empty at once: one wins wholly, the other is refused', async () => {
    await withSession(async (session) => {
      const planId = await prunedVersion(session);
      const [restore, empty] = await Promise.allSettled([
        session.call('trash:restore', { plan_id: planId }),
        session.call('trash:empty', { plan_id: planId }),
      ]);
      const versions = (await session.call('versions:list', { service: 'svc' })).items.map((v) => v.version).sort();
      const listed = (await session.call('trash:list', {})).map((entry) => entry.plan_id);
      if (restore.status === 'fulfilled') {
        expect(empty.status === 'rejected' && String(empty.reason)).toMatch(/Nothing in the trash for plan/);
        expect(versions).toEqual(['1', '2']);
        for (const i of [0, 1234, FILES - 1]) expect(sha256sumOf(path.join(root, 'svc', '1', 'data', 'd', `f${i}.txt`))).toBe(sha256(content(i)));
        expect((await session.call('files:list', { ref: 'svc/1', limit: 1 })).total).toBe(FILES);
      } else {
        expect(empty.status === 'fulfilled' && empty.value.removed).toEqual([planId]);
        expect(String(restore.reason)).toMatch(/Nothing in the trash for plan|being emptied/);
        expect(versions).toEqual(['2']);
        expect(existsSync(path.join(root, 'svc', '1'))).toBe(false);
      }
      // Either way nothing is left half: no entry in the list or on disk.
      expect(listed).toEqual([]);
      expect(trashFolders()).toEqual([]);
    });
  }, 300_000);

  it('Empty twice at once deletes the entry once and says so once', async () => {
    await withSession(async (session) => {
      const planId = await prunedVersion(session);
      const results = await Promise.allSettled([session.call('trash:empty', { plan_id: planId }), session.call('trash:empty', { plan_id: planId })]);
      const done = results.filter((r) => r.status === 'fulfilled');
      expect(done).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect(String(refused?.status === 'rejected' && refused.reason)).toMatch(/Nothing in the trash for plan .*Nothing was deleted/);
      const events = await session.call('events:list', { type: 'trash.emptied' });
      expect(events.items).toHaveLength(1);
      expect(trashFolders()).toEqual([]);
    });
  }, 300_000);
});
