/**
 * Each version's file count and bytes (version_file_totals) against the disk: after every
 * path that adds or removes file rows (ingest, a replacing ingest, a stray adopted by the
 * doctor, a prune, a trash restore), the counts the version list shows equal a walk of
 * each version's data folder, done here with plain fs calls. Totals that disagree with the
 * rows (a write path that forgot them) are recounted on the next writable open, with a
 * warning event; a catalog from before migration 0019 gets them from its rows.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let temp: ReturnType<typeof makeTempRoot>;
let session: Session;

beforeEach(async () => {
  temp = makeTempRoot('ontocat-version-totals');
  session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
});
afterEach(async () => {
  await session.close();
  temp.cleanup();
});

/** Files and bytes under a folder, by walking it (symlinks are not followed; none are made). */
function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/** A source folder of `count` files of distinct sizes (some in subfolders). */
function sourceFolder(name: string, count: number, salt: string): string {
  const dir = path.join(temp.root, 'sources', name);
  for (let i = 0; i < count; i += 1) {
    const relpath = i % 3 === 0 ? `sub/part-${i}.txt` : `file-${i}.txt`;
    mkdirSync(path.dirname(path.join(dir, relpath)), { recursive: true });
    writeFileSync(path.join(dir, relpath), `${salt} ${i} `.repeat(i + 1));
  }
  return dir;
}

/** What the version list shows of each version, and what its data folder holds. */
async function listedAndOnDisk(): Promise<{ listed: Record<string, { files: number; bytes: number }>; disk: Record<string, { files: number; bytes: number }> }> {
  const page = await session.call('versions:list', { limit: 100 });
  const listed: Record<string, { files: number; bytes: number }> = {};
  const disk: Record<string, { files: number; bytes: number }> = {};
  for (const row of page.items) {
    listed[`${row.service}/${row.version}`] = { files: Number(row.files), bytes: Number(row.bytes) };
    expect(Number(row.health.files)).toBe(Number(row.files));
    disk[`${row.service}/${row.version}`] = walk(path.join(session.root, row.service, row.version, 'data'));
  }
  return { listed, disk };
}

async function expectListMatchesDisk(versions: readonly string[]): Promise<void> {
  const { listed, disk } = await listedAndOnDisk();
  expect(Object.keys(listed).sort()).toEqual([...versions].sort());
  expect(listed).toEqual(disk);
}

describe('version totals', () => {
  it('equal a walk of each data folder after ingest, replace, adopt, prune and trash restore', async () => {
    await session.call('ingest:run', { source: sourceFolder('a', 7, 'one'), service: 'go', version: '1' });
    await session.call('ingest:run', { source: sourceFolder('b', 12, 'two'), service: 'go', version: '2' });
    await session.call('ingest:run', { source: sourceFolder('c', 5, 'three'), service: 'go', version: '3', set_latest: true });
    await expectListMatchesDisk(['go/1', 'go/2', 'go/3']);

    // Re-recorded with other content: fewer files, other sizes.
    await session.call('ingest:run', { source: sourceFolder('b2', 4, 'two again'), service: 'go', version: '2', replace: true });
    expect((await listedAndOnDisk()).listed['go/2']!.files).toBe(4);
    await expectListMatchesDisk(['go/1', 'go/2', 'go/3']);

    // A stray adopted into go/2 by the doctor.
    writeFileSync(path.join(session.root, 'go/2/data/stray.txt'), 'a stray the curator keeps\n');
    const plan = await session.call('doctor:plan', {});
    const chosen = await session.call('doctor:choose', { plan_id: plan.plan_id, adopt: ['go/2/data/stray.txt'] });
    await session.call('doctor:apply', { plan_id: chosen.plan_id });
    expect((await listedAndOnDisk()).listed['go/2']!.files).toBe(5);
    await expectListMatchesDisk(['go/1', 'go/2', 'go/3']);

    // Pruned, then restored from the trash.
    const prune = await session.call('prune:plan', { keep_last: 2, service: 'go', allow_large: true });
    expect(prune.removals.map((v) => v.version)).toEqual(['1']);
    await session.call('prune:apply', { plan_id: prune.plan_id });
    await expectListMatchesDisk(['go/2', 'go/3']);
    await session.call('trash:restore', { plan_id: prune.plan_id });
    await expectListMatchesDisk(['go/1', 'go/2', 'go/3']);
    expect((await session.call('events:list', { type: 'catalog.totals_rebuilt' })).items).toEqual([]);
  });

  it('are recounted on the next writable open when they disagree with the rows, with a warning', async () => {
    await session.call('ingest:run', { source: sourceFolder('a', 9, 'one'), service: 'go', version: '1' });
    await session.call('ingest:run', { source: sourceFolder('b', 3, 'two'), service: 'go', version: '2' });
    // Totals a forgetful write path could leave: one off, one missing, one for no version.
    await session.catalog.write(async (tx) => {
      await tx.run("UPDATE version_file_totals SET files = files + 1 WHERE version_id = (SELECT version_id FROM versions WHERE version = '1')");
      await tx.run("DELETE FROM version_file_totals WHERE version_id = (SELECT version_id FROM versions WHERE version = '2')");
      await tx.run("INSERT INTO version_file_totals VALUES ('00000000-0000-0000-0000-000000000001', 5, 50)");
    });
    expect((await listedAndOnDisk()).listed['go/1']!.files).toBe(10);
    await session.close();
    session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
    await expectListMatchesDisk(['go/1', 'go/2']);
    const events = (await session.call('events:list', { type: 'catalog.totals_rebuilt' })).items;
    expect(events.map((e) => [e.level, e.payload])).toEqual([['warn', { versions_off: 4 }]]);
  });

  it('come from the file rows when a catalog from before them is migrated', async () => {
    await session.call('ingest:run', { source: sourceFolder('a', 6, 'one'), service: 'go', version: '1' });
    await session.call('ingest:run', { source: sourceFolder('b', 8, 'two'), service: 'hp', version: '2' });
    // The catalog as migration 0018 left it: no totals table, 0019 not applied.
    await session.catalog.write(async (tx) => {
      await tx.run('DROP TABLE version_file_totals CASCADE');
      await tx.run('DELETE FROM schema_version WHERE version = 19');
    });
    await session.close();
    session = await openSession({ actor: 'test', root: path.join(temp.root, 'root') });
    expect(session.catalog.migrations?.applied.map((m) => m.name)).toEqual(['0019_version_file_totals.sql']);
    await expectListMatchesDisk(['go/1', 'hp/2']);
    expect((await session.call('events:list', { type: 'catalog.totals_rebuilt' })).items).toEqual([]);
  });
});
