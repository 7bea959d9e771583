import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { trashRowsPath } from '../../../electron/storage/trash-store.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { addVersion, catalogDump, diskListing, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { bytesByInode } from '../../helpers/bytes-by-inode.js';

let root: string;
let cleanup: () => void;
let session: Session;

const day = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * day).toISOString();

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-prune'));
  session = await openSession({ actor: 'test', root });
  const catalog = session.catalog;
  // go: v1..v4, v2 pinned, v4 latest; 'shared' content is in every version.
  await addVersion(catalog, { service: 'go', version: 'v1', created_at: ago(40), files: { 'shared.owl': 'shared', 'only1.owl': 'only in v1 '.repeat(20) }, archive: { name: 'go.zip', content: 'zip v1' } });
  await addVersion(catalog, { service: 'go', version: 'v2', created_at: ago(30), files: { 'shared.owl': 'shared', 'only2.owl': 'only in v2' } });
  await addVersion(catalog, { service: 'go', version: 'v3', created_at: ago(20), files: { 'shared.owl': 'shared', 'only3.owl': 'v3 and v4' } });
  await addVersion(catalog, { service: 'go', version: 'v4', created_at: ago(1), latest: true, files: { 'shared.owl': 'shared', 'only3.owl': 'v3 and v4', 'big.owl': 'x'.repeat(400) } });
  await catalog.write(async (tx) => {
    const { setPinned } = await import('../../../electron/catalog/write-records.js');
    await setPinned(tx, { service: 'go', version: 'v2' }, true);
  });
  await addVersion(catalog, { service: 'obo', version: 'a', created_at: ago(50), files: { 'o.obo': 'obo a' } });
  await addVersion(catalog, { service: 'obo', version: 'b', created_at: ago(2), latest: true, files: { 'o.obo': 'obo b' } });
});
afterEach(async () => {
  await session.close();
  cleanup();
});

describe('prune', () => {
  it('previews removals with bytes and kept versions with reasons, and changes nothing', async () => {
    const before = diskListing(root);
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25, allow_large: true });
    expect(plan.removals.map((v) => `${v.service}/${v.version}`)).toEqual(['go/v1', 'obo/a']);
    const reasons = Object.fromEntries(plan.kept.map((v) => [`${v.service}/${v.version}`, v.reasons]));
    expect(reasons).toEqual({
      'go/v4': ['latest', 'within_last_n', 'newer_than'],
      'go/v3': ['newer_than'],
      'go/v2': ['pinned'],
      'obo/b': ['latest', 'within_last_n', 'newer_than'],
    });
    const files = Object.fromEntries(plan.files.map((f) => [f.path, `${f.what}:${f.bytes}`]));
    expect(files).toEqual({
      'go/v1/data/shared.owl': 'data:6',
      'go/v1/data/only1.owl': 'data:220',
      'go/v1/archives/go.zip': 'archive:6',
      [casRelpath(sha256('only in v1 '.repeat(20)))]: 'cas:220',
      'obo/a/data/o.obo': 'data:5',
      [casRelpath(sha256('obo a'))]: 'cas:5',
    });
    // The shared object stays: other versions still use it.
    expect(plan.files.some((f) => f.path === casRelpath(sha256('shared')))).toBe(false);
    expect(plan.bytes).toBe(6 + 220 + 6 + 5);
    expect(plan.large).toBe(false);
    expect(diskListing(root)).toEqual(before);
  });

  it('newer-than follows release order: one version known only by today\'s ingest date keeps no version released years ago', async () => {
    // 2.1 says nothing of its release (its date is today's ingest); 2.2, 2.9 and 2.10 were
    // released in 2020 as a curator recorded. 2.1 comes first in release order.
    for (const version of ['2.1', '2.2', '2.9', '2.10']) {
      await addVersion(session.catalog, { service: 'rel', version, created_at: ago(0), latest: version === '2.10', files: { 'r.owl': `release ${version}` } });
    }
    for (const [version, date] of [['2.2', '2020-01-01'], ['2.9', '2020-02-01'], ['2.10', '2020-03-01']] as const) {
      await session.call('versions:set-release', { ref: `rel/${version}`, release_date: date });
    }
    const plan = await session.call('prune:plan', { newer_than_days: 30, service: 'rel' });
    // 2.10 stays as the latest; the rest are older than 30 days, 2.1 by its place in release order.
    expect(plan.removals.map((v) => v.version).sort()).toEqual(['2.1', '2.2', '2.9']);
    // An ingest date is no release date: a version known only by it is never 'released within' the days.
    expect(plan.kept.flatMap((v) => v.why).join('\n')).not.toMatch(/released within the last 30 days \([^)]*ingest/);
    // And a version released within the days keeps those after it.
    await session.call('versions:set-release', { ref: 'rel/2.9', release_date: new Date(Date.now() - 3 * day).toISOString().slice(0, 10) });
    const again = await session.call('prune:plan', { newer_than_days: 30, service: 'rel' });
    expect(again.removals.map((v) => v.version).sort()).toEqual(['2.1', '2.2']);
  });

  it('--service limits the policy to one service', async () => {
    const plan = await session.call('prune:plan', { keep_last: 1, service: 'obo' });
    expect(plan.removals.map((v) => `${v.service}/${v.version}`)).toEqual(['obo/a']);
    expect(plan.kept.map((v) => v.service)).toEqual(['obo']);
  });

  it('asks for a policy', async () => {
    await expect(session.call('prune:plan', {})).rejects.toThrow(/--keep-last/);
  });

  it('apply moves to the trash and deletes rows; trash restore puts back exactly what was there', async () => {
    const diskBefore = diskListing(root);
    const rowsBefore = await catalogDump(session.catalog);
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    const applied = await session.call('prune:apply', { plan_id: plan.plan_id });
    expect(applied.files_moved).toBe(6);

    expect(existsSync(path.join(root, 'go/v1'))).toBe(false);
    expect(readFileSync(path.join(root, 'go/v4/data/shared.owl'), 'utf8')).toBe('shared');
    expect(readFileSync(path.join(root, `.trash/${plan.plan_id}/files/go/v1/data/only1.owl`), 'utf8')).toBe('only in v1 '.repeat(20));
    const versions = await session.call('versions:list', {});
    expect(versions.items.map((v) => `${v.service}/${v.version}`).sort()).toEqual(['go/v2', 'go/v3', 'go/v4', 'obo/b']);
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);

    const trash = await session.call('trash:list', {});
    expect(trash).toMatchObject([{ plan_id: plan.plan_id, kind: 'prune', status: 'trashed', files: 6, bytes: 6 + 220 + 6 + 220 + 5 + 5 }]);
    expect(trash[0]!.rows).toMatchObject({ versions: 2, extracted_files: 3, artifacts: 1 });
    // Its size on disk counts each inode once, as a walk of the entry by inode does (du's way).
    expect(trash[0]!.disk_bytes).toBe(bytesByInode(path.join(root, `.trash/${plan.plan_id}/files`)));
    expect(trash[0]!.disk_bytes).toBe(220 + 6 + 6 + 5);
    // The event's files and bytes describe the same files (it paired the moved files, objects
    // included, with the catalogued bytes of the data files alone).
    const event = (await session.call('events:list', { type: 'prune.applied' })).items[0]!.payload;
    expect(event).toMatchObject({ files: trash[0]!.files, bytes: trash[0]!.bytes });

    await expect(session.call('prune:apply', { plan_id: plan.plan_id })).rejects.toThrow(/already applied/);

    const restored = await session.call('trash:restore', { plan_id: plan.plan_id });
    expect(restored.files).toBe(6);
    expect(diskListing(root)).toEqual(diskBefore);
    expect(await catalogDump(session.catalog)).toEqual(rowsBefore);
    expect(await session.call('trash:list', {})).toEqual([]);
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  });

  it('trash restore keeps a content store object a later version stored again, and links the restored files to it', async () => {
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    const object = casRelpath(sha256('only in v1 '.repeat(20)));
    expect(existsSync(path.join(root, object))).toBe(false);
    // After the prune, a new version stores the same content again: the store has the object, v5 links it.
    await addVersion(session.catalog, { service: 'go', version: 'v5', created_at: ago(0), files: { 'again.owl': 'only in v1 '.repeat(20) } });
    const stored = lstatSync(path.join(root, object));

    const restored = await session.call('trash:restore', { plan_id: plan.plan_id });
    expect(restored.already_stored).toBe(1);
    expect(restored.files).toBe(5);
    // The store's object is the one v5 links (never replaced), and go/v1's file is a link of it again.
    expect(lstatSync(path.join(root, object)).ino).toBe(stored.ino);
    expect(lstatSync(path.join(root, 'go/v1/data/only1.owl')).ino).toBe(stored.ino);
    expect(lstatSync(path.join(root, 'go/v5/data/again.owl')).ino).toBe(stored.ino);
    expect(readFileSync(path.join(root, 'go/v1/data/only1.owl'), 'utf8')).toBe('only in v1 '.repeat(20));
    const versions = await session.call('versions:list', {});
    expect(versions.items.map((v) => `${v.service}/${v.version}`).sort()).toEqual(['go/v1', 'go/v2', 'go/v3', 'go/v4', 'go/v5', 'obo/a', 'obo/b']);
    expect(await session.call('trash:list', {})).toEqual([]);
    expect((await session.call('doctor:plan', { deep: true })).findings).toEqual([]);
  });

  it('trash restore refuses while the object stored again no longer matches its hash, naming doctor', async () => {
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    const object = casRelpath(sha256('only in v1 '.repeat(20)));
    mkdirSync(path.dirname(path.join(root, object)), { recursive: true });
    writeFileSync(path.join(root, object), 'rotten');
    await expect(session.call('trash:restore', { plan_id: plan.plan_id })).rejects.toThrow(/holds '\.cas\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}' again, and it no longer matches its hash; run 'ontocat doctor'.*Nothing was restored/);
    expect(readFileSync(path.join(root, `.trash/${plan.plan_id}/files/${object}`), 'utf8')).toBe('only in v1 '.repeat(20));
  });

  it('emptying the trash refuses while it holds the only copy of files a restored catalog backup lists again', async () => {
    const backup = await session.call('backup:create', {});
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    // The catalog as it was before the prune: go/v1 and obo/a are in it again, their files in the trash.
    await session.call('backup:restore', { timestamp: backup.timestamp });
    const only = `.trash/${plan.plan_id}/files/go/v1/data/only1.owl`;
    await expect(session.call('trash:empty', {})).rejects.toThrow(/holds 'go\/v1\/data\/only1\.owl' of go\/v1, which is in the catalog again .*Run 'ontocat doctor', which puts such files back from the trash.* Nothing was deleted/);
    expect(readFileSync(path.join(root, only), 'utf8')).toBe('only in v1 '.repeat(20));
  });

  it('after a catalog backup from before the prune is restored, doctor puts its files back from the trash, and the trash can then be emptied', async () => {
    const diskBefore = diskListing(root);
    const rowsBefore = await catalogDump(session.catalog);
    const backup = await session.call('backup:create', {});
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    await session.call('backup:restore', { timestamp: backup.timestamp });
    await expect(session.call('trash:restore', { plan_id: plan.plan_id })).rejects.toThrow(/go\/v1 is in the catalog again .*'ontocat doctor' puts its files back from this trash/);

    const doctor = await session.call('doctor:plan', {});
    const found: Record<string, number> = {};
    for (const item of doctor.findings) found[`${item.kind}/${item.fix}`] = (found[`${item.kind}/${item.fix}`] ?? 0) + 1;
    // go/v1's own and obo/a's objects come back from the trash; shared.owl's object never left.
    expect(found).toEqual({ 'cas_missing/restore_object': 2, 'missing_file/relink_from_cas': 3, 'missing_archive/restore_from_trash': 1 });
    expect(doctor.findings.filter((item) => item.source?.startsWith(`.trash/${plan.plan_id}/`))).toHaveLength(3);
    await session.call('doctor:apply', { plan_id: doctor.plan_id });
    expect((await session.call('doctor:plan', { deep: true })).findings).toEqual([]);
    expect(await catalogDump(session.catalog)).toEqual(rowsBefore);

    await session.call('trash:empty', {});
    expect(diskListing(root)).toEqual(diskBefore);
  });

  it('doctor does not put back from the trash a copy whose bytes differ from the catalog', async () => {
    const backup = await session.call('backup:create', {});
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    await session.call('backup:restore', { timestamp: backup.timestamp });
    const archive = path.join(root, `.trash/${plan.plan_id}/files/go/v1/archives/go.zip`);
    chmodSync(archive, 0o644);
    writeFileSync(archive, 'zip v2');
    const doctor = await session.call('doctor:plan', {});
    expect(doctor.findings.find((item) => item.kind === 'missing_archive')).toMatchObject({ fix: 'forget_archive', source: null });
  });

  it('trash restore brings back rows saved before a migration added a column', async () => {
    const rowsBefore = await catalogDump(session.catalog);
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    // The file rows as a trash written before 0006_sniffed_format saved them: without the column.
    const saved = trashRowsPath(root, plan.plan_id, 'extracted_files');
    const older = `${saved}.older.parquet`;
    await session.catalog.write((tx) => tx.run(`COPY (SELECT * EXCLUDE (sniffed_format) FROM read_parquet('${saved}')) TO '${older}' (FORMAT parquet)`));
    renameSync(older, saved);

    await session.call('trash:restore', { plan_id: plan.plan_id });
    expect(await catalogDump(session.catalog)).toEqual(rowsBefore);
  });

  it('refuses a stale plan, and a large plan without --allow-large', async () => {
    const plan = await session.call('prune:plan', { keep_last: 1, newer_than_days: 25 });
    writeFileSync(path.join(root, 'go/v1/data/only1.owl'), 'changed!');
    const error = await session.call('prune:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect(existsSync(path.join(root, 'go/v1/data/shared.owl'))).toBe(true);

    await addVersion(session.catalog, { service: 'go', version: 'v0', created_at: ago(60), files: { 'huge.owl': 'h'.repeat(5000) } });
    const large = await session.call('prune:plan', { keep_last: 0 });
    expect(large.large).toBe(true);
    expect(large.bytes * 2).toBeGreaterThan(large.catalog_bytes);
    const refused = await session.call('prune:apply', { plan_id: large.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(refused, 'LIMIT_EXCEEDED')).toBe(true);
    expect((refused as Error).message).toMatch(/--allow-large/);
    const allowed = await session.call('prune:plan', { keep_last: 0, allow_large: true });
    await session.call('prune:apply', { plan_id: allowed.plan_id });
    const left = (await session.call('versions:list', {})).items.map((v) => `${v.service}/${v.version}`).sort();
    expect(left).toEqual(['go/v2', 'go/v4', 'obo/b']);
  });

  it('--orphans-only trashes files and objects no row uses, nothing else', async () => {
    writeFileSync(path.join(root, 'go/v4/data/stray.txt'), 'stray');
    const object = casRelpath(sha256('nobody'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(path.join(root, object)), { recursive: true });
    writeFileSync(path.join(root, object), 'nobody');
    const plan = await session.call('prune:plan', { orphans_only: true });
    expect(plan.removals).toEqual([]);
    expect(plan.files.map((f) => `${f.what}:${f.path}`).sort()).toEqual([`cas:${object}`, 'orphan:go/v4/data/stray.txt']);
    await session.call('prune:apply', { plan_id: plan.plan_id });
    expect(existsSync(path.join(root, 'go/v4/data/stray.txt'))).toBe(false);
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
    const emptied = await session.call('trash:empty', { older_than_days: 1 });
    expect(emptied.removed).toEqual([]);
    expect((await session.call('trash:empty', {})).removed).toEqual([plan.plan_id]);
    expect(existsSync(path.join(root, '.trash', plan.plan_id))).toBe(false);
  });
});
