import { readMigrationFiles } from '../../../electron/catalog/migrations.js';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { addVersion, catalogDump, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-backup'));
  session = await openSession({ actor: 'test', root });
  await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.owl': 'a', 'b.owl': 'b' } });
  await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.owl': 'a2' } });
});
afterEach(async () => {
  await session.close();
  cleanup();
});

describe('backup and restore', () => {
  it('backs up with a checksum manifest, and restores the catalog exactly (reporting what differs)', async () => {
    const dumpBefore = await catalogDump(session.catalog);
    const backup = await session.call('backup:create', {});
    expect(backup.path).toBe(`.backups/${backup.timestamp}`);
    const file = path.join(root, backup.path, 'catalog.duckdb');
    expect(sha256(readFileSync(file))).toBe(backup.sha256);
    expect(backup).toMatchObject({ versions: 2, files: 3 });
    expect((await session.call('backup:list', {})).map((b) => b.timestamp)).toEqual([backup.timestamp]);

    // Prune v1 away, then restore the backup: rows come back, the disk now lacks v1's files.
    const plan = await session.call('prune:plan', { keep_last: 1 });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    expect((await session.call('catalog:info', {})).versions).toBe(1);

    const restored = await session.call('backup:restore', { timestamp: backup.timestamp });
    expect(restored.before).toEqual({ versions: 1, files: 1 });
    expect(restored.after).toEqual({ versions: 2, files: 3 });
    expect(restored.doctor.kinds).toMatchObject({ missing_file: 2 });
    expect(existsSync(path.join(root, '.backups', restored.safety_backup!, 'catalog.duckdb'))).toBe(true);
    const dumpAfter = await catalogDump(session.catalog);
    expect(dumpAfter.versions).toEqual(dumpBefore.versions);
    expect(dumpAfter.files).toEqual(dumpBefore.files);
    // The session keeps working on the swapped-in file, reads and writes alike.
    expect((await session.call('versions:list', {})).total).toBe(2);
    await session.call('versions:pin', { ref: 'go/v1', pinned: true });
    expect((await session.call('events:list', { type: 'backup.restored' })).total).toBe(1);
  });

  it('refuses a corrupted backup and changes nothing', async () => {
    const backup = await session.call('backup:create', {});
    appendFileSync(path.join(root, backup.path, 'catalog.duckdb'), 'garbage');
    const before = await catalogDump(session.catalog);
    await expect(session.call('backup:restore', { timestamp: backup.timestamp })).rejects.toThrow(/corrupted.*checksum.*Nothing was changed/);
    expect(await catalogDump(session.catalog)).toEqual(before);
    await expect(session.call('backup:restore', { timestamp: '20200101T000000000Z' })).rejects.toThrow(/No backup/);
  });

  it('compacts into a fresh file and reports the bytes reclaimed', async () => {
    // A big fs listing, then cleared: DuckDB keeps the freed blocks in its file.
    await session.catalog.write((tx) => tx.run(
      "INSERT INTO staging_fs_listing SELECT 'root', 'svc/v/data/' || md5(range::VARCHAR), range, now()::TIMESTAMP FROM range(300000)"));
    await session.catalog.exclusive((conn) => conn.run('CHECKPOINT'));
    await session.catalog.write((tx) => tx.run('DELETE FROM staging_fs_listing'));
    const before = await catalogDump(session.catalog);
    const result = await session.call('catalog:compact', {});
    expect(result.bytes_before).toBeGreaterThan(0);
    expect(result.bytes_after).toBe(statSync(path.join(root, 'catalog.duckdb')).size);
    expect(result.bytes_reclaimed).toBe(Math.max(0, result.bytes_before - result.bytes_after));
    expect(result.bytes_after).toBeLessThan(result.bytes_before);
    expect(await catalogDump(session.catalog)).toEqual(before);
    expect((await session.call('catalog:info', {})).schema_version).toBe(readMigrationFiles().length);
  });
});
