import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { TEMP_SUFFIX } from '../../../electron/storage/atomic-write.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { addVersion, catalogDump, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let cleanup: () => void;
let session: Session;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-doctor'));
  session = await openSession({ actor: 'test', root });
});
afterEach(async () => {
  await session.close();
  cleanup();
});

const abs = (relpath: string): string => path.join(root, relpath);

describe('doctor', () => {
  it('reports nothing on a healthy root', async () => {
    await addVersion(session.catalog, { service: 'go', version: 'v1', files: { 'a.txt': 'alpha', 'd/b.txt': 'beta' }, latest: true, archive: { name: 'go.zip', content: 'zip' } });
    // What DuckDB spills while the catalog is open is not a leftover to delete.
    mkdirSync(abs('.tmp/duckdb'), { recursive: true });
    writeFileSync(abs('.tmp/duckdb/duckdb_temp_storage_S32K-0.tmp'), 'spilled');
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings).toEqual([]);
    expect(plan.scanned_files).toBeGreaterThanOrEqual(5);
    expect(plan.plan_id).toMatch(/^doctor-/);
  });

  it('names a stray whose name no catalog path can hold, leaves it, and scans the rest (prune --orphans-only too)', async () => {
    await addVersion(session.catalog, { service: 'go', version: 'v1', files: { 'a.txt': 'alpha' }, latest: true });
    writeFileSync(abs('go/v1/data/notes\\draft.txt'), 'mine');
    writeFileSync(abs('go/v1/data/stray.txt'), 'stray');
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => `${f.path} ${f.kind}/${f.fix}`).sort()).toEqual(['go/v1/data/notes\\draft.txt orphan/leave', 'go/v1/data/stray.txt orphan/trash']);
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(readFileSync(abs('go/v1/data/notes\\draft.txt'), 'utf8')).toBe('mine');
    const orphans = await session.call('prune:plan', { orphans_only: true });
    expect(orphans.files.map((f) => f.path)).toEqual([]);
  });

  it('finds every kind of drift made on disk, fixes it on apply, and is clean afterwards', async () => {
    const catalog = session.catalog;
    await addVersion(catalog, { service: 'go', version: 'v1', files: { 'keep.txt': 'keep', 'gone.txt': 'relinkable', 'lost.txt': 'lost forever' }, created_at: '2026-01-01' });
    await addVersion(catalog, {
      service: 'go', version: 'v2', latest: true, created_at: '2026-02-01', archive: { name: 'go.zip', content: 'zipbytes' },
      files: { 'keep.txt': 'keep', 'shared-edit.txt': 'hardlinked original', 'copy-edit.txt': 'copy original', 'touched.txt': 'touched', 'rot.txt': 'rotten!', 'noobj.txt': 'object gone' },
      copies: ['copy-edit.txt', 'rot.txt'],
    });

    // 1 missing rows' files: one with its object still there, one with nothing left.
    unlinkSync(abs('go/v1/data/gone.txt'));
    unlinkSync(abs('go/v1/data/lost.txt'));
    unlinkSync(abs(casRelpath(sha256('lost forever'))));
    // 1b missing archive
    unlinkSync(abs('go/v2/archives/go.zip'));
    // 2 orphans
    writeFileSync(abs('go/v2/data/stray.txt'), 'nobody knows me');
    mkdirSync(abs('obo/x1/data'), { recursive: true });
    writeFileSync(abs('obo/x1/data/z.owl'), 'orphan version');
    // 3 LATEST.json naming the wrong version, and one for a service with no pointer
    writeFileSync(abs('go/LATEST.json'), JSON.stringify({ service: 'go', version: 'v1', updated_at: 'x', by: 'hand' }));
    writeFileSync(abs('obo/LATEST.json'), JSON.stringify({ service: 'obo', version: 'x1', updated_at: 'x', by: 'hand' }));
    // 4 leftovers of interrupted writes
    writeFileSync(abs(`go/v2/data/.half.owl.0a1b2c3d4e5f${TEMP_SUFFIX}`), 'half');
    // A curator's own file that merely ends like a temp file is theirs: trashed, never deleted.
    writeFileSync(abs(`go/v2/data/notes${TEMP_SUFFIX}`), 'my notes');
    mkdirSync(abs('.tmp/extract-1'), { recursive: true });
    writeFileSync(abs('.tmp/extract-1/part'), 'partial');
    // 5 content store: missing object (data file still good), unreferenced object, in-place edits
    unlinkSync(abs(casRelpath(sha256('object gone'))));
    const strayObject = casRelpath(sha256('stray object'));
    mkdirSync(path.dirname(abs(strayObject)), { recursive: true });
    writeFileSync(abs(strayObject), 'stray object');
    const sharedIno = lstatSync(abs('go/v2/data/shared-edit.txt')).ino;
    expect(lstatSync(abs(casRelpath(sha256('hardlinked original')))).ino).toBe(sharedIno);
    appendFileSync(abs('go/v2/data/shared-edit.txt'), ' EDITED');
    appendFileSync(abs('go/v2/data/copy-edit.txt'), ' EDITED');
    const later = new Date(Date.now() + 60_000);
    utimesSync(abs('go/v2/data/touched.txt'), later, later);
    // 6 a copy in place of the link, then changed with size and mtime kept: only its single
    //   link gives it away (a lone copy is hashed without --deep; true bit rot of a linked file
    //   needs --deep, apply-preconditions.test.ts)
    const rot = lstatSync(abs('go/v2/data/rot.txt'));
    writeFileSync(abs('go/v2/data/rot.txt'), 'rotten?');
    utimesSync(abs('go/v2/data/rot.txt'), rot.atime, rot.mtime);

    const shallow = await session.call('doctor:plan', {});
    expect(shallow.findings.some((f) => f.kind === 'bitrot')).toBe(false);
    expect(shallow.findings.find((f) => f.path === 'go/v2/data/rot.txt')).toMatchObject({
      kind: 'content_modified', fix: 'restore_from_cas', detail: expect.stringMatching(/replaced by a different copy \(no longer a hard link/),
    });

    const plan = await session.call('doctor:plan', { deep: true });
    const byPath = Object.fromEntries(plan.findings.map((f) => [f.path, `${f.kind}/${f.fix}`]));
    expect(byPath).toEqual({
      'go/v1/data/gone.txt': 'missing_file/relink_from_cas',
      'go/v1/data/lost.txt': 'missing_file/mark_damaged',
      'go/v2/archives/go.zip': 'missing_archive/forget_archive',
      'go/v2/data/stray.txt': 'orphan/trash',
      'obo/x1/data/z.owl': 'orphan/trash',
      'go/LATEST.json': 'latest_mismatch/rewrite_latest',
      'obo/LATEST.json': 'latest_mismatch/trash',
      [`go/v2/data/.half.owl.0a1b2c3d4e5f${TEMP_SUFFIX}`]: 'temp_leftover/remove',
      [`go/v2/data/notes${TEMP_SUFFIX}`]: 'orphan/trash',
      '.tmp/extract-1/part': 'temp_leftover/remove',
      [casRelpath(sha256('object gone'))]: 'cas_missing/restore_object',
      [strayObject]: 'cas_unreferenced/trash',
      [casRelpath(sha256('hardlinked original'))]: 'cas_corrupt/trash',
      'go/v2/data/shared-edit.txt': 'content_modified/quarantine',
      'go/v2/data/copy-edit.txt': 'content_modified/restore_from_cas',
      'go/v2/data/touched.txt': 'mtime_drift/update_row',
      'go/v2/data/rot.txt': 'content_modified/restore_from_cas',
    });
    for (const item of plan.findings) {
      expect(typeof item.bytes).toBe('number');
      expect(item.detail.length).toBeGreaterThan(10);
    }
    expect(plan.findings.find((f) => f.path === 'go/v2/data/stray.txt')!.bytes).toBe(15);

    const stored = await session.call('plans:get', { plan_id: plan.plan_id });
    expect(stored.applied_at).toBeNull();

    const applied = await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(applied.trash).toBe(`.trash/${plan.plan_id}`);

    // Fixed on disk: relinked, rebuilt, restored, trashed, removed, rewritten.
    expect(readFileSync(abs('go/v1/data/gone.txt'), 'utf8')).toBe('relinkable');
    expect(readFileSync(abs(casRelpath(sha256('object gone'))), 'utf8')).toBe('object gone');
    expect(readFileSync(abs('go/v2/data/copy-edit.txt'), 'utf8')).toBe('copy original');
    expect(readFileSync(abs('go/v2/data/rot.txt'), 'utf8')).toBe('rotten!');
    expect(existsSync(abs('go/v2/data/stray.txt'))).toBe(false);
    expect(readFileSync(abs(`.trash/${plan.plan_id}/files/go/v2/data/stray.txt`), 'utf8')).toBe('nobody knows me');
    expect(readFileSync(abs(`.trash/${plan.plan_id}/files/go/v2/data/shared-edit.txt`), 'utf8')).toBe('hardlinked original EDITED');
    expect(existsSync(abs('.tmp/extract-1/part'))).toBe(false);
    expect(JSON.parse(readFileSync(abs('go/LATEST.json'), 'utf8')).version).toBe('v2');
    expect(existsSync(abs('obo/LATEST.json'))).toBe(false);

    // Fixed in the catalog: damage recorded, archive path cleared, mtime updated.
    const dump = await catalogDump(session.catalog);
    expect((dump.damage as { relpath: string; kind: string }[]).map((d) => `${d.relpath}:${d.kind}`).sort())
      .toEqual(['lost.txt:missing_file', 'shared-edit.txt:content_modified']);
    expect((dump.artifacts as { fs_relpath: string | null }[])[0]!.fs_relpath).toBeNull();

    const again = await session.call('doctor:plan', { deep: true });
    expect(again.findings).toEqual([]);
    expect(again.damaged_versions).toEqual([{ service: 'go', version: 'v1', damaged_files: 1 }, { service: 'go', version: 'v2', damaged_files: 1 }]);

    // A plan applies once.
    await expect(session.call('doctor:apply', { plan_id: plan.plan_id })).rejects.toThrow(/already applied/);
    const events = await session.call('events:list', { type: 'doctor.applied' });
    expect(events.items).toHaveLength(1);
  });

  it('refuses a stale plan when the disk or the catalog changed since', async () => {
    await addVersion(session.catalog, { service: 'go', version: 'v1', files: { 'a.txt': 'alpha' }, latest: true });
    writeFileSync(abs('go/v1/data/orphan.txt'), 'one');
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings).toHaveLength(1);
    writeFileSync(abs('go/v1/data/orphan.txt'), 'one plus more');
    const error = await session.call('doctor:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/^Plan doctor-\S+ is stale: go\/v1\/data\/orphan.txt changed since the plan was made/);
    expect(existsSync(abs('go/v1/data/orphan.txt'))).toBe(true);

    const fresh = await session.call('doctor:plan', {});
    await addVersion(session.catalog, { service: 'go', version: 'v2', files: { 'b.txt': 'beta' } });
    await expect(session.call('doctor:apply', { plan_id: fresh.plan_id })).rejects.toThrow(/catalog changed/);
    rmSync(abs('go/v1/data/orphan.txt'));
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  });
});
