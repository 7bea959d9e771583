/**
 * A storage root on a full file system: a command that runs out of space fails with a
 * clear error, leaves no empty or partial file where a real one is expected, changes
 * nothing a reader relies on, and the next run works once space is freed.
 *
 * The root lives on a small tmpfs filled to the brim (a real ENOSPC from the kernel). What
 * is left behind is read with GNU find and Python's json, not with Ontocat's own code.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { mountSmallFs, noSmallFs, type SmallFs } from '../../helpers/small-fs.js';

/** Real OBO releases shipped by Debian's emboss-data, not written here. */
const OBO_DIR = '/usr/share/EMBOSS/data/OBO';

let disk: SmallFs;
let root: string;
let source: { root: string; cleanup: () => void };

/** GNU find: every empty regular file under the root, as relpaths. */
function emptyFiles(): string[] {
  const run = spawnSync('find', [root, '-type', 'f', '-empty', '-printf', '%P\\n'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean).sort();
}

/** Python's json reads a JSON file the way any other tool would. */
function pythonJson<T>(file: string): T {
  const run = spawnSync('python3', ['-c', 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))', file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

function ingest(files: readonly string[], version: string, ...extra: string[]): void {
  const dir = path.join(source.root, version);
  mkdirSync(dir, { recursive: true });
  for (const file of files) copyFileSync(path.join(OBO_DIR, file), path.join(dir, file));
  const run = runOntocat(['ingest', dir, '--service', 'obo', '--version', version, ...extra], { root });
  expect(run.code, run.stderr).toBe(0);
}

beforeEach(() => {
  if (noSmallFs) return;
  disk = mountSmallFs('48m');
  root = path.join(disk.dir, 'root');
  source = makeTempRoot('ontocat-full-disk-src');
});
afterEach(() => {
  if (noSmallFs) return;
  disk.cleanup();
  source.cleanup();
});

describe.skipIf(noSmallFs)('a storage root on a full disk', () => {
  it('a write command that cannot take the writer lock leaves no empty lock file, and the next run works once space is freed', () => {
    ingest(['ro.obo'], '2022-01-01', '--set-latest');
    ingest(['eco.obo'], '2022-02-01');
    const emptyBefore = emptyFiles();

    disk.fill(0);
    const full = runOntocat(['latest', 'set', 'obo', '2022-02-01'], { root });
    expect(full.code).toBe(1);
    // An empty .ontocat.lock would refuse every later write as 'unreadable' until removed by hand.
    expect(emptyFiles()).toEqual(emptyBefore);
    expect(full.stderr).toMatch(/no space left on device/i);
    expect(full.stderr).not.toMatch(/unexpected failure/);
    expect(pythonJson<{ version: string }>(path.join(root, 'obo', 'LATEST.json')).version).toBe('2022-01-01');

    disk.free();
    const again = runOntocat(['latest', 'set', 'obo', '2022-02-01'], { root });
    expect(again.code, again.stderr).toBe(0);
    expect(pythonJson<{ version: string }>(path.join(root, 'obo', 'LATEST.json')).version).toBe('2022-02-01');
    expect(emptyFiles()).toEqual(emptyBefore);
  });
});
