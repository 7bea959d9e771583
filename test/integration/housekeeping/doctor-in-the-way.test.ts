/**
 * Something else in a catalogued file's place: a symbolic link (to the curator's source
 * file, or to a folder) or a folder holding a file of its own. Doctor's plan must apply and
 * leave the version as ingested, checked by coreutils (`sha256sum` of the source tree
 * against the version folder, `find -type l`), with what stood in the way in the trash.
 *
 * Before, neither plan could ever apply: the link's plan (trash the link, put the file back)
 * was refused as stale ("exists again": the link itself was taken for the file), and the
 * folder's stopped at the file ("it already exists.."), since the folder's own stray file
 * was planned after it; every new plan was the same, so doctor could not repair the root.
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
