/**
 * `ontocat checkout` into a folder that already holds files, through the real CLI over a
 * real ingest and catalog: a path the version needs that holds other bytes (a file of the
 * user's, an edited --copy checkout) is never overwritten, judged by an independent
 * SHA-256 walk of the folder before and after.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { hashFiles, sha256sumWalk } from '../../helpers/hash-files.js';

let root: string;
let work: string;
let cleanup: () => void;

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-checkout-no-overwrite'));
  work = `${root}-work`;
  const source = path.join(work, 'source');
  mkdirSync(path.join(source, 'sub'), { recursive: true });
  writeFileSync(path.join(source, 'a.txt'), 'version a\n');
  writeFileSync(path.join(source, 'sub', 'b.txt'), 'version b\n');
  expect(runOntocat(['init'], { root }).code).toBe(0);
  const ingested = runOntocat(['ingest', source, '--service', 'svc', '--version', '1'], { root });
  expect(ingested.code, ingested.stderr).toBe(0);
});
afterEach(() => {
  cleanup();
  rmSync(work, { recursive: true, force: true });
});


describe('checkout never overwrites other bytes', () => {
  it('refuses a folder where a path of the version holds a file of the user, and writes nothing', () => {
    const dest = path.join(work, 'out');
    mkdirSync(dest, { recursive: true });
    writeFileSync(path.join(dest, 'a.txt'), 'my own notes, not the release\n');
    writeFileSync(path.join(dest, 'other.txt'), 'untouched\n');
    const before = hashFiles(dest);

    const run = runOntocat(['checkout', 'svc/1', dest], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('a.txt');
    expect(run.stderr).toContain('never overwrites');
    expect(hashFiles(dest)).toEqual(before);

    // Moved away, the same checkout goes through, and the user's other file stays.
    rmSync(path.join(dest, 'a.txt'));
    expect(runOntocat(['checkout', 'svc/1', dest], { root }).code).toBe(0);
    const after = hashFiles(dest);
    expect(after['other.txt']).toBe(before['other.txt']);
    expect(after['a.txt']).toBe(createHash('sha256').update('version a\n').digest('hex'));
  });

  it('refuses a folder where a folder of the version is a file of the user, and writes nothing', () => {
    for (const copy of [false, true]) {
      const dest = path.join(work, copy ? 'folder-copy' : 'folder');
      mkdirSync(dest, { recursive: true });
      // The version has sub/b.txt; the user has a file named sub.
      writeFileSync(path.join(dest, 'sub'), 'my own file named like the folder\n');
      const before = sha256sumWalk(dest);

      const run = runOntocat(['checkout', 'svc/1', dest, ...(copy ? ['--copy'] : [])], { root });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('sub');
      expect(run.stderr).toContain('never overwrites');
      // coreutils' walk of the folder: the user's file as it was, and nothing of the version's.
      expect(sha256sumWalk(dest)).toBe(before);
    }
    // The folder named is itself a file of the user's.
    const file = path.join(work, 'notes');
    writeFileSync(file, 'mine\n');
    const run = runOntocat(['checkout', 'svc/1', file], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not a folder');
    expect(hashFiles(work).notes).toBe(createHash('sha256').update('mine\n').digest('hex'));
  });

  it('keeps the edits of a --copy checkout when it is checked out again, and refreshes an unedited one', () => {
    const dest = path.join(work, 'copy');
    expect(runOntocat(['checkout', 'svc/1', dest, '--copy'], { root }).code).toBe(0);
    // Checked out again over itself (same bytes), linked or copied: nothing to refuse.
    expect(runOntocat(['checkout', 'svc/1', dest], { root }).code).toBe(0);
    expect(runOntocat(['checkout', 'svc/1', dest, '--copy'], { root }).code).toBe(0);
    expect(statSync(path.join(dest, 'sub', 'b.txt')).nlink).toBe(1);

    appendFileSync(path.join(dest, 'sub', 'b.txt'), 'a curator edit\n');
    const edited = hashFiles(dest);
    const again = runOntocat(['checkout', 'svc/1', dest, '--copy'], { root });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('sub/b.txt');
    expect(hashFiles(dest)).toEqual(edited);
  });
});
