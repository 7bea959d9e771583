import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../../electron/handlers/session.js';
import type { DoctorPlan } from '../../../electron/shared/contract/housekeeping.js';
import type { WhereResult } from '../../../electron/shared/contract/ingest.js';
import type { StoreMigrationPlan, StoreMigrationResult } from '../../../electron/shared/contract/store.js';
import { casRelpath, legacyCasRelpath } from '../../../electron/storage/layout.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// Issue 14: stores made with two levels of fan-out (ab/cd/<sha>) move to one (ab/<sha>)
// with plan → preview → apply, resumable after kill -9, doctor clean after.

/** Several migration steps of STEP objects, so a kill lands between steps. */
const FILES = 60;
const STEP = { ONTOCAT_MIGRATE_STEP: '25' };

let root: string;
let source: string;
let cleanups: (() => void)[] = [];

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

beforeEach(() => {
  const made = makeTempRoot('ontocat-migrate-store');
  const src = makeTempRoot('ontocat-migrate-store-src');
  root = made.root;
  source = src.root;
  cleanups = [made.cleanup, src.cleanup];
  for (let i = 0; i < FILES; i += 1) {
    const dir = path.join(source, `part${i % 7}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `f${i}.nt`), `<http://example.org/s${i}> <http://example.org/p> "file ${i}" .\n`);
  }
  // Two files with one content: one store object, two links.
  writeFileSync(path.join(source, 'same-a.nt'), '<http://example.org/same> <http://example.org/p> "x" .\n');
  writeFileSync(path.join(source, 'same-b.nt'), '<http://example.org/same> <http://example.org/p> "x" .\n');
});
afterEach(() => { for (const cleanup of cleanups) cleanup(); });

const abs = (relpath: string): string => path.join(root, ...relpath.split('/'));

/** Turns the root's store into the two-level layout older Ontocat wrote: objects and rows. */
async function makeLegacyStore(): Promise<number> {
  const session = await openSession({ actor: 'test', root });
  try {
    const shas = (await session.catalog.read((conn) => conn.all<{ sha256: string }>('SELECT DISTINCT sha256 FROM extracted_files'))).map((row) => row.sha256);
    for (const sha of shas) {
      mkdirSync(path.dirname(abs(legacyCasRelpath(sha))), { recursive: true });
      renameSync(abs(casRelpath(sha)), abs(legacyCasRelpath(sha)));
    }
    await session.catalog.write((tx) => tx.run(`UPDATE extracted_files SET cas_relpath = '.cas/sha256/' || sha256[1:2] || '/' || sha256[3:4] || '/' || sha256`));
    return shas.length;
  } finally {
    await session.close();
  }
}

/** Every catalogued file, hashed from the disk by a walk of its own, and where its store object is. */
async function independentCheck(): Promise<{ files: number; wrong: string[]; layouts: Set<string> }> {
  const session = await openSession({ actor: 'test', root });
  try {
    const rows = await session.catalog.read((conn) => conn.all<{ path: string; sha256: string; cas_relpath: string }>(
      `SELECT f.service || '/' || v.version || '/data/' || f.relpath AS path, f.sha256, f.cas_relpath FROM extracted_files f JOIN versions v USING (version_id)`));
    const wrong: string[] = [];
    const layouts = new Set<string>();
    for (const row of rows) {
      const data = readFileSync(abs(row.path));
      if (sha256(data) !== row.sha256) wrong.push(row.path);
      const object = lstatSync(abs(row.cas_relpath), { throwIfNoEntry: false });
      if (!object || object.ino !== lstatSync(abs(row.path)).ino) wrong.push(`${row.path} (store object ${row.cas_relpath})`);
      layouts.add(row.cas_relpath === casRelpath(row.sha256) ? 'one-level' : row.cas_relpath === legacyCasRelpath(row.sha256) ? 'two-level' : 'other');
    }
    return { files: rows.length, wrong, layouts };
  } finally {
    await session.close();
  }
}

describe('migrate-store', () => {
  it('moves a two-level store to one level, resumably after kill -9, and doctor is clean after', async () => {
    expect(runOntocat(['ingest', source, '--service', 'go', '--version', 'v1', '--json'], { root }).code).toBe(0);
    const objects = await makeLegacyStore();
    expect(objects).toBe(FILES + 1);
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);

    // A second version while the store is still two-level: known content is found where it is, not stored twice.
    writeFileSync(path.join(source, 'new.nt'), '<http://example.org/new> <http://example.org/p> "new" .\n');
    expect(runOntocat(['ingest', source, '--service', 'go', '--version', 'v2', '--json'], { root }).code).toBe(0);
    const known = sha256(readFileSync(path.join(source, 'part0', 'f0.nt')));
    expect(existsSync(abs(casRelpath(known)))).toBe(false);
    expect(lstatSync(abs(legacyCasRelpath(known))).nlink).toBe(3); // the object and both versions
    const fresh = sha256(readFileSync(path.join(source, 'new.nt')));
    expect(existsSync(abs(casRelpath(fresh)))).toBe(true);

    // Preview: nothing moves.
    const planned = runOntocat(['migrate-store'], { root });
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(/\.cas\/sha256\/([0-9a-f]{2})\/[0-9a-f]{2}\/([0-9a-f]{64}) +\.cas\/sha256\/\1\/\2/);
    expect(planned.stdout).toContain(`${objects} objects`);
    const plan = runOntocat(['migrate-store', '--json'], { root }).json<StoreMigrationPlan>();
    expect(plan).toMatchObject({ objects, rows: 2 * (FILES + 2), already_one_level: 1 });
    expect(existsSync(abs(legacyCasRelpath(known)))).toBe(true);

    // Killed after the first step's links, before its commit; then after a commit, before the old names go.
    for (const point of ['migrate-store:after-links', 'migrate-store:after-commit']) {
      const killed = runOntocat(['migrate-store', '--apply', plan.plan_id, '--json'], { root, env: { ...STEP, ONTOCAT_CRASH_AT: point } });
      expect(killed.code, `${point}: ${killed.stderr}`).toBe(-1);
      // Readers find every object meanwhile, whichever name it has.
      const where = runOntocat(['where', known, '--json'], { root }).json<WhereResult>();
      expect(where.in_store).toBe(true);
      const check = await independentCheck();
      expect(check.wrong).toEqual([]);
    }

    const applied = runOntocat(['migrate-store', '--apply', plan.plan_id, '--json'], { root, env: STEP });
    expect(applied.code, applied.stderr).toBe(0);
    const result = applied.json<StoreMigrationResult>();
    expect(result).toMatchObject({ objects, missing: 0, left_in_place: 0, rows_left: 0 });
    expect(result.moved + result.already_moved).toBe(objects);

    const after = await independentCheck();
    expect(after).toEqual({ files: 2 * (FILES + 2) + 1, wrong: [], layouts: new Set(['one-level']) });
    // No two-level folder is left, and doctor agrees with the disk.
    for (const top of readdirSync(abs('.cas/sha256'))) {
      expect(readdirSync(abs(`.cas/sha256/${top}`)).every((name) => /^[0-9a-f]{64}$/.test(name))).toBe(true);
    }
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);
    // A plan applies once; a new plan finds nothing to move.
    expect(runOntocat(['migrate-store', '--apply', plan.plan_id], { root }).code).toBe(1);
    expect(runOntocat(['migrate-store', '--json'], { root }).json<StoreMigrationPlan>()).toMatchObject({ objects: 0, already_one_level: objects + 1 });
  }, 600_000);

  it('keeps the catalog on the old name of an object whose new name holds a cut-short file, and doctor trashes only that file', async () => {
    expect(runOntocat(['ingest', source, '--service', 'go', '--version', 'v1', '--json'], { root }).code).toBe(0);
    const objects = await makeLegacyStore();
    const object = sha256(readFileSync(path.join(source, 'part0', 'f0.nt')));
    // A cut-short copy under the new name (a copy by hand or a sync tool that stopped, bitrot).
    const cut = readFileSync(abs(legacyCasRelpath(object))).subarray(0, 20);
    mkdirSync(path.dirname(abs(casRelpath(object))), { recursive: true });
    writeFileSync(abs(casRelpath(object)), cut);
    const sha256sum = (relpath: string): string => spawnSync('sha256sum', [relpath], { cwd: root, encoding: 'utf8' }).stdout.split(' ')[0]!;
    expect(sha256sum(casRelpath(object))).not.toBe(object);
    expect(sha256sum(legacyCasRelpath(object))).toBe(object);

    const plan = runOntocat(['migrate-store', '--json'], { root }).json<StoreMigrationPlan>();
    const applied = runOntocat(['migrate-store', '--apply', plan.plan_id, '--json'], { root });
    expect(applied.code, applied.stderr).toBe(0);
    // Every row's store object is the version file's inode, and holds its bytes (coreutils sha256sum).
    const check = await independentCheck();
    expect(check.wrong).toEqual([]);
    expect(sha256sum(legacyCasRelpath(object))).toBe(object);
    expect(applied.json<StoreMigrationResult>()).toMatchObject({ objects, moved: objects - 1, foreign_new_copies: 1, left_in_place: 0, rows_left: 1 });

    // Doctor moves the cut-short file to the trash, never the object; the next migration finishes.
    const doctor = runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>();
    expect(doctor.findings.map((item) => item.path)).toEqual([casRelpath(object)]);
    expect(runOntocat(['doctor', '--apply', doctor.plan_id], { root }).code).toBe(0);
    const again = runOntocat(['migrate-store', '--json'], { root }).json<StoreMigrationPlan>();
    expect(runOntocat(['migrate-store', '--apply', again.plan_id, '--json'], { root }).json<StoreMigrationResult>()).toMatchObject({ moved: 1, rows_left: 0 });
    expect(await independentCheck()).toMatchObject({ wrong: [], layouts: new Set(['one-level']) });
    expect(sha256sum(casRelpath(object))).toBe(object);
    expect(runOntocat(['doctor', '--json'], { root }).json<DoctorPlan>().findings).toEqual([]);
  }, 600_000);
});
