// Issue 18, "compare device and inode with what the catalog recorded": the catalog records
// the root and each version's data folder (migration 0012), and prune apply, doctor apply
// and trash restore/empty refuse a folder that is no longer the recorded one. Real files, a
// real catalog, real renames and symlinks; a foreign device (a mount point needs privileges)
// is stood in only through `deviceProbe`, and the tests that do so say it in their names.
import {
  cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync, type Stats,
} from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { describeFinding } from '../../../electron/shared/finding-words.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { deviceProbe } from '../../../electron/storage/safe-path.js';
import { addVersion, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let root: string;
let outside: string;
let cleanup: () => void;
let cleanupOutside: () => void;
let session: Session;
const realLstat = deviceProbe.lstat;
/** Several plans and applies on a real catalog each; the shared machine can run at load 20. */
const SLOW = 240_000;

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-folder-identity'));
  ({ root: outside, cleanup: cleanupOutside } = makeTempRoot('ontocat-folder-outside'));
  session = await openSession({ actor: 'test', root });
});
afterEach(async () => {
  deviceProbe.lstat = realLstat;
  await session.close();
  cleanup();
  cleanupOutside();
});

const abs = (relpath: string): string => path.join(root, relpath);

async function recorded(relpath: string): Promise<{ dev: string; ino: string; role: string; recorded_by: string } | null> {
  return session.catalog.read((conn) => conn.one('SELECT dev, ino, role, recorded_by FROM folder_identity WHERE relpath = $1', [relpath]));
}

function identityOf(relpath: string): { dev: string; ino: string } {
  const stat = relpath === '' ? statSync(root) : lstatSync(abs(relpath));
  return { dev: String(stat.dev), ino: String(stat.ino) };
}

/** Two versions of `go`, v2 the latest: a keep-last-1 prune removes v1. */
async function twoVersions(): Promise<void> {
  await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.txt': 'alpha one', 'sub/b.txt': 'beta one' } });
  await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.txt': 'alpha two', 'sub/b.txt': 'beta two' } });
}

/**
 * Swaps `relpath` (a folder) for another real folder holding copies of the same files with
 * the same sizes and mtimes: what a path, size and mtime check cannot tell apart. The
 * original goes to `outside` and is returned.
 */
function swapForLookalike(relpath: string): string {
  const aside = path.join(outside, `aside-${path.basename(relpath)}-${Date.now()}`);
  renameSync(abs(relpath), aside);
  cpSync(aside, abs(relpath), { recursive: true, preserveTimestamps: true });
  return aside;
}

describe('folder identity (device and inode recorded in the catalog)', { timeout: SLOW }, () => {
  it('records the root when the catalog opens and each version data folder when its files are recorded', async () => {
    expect(await recorded('')).toMatchObject({ ...identityOf(''), role: 'root', recorded_by: 'init' });
    await twoVersions();
    expect(await recorded('go/v1/data')).toMatchObject({ ...identityOf('go/v1/data'), role: 'version_data', recorded_by: 'ingest' });
    expect(await recorded('go/v2/data')).toMatchObject(identityOf('go/v2/data'));
    // Reopening the same root records nothing new and warns of nothing.
    await session.close();
    session = await openSession({ actor: 'test', root });
    expect(await recorded('')).toMatchObject({ ...identityOf(''), recorded_by: 'init' });
    expect((await session.call('events:list', { type: 'root.identity_changed' })).items).toEqual([]);
  });

  it('prune apply refuses a version folder swapped for a look-alike real folder, naming it; nothing moves', async () => {
    await twoVersions();
    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    expect(plan.removals.map((v) => v.version)).toEqual(['v1']);
    const aside = swapForLookalike('go/v1/data');

    const error = await session.call('prune:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/^Plan prune-\S+ is stale: go\/v1\/data is not the folder the catalog recorded: it was replaced by another folder \(recorded device \d+, inode \d+, now device \d+, inode \d+\)/);
    // Nothing moved, v1 is still listed, both folders keep their files.
    expect(readFileSync(abs('go/v1/data/a.txt'), 'utf8')).toBe('alpha one');
    expect(readFileSync(path.join(aside, 'a.txt'), 'utf8')).toBe('alpha one');
    expect(existsSync(abs(`.trash/${plan.plan_id}`))).toBe(false);
    expect((await session.call('versions:list', {})).items.map((v) => v.version).sort()).toEqual(['v1', 'v2']);

    // Doctor names it in plain words and records the folder as it is now; its copies are
    // linked to the content store again. Then the same prune goes through.
    const doctor = await session.call('doctor:plan', {});
    const byPath = Object.fromEntries(doctor.findings.map((f) => [f.path, `${f.kind}/${f.fix}`]));
    expect(byPath).toEqual({
      'go/v1/data': 'folder_replaced/record_folder',
      'go/v1/data/a.txt': 'link_broken/relink_copy',
      'go/v1/data/sub/b.txt': 'link_broken/relink_copy',
    });
    expect(describeFinding('folder_replaced', 'record_folder')).toBe('version folder replaced by another folder — record the folder as it is now (its files are checked one by one)');
    await session.call('doctor:apply', { plan_id: doctor.plan_id });
    expect(await recorded('go/v1/data')).toMatchObject({ ...identityOf('go/v1/data'), recorded_by: 'doctor' });
    const again = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    await session.call('prune:apply', { plan_id: again.plan_id });
    expect(existsSync(abs('go/v1/data/a.txt'))).toBe(false);
    expect(await recorded('go/v1/data')).toBeNull();
  });

  it('prune apply refuses a version folder swapped for a symlink to a real folder outside the root; the outside files stay', async () => {
    await twoVersions();
    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    const aside = swapForLookalike('go/v1/data');
    rmSync(abs('go/v1/data'), { recursive: true });
    symlinkSync(aside, abs('go/v1/data'));

    const error = await session.call('prune:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/is stale: go\/v1\/data is now a symbolic link, not the folder the catalog recorded/);
    expect(readFileSync(path.join(aside, 'a.txt'), 'utf8')).toBe('alpha one');
    expect(lstatSync(abs('go/v1/data')).isSymbolicLink()).toBe(true);
  });

  it('prune apply refuses a version folder that is now a mount point (foreign device simulated through deviceProbe)', async () => {
    await twoVersions();
    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    const mount = abs('go/v1/data');
    deviceProbe.lstat = (p: string): Stats | undefined => {
      const stat = realLstat(p);
      if (!stat || (p !== mount && !p.startsWith(`${mount}${path.sep}`))) return stat;
      return Object.assign(Object.create(Object.getPrototypeOf(stat) as object) as Stats, stat, { dev: stat.dev + 1 });
    };
    const error = await session.call('prune:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/is stale: go\/v1\/data is now a mount point \(another file system\), not the folder the catalog recorded/);
    expect(readFileSync(abs('go/v1/data/a.txt'), 'utf8')).toBe('alpha one');
    deviceProbe.lstat = realLstat;
    await session.call('prune:apply', { plan_id: plan.plan_id });
    expect(existsSync(abs('go/v1/data/a.txt'))).toBe(false);
  });

  it('doctor apply refuses when a version folder it acts in was swapped after the plan; nothing moves', async () => {
    await twoVersions();
    writeFileSync(abs('go/v1/data/stray.txt'), 'a stray');
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => `${f.path}:${f.kind}`)).toEqual(['go/v1/data/stray.txt:orphan']);
    const aside = swapForLookalike('go/v1/data');

    const error = await session.call('doctor:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/is stale: go\/v1\/data is not the folder the catalog recorded: it was replaced by another folder/);
    expect(readFileSync(abs('go/v1/data/stray.txt'), 'utf8')).toBe('a stray');
    expect(readFileSync(path.join(aside, 'stray.txt'), 'utf8')).toBe('a stray');
    expect(existsSync(abs(`.trash/${plan.plan_id}`))).toBe(false);
  });

  it('trash restore refuses to put files back into a version folder swapped since; nothing is restored', async () => {
    await twoVersions();
    writeFileSync(abs('go/v1/data/stray.txt'), 'a stray');
    const plan = await session.call('doctor:plan', {});
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(existsSync(abs('go/v1/data/stray.txt'))).toBe(false);
    swapForLookalike('go/v1/data');

    const error = await session.call('trash:restore', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/^Cannot restore doctor-\S+: go\/v1\/data is not the folder the catalog recorded: it was replaced by another folder .* Nothing was restored\.$/);
    expect(existsSync(abs('go/v1/data/stray.txt'))).toBe(false);
    expect(readFileSync(abs(`.trash/${plan.plan_id}/files/go/v1/data/stray.txt`), 'utf8')).toBe('a stray');
  });

  it('a pruned version comes back with its folder recorded anew; a restore into a folder swapped for a symlink is refused', async () => {
    await twoVersions();
    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    const before = await recorded('go/v1/data');
    await session.call('prune:apply', { plan_id: plan.plan_id });
    expect(await recorded(`.trash/${plan.plan_id}`)).toMatchObject({ ...identityOf(`.trash/${plan.plan_id}`), role: 'trash' });
    // The prune removed the folder; someone puts a link to an outside folder in its place.
    mkdirSync(abs('go/v1'), { recursive: true });
    symlinkSync(outside, abs('go/v1/data'));
    const error = await session.call('trash:restore', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/go\/v1\/data.*symbolic link/);
    unlinkSync(abs('go/v1/data'));

    await session.call('trash:restore', { plan_id: plan.plan_id });
    const after = await recorded('go/v1/data');
    expect(after).toMatchObject({ ...identityOf('go/v1/data'), recorded_by: 'restore' });
    // Recorded anew by the restore, not kept from the ingest (not told by the inode: ext4
    // hands a freed folder's inode to the next folder made, so the new one may have it).
    expect(before).toMatchObject({ recorded_by: 'ingest' });
    expect(await recorded(`.trash/${plan.plan_id}`)).toBeNull();
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  });

  it('trash empty refuses a trash entry folder swapped for another real folder; nothing is deleted', async () => {
    await twoVersions();
    const plan = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    await session.call('prune:apply', { plan_id: plan.plan_id });
    const entry = `.trash/${plan.plan_id}`;
    const aside = swapForLookalike(entry);
    writeFileSync(abs(`${entry}/precious.txt`), 'not trash');

    const error = await session.call('trash:empty', {}).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/^Refused to empty the trash: \.trash\/prune-\S+ is not the folder the catalog recorded: it was replaced by another folder .* Nothing was deleted\.$/);
    expect(readFileSync(abs(`${entry}/precious.txt`), 'utf8')).toBe('not trash');

    // The recorded folder back in its place: it empties.
    rmSync(abs(entry), { recursive: true });
    renameSync(aside, abs(entry));
    expect((await session.call('trash:empty', {})).removed).toEqual([plan.plan_id]);
    expect(await recorded(entry)).toBeNull();
  });

  it('versions recorded before migration 0012 get their folder recorded by doctor (not lazily), and are protected from then on', async () => {
    await twoVersions();
    // A catalog migrated to 0012 has the table but no rows for versions ingested before it.
    await session.catalog.write((tx) => tx.run("DELETE FROM folder_identity WHERE role = 'version_data'"));
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => `${f.path}:${f.kind}/${f.fix}`)).toEqual([
      'go/v1/data:folder_unrecorded/record_folder', 'go/v2/data:folder_unrecorded/record_folder',
    ]);
    expect(describeFinding(plan.findings[0]!.kind, plan.findings[0]!.fix)).toBe('version folder not yet recorded — record the folder as it is now (its files are checked one by one)');
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(await recorded('go/v1/data')).toMatchObject({ ...identityOf('go/v1/data'), recorded_by: 'doctor' });
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);

    const prune = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    swapForLookalike('go/v1/data');
    await expect(session.call('prune:apply', { plan_id: prune.plan_id })).rejects.toThrow(/go\/v1\/data is not the folder the catalog recorded/);
  });

  it('a data folder doctor puts back after it was deleted is recorded anew, so a later prune is not refused', async () => {
    await twoVersions();
    const before = await recorded('go/v1/data');
    rmSync(abs('go/v1/data'), { recursive: true });
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => f.kind)).toEqual(['missing_file', 'missing_file']);
    await session.call('doctor:apply', { plan_id: plan.plan_id });
    const after = await recorded('go/v1/data');
    expect(after).toMatchObject(identityOf('go/v1/data'));
    // The ingest's record to start with; the folder doctor made is the one recorded now (not
    // told by the inode: ext4 hands a freed folder's inode to the next folder made).
    expect(before).toMatchObject({ recorded_by: 'ingest' });
    const prune = await session.call('prune:plan', { keep_last: 1, allow_large: true });
    await session.call('prune:apply', { plan_id: prune.plan_id });
    expect(existsSync(abs('go/v1/data/a.txt'))).toBe(false);
  });
});

describe('a data file that is no longer a hard link of its content store object', { timeout: SLOW }, () => {
  /** Replaces a file by a copy of `content` with the old file's mtime (no size or mtime change when content has the same length). */
  function replaceByCopy(relpath: string, content: string): void {
    const old = lstatSync(abs(relpath));
    unlinkSync(abs(relpath));
    writeFileSync(abs(relpath), content);
    utimesSync(abs(relpath), old.atime, old.mtime);
  }

  it('an identical copy is found without --deep, in plain words, and its link restored after the hash is checked', async () => {
    await twoVersions();
    const object = abs(casRelpath(sha256('alpha one')));
    replaceByCopy('go/v1/data/a.txt', 'alpha one');
    expect(lstatSync(abs('go/v1/data/a.txt')).ino).not.toBe(lstatSync(object).ino);

    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => `${f.path}:${f.kind}/${f.fix}`)).toEqual(['go/v1/data/a.txt:link_broken/relink_copy']);
    expect(plan.findings[0]!.source).toBe(casRelpath(sha256('alpha one')));
    expect(describeFinding('link_broken', 'relink_copy'))
      .toBe('file no longer linked to its content-store copy — check its hash and link it to the content store again (changed bytes go to the trash)');
    const applied = await session.call('doctor:apply', { plan_id: plan.plan_id });
    expect(applied.actions).toEqual({ relink_copy: 1 });
    expect(lstatSync(abs('go/v1/data/a.txt')).ino).toBe(lstatSync(object).ino);
    expect(readFileSync(abs('go/v1/data/a.txt'), 'utf8')).toBe('alpha one');
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  });

  it('a copy edited after the plan is not overwritten: the apply refuses, and the new plan keeps its bytes in the trash', async () => {
    await twoVersions();
    replaceByCopy('go/v1/data/a.txt', 'alpha one');
    const plan = await session.call('doctor:plan', {});
    expect(plan.findings.map((f) => f.kind)).toEqual(['link_broken']);
    // Edited since: same length and mtime, other bytes.
    replaceByCopy('go/v1/data/a.txt', 'ALPHA ONE');
    const error = await session.call('doctor:apply', { plan_id: plan.plan_id }).catch((e: unknown) => e);
    expect(isOntocatError(error, 'STALE_PLAN')).toBe(true);
    expect((error as Error).message).toMatch(/go\/v1\/data\/a\.txt changed since the plan was made \(its hash no longer matches the catalog/);
    expect(readFileSync(abs('go/v1/data/a.txt'), 'utf8')).toBe('ALPHA ONE');

    // Found again without --deep (a lone copy is hashed): its edited bytes go to the trash, the link comes back.
    const fresh = await session.call('doctor:plan', {});
    expect(fresh.findings.map((f) => `${f.path}:${f.kind}/${f.fix}`)).toEqual(['go/v1/data/a.txt:content_modified/restore_from_cas']);
    expect(fresh.findings[0]!.detail).toMatch(/no longer a hard link of its content store object/);
    await session.call('doctor:apply', { plan_id: fresh.plan_id });
    expect(readFileSync(abs(`.trash/${fresh.plan_id}/files/go/v1/data/a.txt`), 'utf8')).toBe('ALPHA ONE');
    expect(lstatSync(abs('go/v1/data/a.txt')).ino).toBe(lstatSync(abs(casRelpath(sha256('alpha one')))).ino);
    expect((await session.call('doctor:plan', {})).findings).toEqual([]);
  });
});
