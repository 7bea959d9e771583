/**
 * `ontocat checkout` into a folder where one of the version's folders is a symbolic link,
 * through the real CLI over a real ingest of Debian's EMBOSS files: a link whose real path
 * (coreutils realpath) leads out of the folder given, to another folder of the user's or
 * into the storage root, must not have the version's files written there. The folders it
 * leads to are judged by coreutils' sha256sum walk before and after.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256sumWalk } from '../../helpers/hash-files.js';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const EMBOSS = '/usr/share/EMBOSS/data';
const MATRICES = ['EBLOSUM62', 'EPAM250'];

let root: string;
let work: string;
let cleanup: () => void;

function realpathOf(file: string): string {
  const run = spawnSync('realpath', [file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

beforeEach(() => {
  ({ root, cleanup } = makeTempRoot('ontocat-checkout-linked-folder'));
  work = `${root}-work`;
  // Version 1: EDAM.obo at the top, two scoring matrices under matrices/.
  const v1 = path.join(work, 'v1');
  mkdirSync(path.join(v1, 'matrices'), { recursive: true });
  copyFileSync(path.join(EMBOSS, 'EDAM.obo'), path.join(v1, 'EDAM.obo'));
  for (const name of MATRICES) copyFileSync(path.join(EMBOSS, name), path.join(v1, 'matrices', name));
  // Version 2 adds a third matrix under the same folder.
  const v2 = path.join(work, 'v2');
  mkdirSync(path.join(v2, 'matrices'), { recursive: true });
  for (const name of [...MATRICES, 'EBLOSUM80']) copyFileSync(path.join(EMBOSS, name), path.join(v2, 'matrices', name));
  runOntocatOk(['init'], { root });
  runOntocatOk(['ingest', v1, '--service', 'emboss', '--version', '1'], { root });
  runOntocatOk(['ingest', v2, '--service', 'emboss', '--version', '2'], { root });
});
afterEach(() => {
  cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('checkout writes only inside the folder it is given', () => {
  it('refuses a folder of the version that is a link to a folder elsewhere, and writes nothing there', () => {
    const elsewhere = path.join(work, 'my-notes');
    mkdirSync(elsewhere);
    copyFileSync(path.join(EMBOSS, 'EDNAFULL'), path.join(elsewhere, 'EDNAFULL'));
    const dest = path.join(work, 'out');
    mkdirSync(dest);
    symlinkSync(elsewhere, path.join(dest, 'matrices'));
    expect(realpathOf(path.join(dest, 'matrices'))).toBe(realpathOf(elsewhere));
    const before = sha256sumWalk(elsewhere);

    for (const copy of [false, true]) {
      const run = runOntocat(['checkout', 'emboss/1', dest, ...(copy ? ['--copy'] : [])], { root });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('matrices');
      expect(run.stderr).toContain('outside');
      // coreutils' walk of the folder the link leads to: the user's file, and no matrix of the version.
      expect(sha256sumWalk(elsewhere)).toBe(before);
      expect(existsSync(path.join(dest, 'EDAM.obo'))).toBe(false);
    }
  });

  it('refuses a link into the storage root, so no version folder gets another version\'s files', () => {
    const versionFolder = path.join(root, 'emboss', '1', 'data', 'matrices');
    const dest = path.join(work, 'out2');
    mkdirSync(dest);
    symlinkSync(versionFolder, path.join(dest, 'matrices'));
    const before = sha256sumWalk(root);

    const run = runOntocat(['checkout', 'emboss/2', dest], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('outside');
    // The root as GNU find and sha256sum see it is unchanged: no EBLOSUM80 in version 1's folder.
    expect(sha256sumWalk(root)).toBe(before);
    expect(readdirSync(versionFolder).sort()).toEqual([...MATRICES].sort());
    const doctor = runOntocat(['doctor', '--json'], { root });
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.json<{ findings: unknown[] }>().findings).toEqual([]);
  });

  it('still follows a link that stays inside the folder given', () => {
    const dest = path.join(work, 'out3');
    mkdirSync(path.join(dest, 'kept-matrices'), { recursive: true });
    symlinkSync('kept-matrices', path.join(dest, 'matrices'));
    runOntocatOk(['checkout', 'emboss/1', dest], { root });
    const walk = sha256sumWalk(path.join(dest, 'kept-matrices'));
    for (const name of MATRICES) {
      const sum = spawnSync('sha256sum', [path.join(EMBOSS, name)], { encoding: 'utf8' }).stdout.split(' ')[0]!;
      expect(walk).toContain(`${sum}  ./${name}\n`);
    }
  });
});
