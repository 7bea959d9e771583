/**
 * Something else in a catalogued file's place: a symbolic link (to the curator's source
 * file, or to a folder) or a folder holding a file of its own. Doctor's plan must apply and
 * leave the version as ingested, checked by coreutils (`sha256sum` of the source tree
 * against the version folder, `find -type l`), with what stood in the way in the trash.
 *
 * Or a file where the version's data folder should be.
 *
 * Before, neither plan could ever apply: the link's plan (trash the link, put the file back)
 * was refused as stale ("exists again": the link itself was taken for the file), and the
 * folder's stopped at the file ("it already exists.."), since the folder's own stray file
 * was planned after it; every new plan was the same, so doctor could not repair the root. A file in the data folder's place stopped doctor's scan,
 * verify and ls on ENOTDIR (ls with a stack trace), and its plan was refused as stale ("no
 * longer a folder"), while ingest --replace failed on a bare ENOTDIR.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256sumWalk } from '../../helpers/hash-files.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let temp: ReturnType<typeof makeTempRoot>;
let root: string;
let source: string;
let data: string;

beforeEach(() => {
  temp = makeTempRoot('ontocat-doctor-in-the-way');
  root = path.join(temp.root, 'catalog');
  source = path.join(temp.root, 'source');
  mkdirSync(path.join(source, 'sub'), { recursive: true });
  for (const name of ['linked.txt', 'to-folder.txt', 'folder.txt', 'kept.txt']) writeFileSync(path.join(source, name), `the bytes of ${name}\n`);
  writeFileSync(path.join(source, 'sub', 'deep.txt'), 'deep\n');
  const ingest = runOntocat(['ingest', source, '--service', 's', '--version', '1'], { root });
  expect(ingest.code, ingest.stderr).toBe(0);
  data = path.join(root, 's', '1', 'data');
});
afterEach(() => temp.cleanup());

/** find's listing of the links under a folder (none when the version is whole). */
function linksUnder(dir: string): string {
  const run = spawnSync('find', ['.', '-type', 'l'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

function doctorPlan(args: readonly string[] = []): { plan_id: string; findings: { kind: string; fix: string; path: string }[] } {
  const plan = runOntocat(['doctor', ...args, '--json'], { root });
  expect(plan.code, plan.stderr).toBe(0);
  return plan.json();
}

describe('doctor, something in a catalogued file\'s place', () => {
  it('puts the files back where a link to the source file, a link to a folder and a folder with a file stood', () => {
    const before = sha256sumWalk(source);
    rmSync(path.join(data, 'linked.txt'));
    symlinkSync(path.join(source, 'linked.txt'), path.join(data, 'linked.txt'));
    rmSync(path.join(data, 'to-folder.txt'));
    symlinkSync('sub', path.join(data, 'to-folder.txt'));
    rmSync(path.join(data, 'folder.txt'));
    mkdirSync(path.join(data, 'folder.txt', 'inner'), { recursive: true });
    writeFileSync(path.join(data, 'folder.txt', 'inner', 'mine.txt'), 'a curator\'s file\n');

    const plan = doctorPlan();
    expect(plan.findings.map((item) => `${item.kind}/${item.fix} ${item.path}`).sort()).toEqual([
      'missing_file/relink_from_cas s/1/data/folder.txt',
      'missing_file/relink_from_cas s/1/data/linked.txt',
      'missing_file/relink_from_cas s/1/data/to-folder.txt',
      'orphan/trash s/1/data/folder.txt/inner/mine.txt',
      'symlink/trash s/1/data/linked.txt',
      'symlink/trash s/1/data/to-folder.txt',
    ]);
    const applied = runOntocat(['doctor', '--apply', plan.plan_id], { root });
    expect(applied.code, applied.stderr).toBe(0);

    // The version is as ingested, by coreutils; no link is left; nothing behind a link was touched.
    expect(sha256sumWalk(data)).toBe(before);
    expect(linksUnder(data)).toBe('');
    expect(readFileSync(path.join(source, 'linked.txt'), 'utf8')).toBe('the bytes of linked.txt\n');
    expect(readFileSync(path.join(data, 'sub', 'deep.txt'), 'utf8')).toBe('deep\n');
    // What stood in the way is in the plan's trash: the links themselves and the curator's file.
    const trash = path.join(root, '.trash', plan.plan_id, 'files', 's', '1', 'data');
    expect(lstatSync(path.join(trash, 'linked.txt')).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(trash, 'to-folder.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(trash, 'folder.txt', 'inner', 'mine.txt'), 'utf8')).toBe('a curator\'s file\n');
    expect(doctorPlan().findings).toEqual([]);
    const verify = runOntocat(['verify', 's/1', '--json'], { root });
    expect(verify.code, verify.stderr).toBe(0);
  }, 120_000);

  it('a file where the data folder should be: verify, ls and ingest --replace say so, doctor puts the folder back', () => {
    const before = sha256sumWalk(source);
    rmSync(data, { recursive: true });
    writeFileSync(data, 'a curator\'s file where the folder was\n');

    // Every file is missing (not a crash on ENOTDIR), listed by verify and by ls.
    const verify = runOntocat(['verify', 's/1', '--json'], { root });
    expect(verify.code, verify.stderr).toBe(1);
    expect(verify.json<{ mismatches: { relpath: string; problem: string }[] }>().mismatches.map((item) => `${item.relpath} ${item.problem}`).sort())
      .toEqual(['folder.txt missing', 'kept.txt missing', 'linked.txt missing', 'sub/deep.txt missing', 'to-folder.txt missing']);
    const ls = runOntocat(['ls', 's/1', '--json'], { root });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.json<{ disk: { state: string } | null }[]>().map((item) => item.disk?.state)).toEqual(Array(5).fill('missing'));
    // Ingesting over it would lose the curator's file: refused, nothing changed.
    const replace = runOntocat(['ingest', source, '--service', 's', '--version', '1', '--replace'], { root });
    expect(replace.code).toBe(1);
    expect(replace.stderr).toMatch(/s\/1\/data is not a folder but a file the catalog does not know.*Nothing was changed\./);
    expect(readFileSync(data, 'utf8')).toBe('a curator\'s file where the folder was\n');

    // The same content ingested again with the file in the way: still refused (only --replace or doctor may move it).
    const again = runOntocat(['ingest', source, '--service', 's', '--version', '1'], { root });
    expect(again.code).toBe(1);
    expect(readFileSync(data, 'utf8')).toBe('a curator\'s file where the folder was\n');

    const plan = doctorPlan();
    expect(plan.findings[0]).toMatchObject({ kind: 'orphan', fix: 'trash', path: 's/1/data' });
    const applied = runOntocat(['doctor', '--apply', plan.plan_id], { root });
    expect(applied.code, applied.stderr).toBe(0);
    expect(sha256sumWalk(data)).toBe(before);
    expect(readFileSync(path.join(root, '.trash', plan.plan_id, 'files', 's', '1', 'data'), 'utf8')).toBe('a curator\'s file where the folder was\n');
    expect(doctorPlan().findings).toEqual([]);
  }, 120_000);

  it('ingesting the same source again puts back deleted files, where it once said "unchanged; nothing written"', () => {
    const before = sha256sumWalk(source);
    rmSync(path.join(data, 'kept.txt'));
    rmSync(path.join(data, 'sub', 'deep.txt'));
    // A file rewritten by hand (a new file, not through the store's link) is the curator's: refused, kept.
    rmSync(path.join(data, 'linked.txt'));
    writeFileSync(path.join(data, 'linked.txt'), 'my edit\n');
    const refused = runOntocat(['ingest', source, '--service', 's', '--version', '1'], { root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/'linked\.txt'.*ontocat doctor/);
    expect(readFileSync(path.join(data, 'linked.txt'), 'utf8')).toBe('my edit\n');
    rmSync(path.join(data, 'linked.txt'));

    const ingest = runOntocat(['ingest', source, '--service', 's', '--version', '1', '--json'], { root });
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.json<{ status: string; restored_on_disk?: number }>()).toMatchObject({ status: 'ingested', restored_on_disk: 3 });
    expect(sha256sumWalk(data)).toBe(before);
    expect(doctorPlan().findings).toEqual([]);
    // Whole again: the next run is the plain "unchanged".
    const next = runOntocat(['ingest', source, '--service', 's', '--version', '1'], { root });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^s\/1 is unchanged \(5 files\); nothing written\./);
  }, 120_000);

  it('refuses, changing nothing, a plan that would put a file back over a folder holding a file the plan leaves', () => {
    rmSync(path.join(data, 'folder.txt'));
    mkdirSync(path.join(data, 'folder.txt'));
    writeFileSync(path.join(data, 'folder.txt', 'mine.txt'), 'keep me\n');
    const plan = doctorPlan();
    const without = runOntocat(['plan', plan.plan_id, '--without', 's/1/data/folder.txt/mine.txt', '--json'], { root });
    expect(without.code, without.stderr).toBe(0);
    const narrowed = without.json<{ plan_id: string }>().plan_id;
    const applied = runOntocat(['doctor', '--apply', narrowed], { root });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/s\/1\/data\/folder\.txt.*folder.*mine\.txt/);
    expect(applied.stderr).not.toMatch(/\.\./);
    expect(readFileSync(path.join(data, 'folder.txt', 'mine.txt'), 'utf8')).toBe('keep me\n');
    expect(existsSync(path.join(root, '.trash', narrowed))).toBe(false);
  }, 120_000);
});
