/**
 * A storage root on a full file system: a command that runs out of space fails with a
 * clear error, leaves no empty or partial file where a real one is expected, changes
 * nothing a reader relies on, and the next run works once space is freed.
 *
 * The root lives on a small tmpfs filled to the brim (a real ENOSPC from the kernel). What
 * is left behind is read with GNU find and Python's json, not with Ontocat's own code.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { mountSmallFs, noSmallFs, type SmallFs } from '../../helpers/small-fs.js';
import { outsideQuery as query } from '../../helpers/outside-duckdb.js';

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

/** GNU find: every Parquet file under the published folder, as relpaths. */
function parquetFiles(): string[] {
  const run = spawnSync('find', [path.join(root, 'parquet'), '-type', 'f', '-name', '*.parquet', '-printf', '%P\\n'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean).sort();
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
  disk = mountSmallFs('96m');
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

  it('a publish that runs out of space leaves the folder as its manifest lists it: a glob reads no version twice, and the next publish works', async () => {
    ingest(['ro.obo'], '2022-01-01', '--set-latest');
    ingest(['eco.obo'], '2022-02-01');
    expect(runOntocat(['publish'], { root }).code).toBe(0);
    const glob = `read_parquet('${path.join(root, 'parquet', 'table=versions', '*.parquet')}')`;
    let cutShort = 0;
    // Space for some of the changed partitions but not all: how much that is depends on the
    // file system's blocks, so several amounts are tried.
    for (let step = 1; step <= 10; step += 1) {
      // Every step changes the versions table (and the events), so publish writes new parts.
      const corrected = runOntocat(['release-date', 'obo/2022-01-01', `2021-12-${String(step).padStart(2, '0')}`], { root });
      expect(corrected.code, corrected.stderr).toBe(0);
      disk.fill(step * 4096);
      const run = runOntocat(['publish'], { root });
      disk.free();
      if (run.code === 0) continue;
      expect(run.stderr).toMatch(/no space left on device|ENOSPC/i);
      if (/Could not publish/.test(run.stderr)) cutShort += 1;
      const manifest = pythonJson<{ tables: Record<string, { files: { path: string }[] }> }>(path.join(root, 'parquet', 'manifest.json'));
      const listed = Object.values(manifest.tables).flatMap((table) => table.files.map((file) => file.path)).sort();
      expect(parquetFiles(), `after a publish cut short with ${step * 4} KiB free`).toEqual(listed);
      const versions = await query<{ rows: number; versions: number }>(`SELECT count(*)::INTEGER AS rows, count(DISTINCT version_id)::INTEGER AS versions FROM ${glob}`);
      expect(versions).toEqual([{ rows: 2, versions: 2 }]);
    }
    expect(cutShort).toBeGreaterThan(0);

    const again = runOntocat(['publish'], { root });
    expect(again.code, again.stderr).toBe(0);
    // The last correction, once, as every other engine reading the folder sees it.
    const dates = await query<{ release_date: string }>(`SET TimeZone = 'UTC'; SELECT strftime(release_date, '%Y-%m-%d') AS release_date FROM ${glob} WHERE version = '2022-01-01'`);
    expect(dates).toEqual([{ release_date: '2021-12-10' }]);
  }, 300_000);

  it('a compact that runs out of space leaves no partial catalog copy or its WAL behind, and works once space is freed', () => {
    ingest(['ro.obo', 'eco.obo', 'so.obo'], '2022-01-01', '--set-latest');
    /** GNU find: the root's own top-level files (the catalog, a copy being built, their WALs). */
    const topFiles = (): string[] => {
      const run = spawnSync('find', [root, '-maxdepth', '1', '-type', 'f', '-printf', '%f\\n'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.split('\n').filter(Boolean).sort();
    };
    const before = topFiles();
    expect(before).toEqual(['catalog.duckdb']);
    let cutShort = 0;
    // From no room for the copy's first commit to room for most of it: each a different place to fail.
    for (const kib of [64, 1024, 4096, 8192]) {
      disk.fill(kib * 1024);
      const run = runOntocat(['compact'], { root });
      disk.free();
      if (run.code === 0) continue;
      cutShort += 1;
      expect(run.stderr).toMatch(/no space left on device/i);
      // A copy (megabytes of a catalog) or its WAL left here would hold the space a compact
      // on a full disk is run to win back; doctor does not list a WAL at the root at all.
      expect(topFiles(), `after a compact cut short with ${kib} KiB free`).toEqual(before);
    }
    expect(cutShort).toBeGreaterThan(0);
    const again = runOntocat(['compact'], { root });
    expect(again.code, again.stderr).toBe(0);
    expect(topFiles()).toEqual(before);
    const doctor = runOntocat(['doctor', '--json'], { root });
    expect(doctor.code, doctor.stderr).toBe(0);
    expect(doctor.json<{ findings: unknown[] }>().findings).toEqual([]);
  }, 300_000);

  it('an ingest whose validation runs out of space after the version was recorded (and made latest) says so, not just the disk error', () => {
    /** GNU coreutils: `sha256sum` of every file under a folder, by relpath. */
    const hashes = (dir: string): string => {
      const run = spawnSync('sh', ['-c', 'cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum', 'sh', dir], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    let recordedButFailed = 0;
    // Room for the new version's files and its commit but not for its validation results:
    // where that lies depends on the file system's blocks, so a range of amounts is tried.
    for (let kib = 640; kib <= 1600 && recordedButFailed === 0; kib += 64) {
      rmSync(root, { recursive: true, force: true });
      ingest(['ro.obo'], '2022-01-01', '--set-latest');
      const second = path.join(source.root, '2022-02-01');
      mkdirSync(second, { recursive: true });
      for (const file of ['ro.obo', 'eco.obo', 'so.obo']) copyFileSync(path.join(OBO_DIR, file), path.join(second, file));
      disk.fill(kib * 1024);
      const run = runOntocat(['ingest', second, '--service', 'obo', '--version', '2022-02-01', '--set-latest'], { root });
      disk.free();
      const latest = pythonJson<{ version: string }>(path.join(root, 'obo', 'LATEST.json')).version;
      if (run.code === 0 || latest !== '2022-02-01') continue;
      recordedButFailed += 1;
      // The version is there, byte for byte, and LATEST.json names it: the error must say so.
      expect(hashes(path.join(root, 'obo', '2022-02-01', 'data'))).toBe(hashes(second));
      expect(run.stderr).toMatch(/no space left on device/i);
      expect(run.stderr).toMatch(/Ingested obo\/2022-02-01 \(3 files\), now the latest, but validating it failed .*ontocat validate obo\/2022-02-01/);
      // And what it says holds: validating now records the results.
      const validate = runOntocat(['validate', 'obo/2022-02-01'], { root });
      expect(validate.code, validate.stderr).toBe(0);
    }
    expect(recordedButFailed).toBe(1);
  }, 300_000);

  it('a doctor apply on a nearly full disk reports what it did: failed and nothing moved, or applied', () => {
    /** GNU find: every file under a folder of the root, as relpaths (none when it is absent). */
    const filesUnder = (relpath: string): string[] => {
      const run = spawnSync('find', [path.join(root, relpath), '-type', 'f', '-printf', '%P\\n'], { encoding: 'utf8' });
      return run.status === 0 ? run.stdout.split('\n').filter(Boolean).sort() : [];
    };
    const outcomes: string[] = [];
    // From no room for its trash manifest, through room for the moves but not the commit or
    // for the commit but not the manifest's last word, to room for everything.
    for (let kib = 4; kib <= 64; kib += 4) {
      rmSync(root, { recursive: true, force: true });
      ingest(['ro.obo'], '2022-01-01', '--set-latest');
      ingest(['eco.obo'], '2022-02-01');
      spawnSync('sh', ['-c', 'echo "a note of my own" > "$1"', 'sh', path.join(root, 'obo', '2022-01-01', 'data', 'stray.txt')]);
      const plan = runOntocat(['doctor', '--json'], { root });
      expect(plan.code, plan.stderr).toBe(0);
      const planId = plan.json<{ plan_id: string }>().plan_id;
      disk.fill(kib * 1024);
      const run = runOntocat(['doctor', '--apply', planId], { root });
      disk.free();
      const inPlace = filesUnder('obo/2022-01-01/data').includes('stray.txt');
      const inTrash = filesUnder(path.join('.trash', planId, 'files')).includes('obo/2022-01-01/data/stray.txt');
      // Exactly one of the two, and the exit status says which: a failure that left the stray
      // in the trash (uncommitted) or an apply reported failed after it committed both mislead.
      expect({ kib, inPlace, inTrash, code: run.code }, run.stderr).toEqual(inPlace ? { kib, inPlace: true, inTrash: false, code: 1 } : { kib, inPlace: false, inTrash: true, code: 0 });
      if (run.code !== 0) expect(run.stderr).toMatch(/nothing was changed|ENOSPC/i);
      outcomes.push(run.code === 0 ? 'applied' : 'failed');
      if (run.code === 0) break;
    }
    expect(outcomes.at(0)).toBe('failed');
    expect(outcomes.at(-1)).toBe('applied');
    // Once space is back, the plan's trash entry restores the stray as it was.
    const planId = readdirSync(path.join(root, '.trash'))[0]!;
    const restore = runOntocat(['trash', 'restore', planId], { root });
    expect(restore.code, restore.stderr).toBe(0);
    expect(filesUnder('obo/2022-01-01/data')).toContain('stray.txt');
  }, 300_000);

  it('a prune apply on a nearly full disk reports what it did: failed and nothing moved, or applied', () => {
    /** GNU find: every file under a folder of the root, as relpaths (none when it is absent). */
    const filesUnder = (relpath: string): string[] => {
      const run = spawnSync('find', [path.join(root, relpath), '-type', 'f', '-printf', '%P\\n'], { encoding: 'utf8' });
      return run.status === 0 ? run.stdout.split('\n').filter(Boolean).sort() : [];
    };
    /** One prune of 2022-01-01 with `kib` KiB free; true when it reported success. */
    const pruneWith = (kib: number): boolean => {
      rmSync(root, { recursive: true, force: true });
      ingest(['ro.obo', 'eco.obo'], '2022-01-01');
      ingest(['eco.obo', 'so.obo'], '2022-02-01', '--set-latest');
      const plan = runOntocat(['prune', '--keep-last', '1', '--allow-large', '--json'], { root });
      expect(plan.code, plan.stderr).toBe(0);
      const planId = plan.json<{ plan_id: string }>().plan_id;
      disk.fill(kib * 1024);
      const run = runOntocat(['prune', '--apply', planId], { root });
      disk.free();
      const inPlace = filesUnder('obo/2022-01-01/data');
      const inTrash = filesUnder(path.join('.trash', planId, 'files', 'obo', '2022-01-01', 'data'));
      // All of the version's files in their place with exit 1, or all in the trash with exit 0:
      // a prune that committed and moved everything must not say it failed.
      expect({ kib, inPlace, inTrash, code: run.code }, run.stderr).toEqual(run.code === 0
        ? { kib, inPlace: [], inTrash: ['eco.obo', 'ro.obo'], code: 0 }
        : { kib, inPlace: ['eco.obo', 'ro.obo'], inTrash: [], code: 1 });
      return run.code === 0;
    };
    // The least free space it succeeds with, to 4 KiB: found by halving, each try checked.
    let failing = 0;
    let passing = 512;
    expect(pruneWith(passing)).toBe(true);
    while (passing - failing > 4) {
      const middle = Math.round((failing + passing) / 8) * 4;
      if (pruneWith(middle)) passing = middle;
      else failing = middle;
    }
    // Just under it: room for the commit and the moves, not for the trash manifest's last update.
    expect(pruneWith(passing - 4)).toBe(false);
  }, 300_000);

  it('an ingest of a .tar.gz that fills the disk part-way through an entry ends with a clear error, leaves nothing behind, and works once space is freed', () => {
    // GNU tar makes the archive: three real OBO releases, small enough to be read in one chunk.
    const release = path.join(source.root, 'release');
    mkdirSync(release);
    for (const file of ['eco.obo', 'ro.obo', 'so.obo']) copyFileSync(path.join(OBO_DIR, file), path.join(release, file));
    const archive = path.join(source.root, 'release.tar.gz');
    const tar = spawnSync('tar', ['-czf', archive, '-C', release, '.']);
    expect(tar.status, tar.stderr.toString()).toBe(0);
    ingest(['ro.obo'], '2022-01-01', '--set-latest');
    /** GNU find: the root's files outside the catalog itself, as relpaths. */
    const rootFiles = (): string[] => {
      const run = spawnSync('find', [root, '-type', 'f', '!', '-name', 'catalog.duckdb*', '-printf', '%P\\n'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.split('\n').filter(Boolean).sort();
    };
    const before = rootFiles();
    // Room for none, some or most of the entries: each fills the disk in another one.
    for (const kib of [64, 128, 256, 512, 768]) {
      disk.fill(kib * 1024);
      const run = runOntocat(['ingest', archive, '--service', 'obo', '--version', '2022-02-01'], { root, timeoutMs: 60_000 });
      disk.free();
      // It hung for good here (spawnSync's timeout kills it: no exit code), holding the writer lock.
      expect({ kib, code: run.code }, run.stderr).toEqual({ kib, code: 1 });
      expect(run.stderr).toMatch(/the disk is full/i);
      expect(run.stderr).not.toMatch(/Cannot read the archive/);
      expect(rootFiles(), `after ${kib} KiB`).toEqual(before);
    }
    const again = runOntocat(['ingest', archive, '--service', 'obo', '--version', '2022-02-01'], { root });
    expect(again.code, again.stderr).toBe(0);
    const hashes = (dir: string): string => spawnSync('sh', ['-c', 'cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum', 'sh', dir], { encoding: 'utf8' }).stdout;
    expect(hashes(path.join(root, 'obo', '2022-02-01', 'data'))).toBe(hashes(release));
  }, 600_000);

  it('on a read-only root, a write command says so in one line and reads still answer', () => {
    ingest(['ro.obo'], '2022-01-01', '--set-latest');
    ingest(['eco.obo'], '2022-02-01');
    const remount = (mode: 'ro' | 'rw'): void => {
      const run = spawnSync('mount', ['-o', `remount,${mode}`, disk.dir]);
      expect(run.status, run.stderr.toString()).toBe(0);
    };
    remount('ro');
    try {
      const write = runOntocat(['latest', 'set', 'obo', '2022-02-01'], { root });
      expect(write.code).toBe(1);
      // The README's contract: exit 1 with a one-line reason, here the kernel's own words.
      expect(write.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^ontocat: .*read-only file system/i)]);
      const read = runOntocat(['latest', 'get', 'obo', '--json'], { root });
      expect(read.code, read.stderr).toBe(0);
      expect(pythonJson<{ version: string }>(path.join(root, 'obo', 'LATEST.json')).version).toBe('2022-01-01');
    } finally {
      remount('rw');
    }
    const again = runOntocat(['latest', 'set', 'obo', '2022-02-01'], { root });
    expect(again.code, again.stderr).toBe(0);
    expect(pythonJson<{ version: string }>(path.join(root, 'obo', 'LATEST.json')).version).toBe('2022-02-01');
  });

  it('backup and restore on a full disk say so in one line, leave no empty backup folder or partial copy, and the catalog file is untouched', () => {
    ingest(['ro.obo'], '2022-01-01', '--set-latest');
    ingest(['eco.obo'], '2022-02-01');
    const made = runOntocat(['backup', '--json'], { root });
    expect(made.code, made.stderr).toBe(0);
    const stamp = made.json<{ timestamp: string }>().timestamp;
    expect(runOntocat(['latest', 'set', 'obo', '2022-02-01'], { root }).code).toBe(0);
    /** GNU find: every file and empty folder under the root, as relpaths. */
    const entries = (): string[] => {
      const run = spawnSync('find', [root, '(', '-type', 'f', '-o', '-empty', ')', '-printf', '%P\\n'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return run.stdout.split('\n').filter(Boolean).sort();
    };
    /** GNU coreutils: the catalog file's SHA-256. */
    const catalogHash = (): string => spawnSync('sha256sum', [path.join(root, 'catalog.duckdb')], { encoding: 'utf8' }).stdout.split(' ')[0]!;
    // A catalog closed by its last command holds no WAL; its bytes are what a restore would replace.
    const before = { entries: entries(), catalog: catalogHash() };

    disk.fill(64 * 1024);
    const backup = runOntocat(['backup'], { root });
    const restore = runOntocat(['restore', stamp], { root });
    disk.free();
    // No empty .backups/<timestamp> folder (a backup 'backup list' skips and nobody can restore), no staged copy.
    expect({ entries: entries(), catalog: catalogHash() }).toEqual(before);
    // The restore printed 'unexpected failure' and a stack trace: the README promises one line.
    for (const run of [restore, backup]) {
      expect(run.code).toBe(1);
      expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^ontocat: Could not .*no space left on device.*Nothing was changed\.$/)]);
    }

    // Once space is back the backup restores (the pointer as it was then; doctor then rewrites LATEST.json).
    const again = runOntocat(['restore', stamp], { root });
    expect(again.code, again.stderr).toBe(0);
    expect(runOntocat(['latest', 'get', 'obo', '--json'], { root }).json<{ version: string }>().version).toBe('2022-01-01');
  });

  it('a trash restore on a nearly full disk reports what it did: failed with the files still in the trash, or restored', () => {
    /** GNU find: every file under a folder of the root, as relpaths (none when it is absent). */
    const filesUnder = (relpath: string): string[] => {
      const run = spawnSync('find', [path.join(root, relpath), '-type', 'f', '-printf', '%P\\n'], { encoding: 'utf8' });
      return run.status === 0 ? run.stdout.split('\n').filter(Boolean).sort() : [];
    };
    /** One restore of a pruned 2022-01-01 with `kib` KiB free; true when it reported success. */
    const restoreWith = (kib: number): boolean => {
      rmSync(root, { recursive: true, force: true });
      ingest(['ro.obo', 'eco.obo'], '2022-01-01');
      ingest(['eco.obo', 'so.obo'], '2022-02-01', '--set-latest');
      const plan = runOntocat(['prune', '--keep-last', '1', '--allow-large', '--json'], { root });
      const planId = plan.json<{ plan_id: string }>().plan_id;
      const applied = runOntocat(['prune', '--apply', planId], { root });
      expect(applied.code, applied.stderr).toBe(0);
      disk.fill(kib * 1024);
      const run = runOntocat(['trash', 'restore', planId], { root });
      disk.free();
      const inPlace = filesUnder('obo/2022-01-01/data');
      const inTrash = filesUnder(path.join('.trash', planId, 'files', 'obo', '2022-01-01', 'data'));
      // A restore that failed must not leave the files back in place for a later open to
      // finish what it said had failed: in the trash with exit 1, or in place with exit 0.
      expect({ kib, inPlace, inTrash, code: run.code }, run.stderr).toEqual(run.code === 0
        ? { kib, inPlace: ['eco.obo', 'ro.obo'], inTrash: [], code: 0 }
        : { kib, inPlace: [], inTrash: ['eco.obo', 'ro.obo'], code: 1 });
      return run.code === 0;
    };
    // The least free space it succeeds with, to 4 KiB: found by halving, each try checked.
    let failing = 0;
    let passing = 512;
    expect(restoreWith(passing)).toBe(true);
    while (passing - failing > 4) {
      const middle = Math.round((failing + passing) / 8) * 4;
      if (restoreWith(middle)) passing = middle;
      else failing = middle;
    }
    expect(restoreWith(failing)).toBe(false);
    // What the failed restore left is an ordinary trash entry: doctor has nothing to do, and it restores once space is back.
    const doctor = runOntocat(['doctor', '--json'], { root });
    expect(doctor.json<{ findings: unknown[] }>().findings).toEqual([]);
    const planId = readdirSync(path.join(root, '.trash'))[0]!;
    const again = runOntocat(['trash', 'restore', planId], { root });
    expect(again.code, again.stderr).toBe(0);
    expect(filesUnder('obo/2022-01-01/data')).toEqual(['eco.obo', 'ro.obo']);
  }, 300_000);
});
