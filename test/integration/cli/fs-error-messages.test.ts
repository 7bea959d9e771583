/**
 * A write the file system refuses (a full disk, a folder without write permission) is
 * reported in plain words with the errno kept ("the disk holding … is full (ENOSPC: no
 * space left on device)"), and says what was not changed, which an outside reader confirms.
 *
 * The disk is a real tmpfs filled to the brim; the permission is the kernel's own check,
 * made to apply to root by running the CLI without CAP_DAC_OVERRIDE (util-linux setpriv),
 * since the tests run as root where chmod alone denies nothing. The errno's words are
 * Python's os.strerror, and what the catalog holds is read by a separate DuckDB.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliBin, runOntocat, runOntocatOk, type CliRun } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { mountSmallFs, noSmallFs, type SmallFs } from '../../helpers/small-fs.js';
import { outsideQuery } from '../../helpers/outside-duckdb.js';

/** Real OBO releases shipped by Debian's emboss-data, not written here. */
const OBO_DIR = '/usr/share/EMBOSS/data/OBO';

/** Python's os.strerror for an errno name: the C library's words, lower-cased as Node prints them. */
function strerror(code: string): string {
  const run = spawnSync('python3', ['-c', 'import errno,os,sys; print(os.strerror(getattr(errno, sys.argv[1])))', code], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim().toLowerCase();
}

/** The versions the catalog file holds, as a DuckDB that knows nothing of Ontocat reads them. */
async function recordedVersions(root: string): Promise<string[]> {
  const db = path.join(root, 'catalog.duckdb').replaceAll("'", "''");
  const rows = await outsideQuery<{ v: string }>(`ATTACH '${db}' AS c (READ_ONLY); SELECT service || '/' || version AS v FROM c.versions ORDER BY v`);
  return rows.map((row) => row.v);
}

/** Copies real OBO files into a fresh source folder. */
function sourceOf(base: string, name: string, files: readonly string[]): string {
  const dir = path.join(base, name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) copyFileSync(path.join(OBO_DIR, file), path.join(dir, file));
  return dir;
}

/** Escapes a string for a RegExp. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(noSmallFs)('a write on a full disk', () => {
  let disk: SmallFs;
  let root: string;
  let source: { root: string; cleanup: () => void };
  beforeEach(() => {
    disk = mountSmallFs('96m', 'ontocat-fs-words');
    root = path.join(disk.dir, 'root');
    source = makeTempRoot('ontocat-fs-words-src');
  });
  afterEach(() => {
    disk.cleanup();
    source.cleanup();
  });

  it('an ingest says the disk is full in plain words, keeps ENOSPC, and says nothing was recorded (and nothing was)', async () => {
    runOntocatOk(['ingest', sourceOf(source.root, 'one', ['ro.obo']), '--service', 'obo', '--version', '1', '--set-latest'], { root });
    const before = await recordedVersions(root);
    disk.fill(64 * 1024);
    const run = runOntocat(['ingest', sourceOf(source.root, 'two', ['eco.obo', 'so.obo']), '--service', 'obo', '--version', '2'], { root });
    disk.free();
    expect(run.code).toBe(1);
    // Was: "ontocat: The disk is full: ENOSPC: no space left on device, write" (what of it was kept?).
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(
      `^ontocat: Could not ingest obo/2: the disk (holding \\S+ )?is full \\(ENOSPC: ${literal(strerror('ENOSPC'))}\\)\\. Nothing was recorded in the catalog\\.$`))]);
    expect(await recordedVersions(root)).toEqual(before);
  }, 120_000);

  it('a latest set that cannot write LATEST.json says the disk is full and that nothing was changed (and nothing was)', async () => {
    runOntocatOk(['ingest', sourceOf(source.root, 'one', ['ro.obo']), '--service', 'obo', '--version', '1', '--set-latest'], { root });
    runOntocatOk(['ingest', sourceOf(source.root, 'two', ['ro.obo']), '--service', 'obo', '--version', '2'], { root });
    const db = path.join(root, 'catalog.duckdb').replaceAll("'", "''");
    const pointer = (): Promise<unknown[]> => outsideQuery(`ATTACH '${db}' AS c (READ_ONLY); SELECT p.slot, v.version FROM c.latest_pointer p JOIN c.versions v USING (version_id)`);
    /** Python's json reads LATEST.json as any script would. */
    const latestFile = (): string => spawnSync('python3', ['-c', 'import json,sys; print(json.load(open(sys.argv[1]))["version"])', path.join(root, 'obo', 'LATEST.json')], { encoding: 'utf8' }).stdout.trim();
    const before = { pointer: await pointer(), file: latestFile() };
    expect(before.file).toBe('1');
    // Room for the writer lock, none for a new LATEST.json beside the old one.
    disk.fill(4096);
    const run = runOntocat(['latest', 'set', 'obo', '2'], { root });
    disk.free();
    expect(run.code).toBe(1);
    // Was: "ontocat: Could not write …/obo/LATEST.json: …" and not a word on whether the pointer moved.
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(
      `^ontocat: Could not set the latest obo to 2: could not write obo/LATEST\\.json: the disk holding \\S+ is full \\(ENOSPC: ${literal(strerror('ENOSPC'))}\\)\\. Nothing was changed: the latest obo is still 1\\.$`))]);
    expect({ pointer: await pointer(), file: latestFile() }).toEqual(before);

    // Setting the latest it already is writes nothing, so a full disk does not refuse it.
    const file = path.join(root, 'obo', 'LATEST.json');
    const bytes = readFileSync(file);
    disk.fill(4096);
    const again = runOntocat(['latest', 'set', 'obo', '1'], { root });
    disk.free();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Latest obo is already 1; nothing changed.');
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect({ pointer: await pointer(), file: latestFile() }).toEqual(before);
  }, 120_000);

  it('a report written to a file on a full disk says so in plain words and that the file was not touched (and it was not)', () => {
    runOntocatOk(['ingest', sourceOf(source.root, 'one', ['ro.obo']), '--service', 'obo', '--version', '1', '--set-latest'], { root });
    const out = path.join(disk.dir, 'out');
    mkdirSync(out);
    /** GNU coreutils and find: each file in the output folder with its SHA-256 (no temp file may stay). */
    const outputs = (): string => spawnSync('sh', ['-c', 'cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum', 'sh', out], { encoding: 'utf8' }).stdout;
    for (const name of ['latest.csv', 'latest.json']) writeFileSync(path.join(out, name), 'an earlier report\n');
    const before = outputs();
    disk.fill(0);
    for (const [name, format] of [['latest.csv', 'csv'], ['latest.json', 'json']] as const) {
      const target = path.join(out, name);
      const run = runOntocat(['report', 'latest', '--format', format, '--out', target], { root });
      expect(run.code, name).toBe(1);
      // Was, for CSV: "ontocat: Could not write …/latest.csv: IO Error: Could not write file \"…/.latest.csv.….ontocat-tmp\": No space left on device".
      expect(run.stderr.trimEnd().split('\n'), name).toEqual([expect.stringMatching(new RegExp(
        `^ontocat: Could not write ${literal(target)}: the disk holding ${literal(out)} is full \\(ENOSPC: ${literal(strerror('ENOSPC'))}\\); nothing was written to it\\.`))]);
    }
    disk.free();
    expect(outputs()).toBe(before);
  }, 120_000);

  it('a backup says the disk holding the backup folder is full, keeps ENOSPC, and leaves no backup', async () => {
    runOntocatOk(['ingest', sourceOf(source.root, 'one', ['ro.obo']), '--service', 'obo', '--version', '1', '--set-latest'], { root });
    disk.fill(64 * 1024);
    const run = runOntocat(['backup'], { root });
    disk.free();
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(
      `^ontocat: Could not back up the catalog into ${literal(path.join(root, '.backups'))}/\\S+: the disk holding ${literal(path.join(root, '.backups'))}/\\S+ is full \\(ENOSPC: ${literal(strerror('ENOSPC'))}\\)\\. Nothing was changed\\.$`))]);
    expect(readdirSync(path.join(root, '.backups'))).toEqual([]);
  }, 120_000);
});

/** Whether this process may drop CAP_DAC_OVERRIDE for a child (root with CAP_SETPCAP, as in CI). */
const canDropOverride = spawnSync('setpriv', ['--bounding-set', '-dac_override,-dac_read_search', 'true']).status === 0;
const isRoot = process.getuid?.() === 0;

/** The CLI as root without the capability that lets root write into any folder: permissions apply. */
function runWithoutOverride(args: readonly string[], root: string): CliRun {
  const result = spawnSync('setpriv', ['--bounding-set', '-dac_override,-dac_read_search', process.execPath, cliBin, ...args, '--root', root], { encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}

describe.skipIf(!(isRoot && canDropOverride) && process.env.CI !== 'true')('a write into a folder without write permission', () => {
  let temp: { root: string; cleanup: () => void };
  let root: string;
  beforeEach(() => {
    temp = makeTempRoot('ontocat-fs-words-perm');
    root = path.join(temp.root, 'root');
    runOntocatOk(['ingest', sourceOf(temp.root, 'one', ['ro.obo']), '--service', 'obo', '--version', '1', '--set-latest'], { root });
  });
  afterEach(() => {
    chmodSync(path.join(root, 'obo'), 0o755);
    temp.cleanup();
  });

  it('an ingest says permission denied on the folder, keeps EACCES, and says nothing was recorded (and nothing was)', async () => {
    const before = await recordedVersions(root);
    chmodSync(path.join(root, 'obo'), 0o555);
    const run = runWithoutOverride(['ingest', sourceOf(temp.root, 'two', ['eco.obo']), '--service', 'obo', '--version', '2'], root);
    expect(run.code).toBe(1);
    // Was: "ontocat: EACCES: permission denied, mkdir '…/obo/2'".
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `ontocat: Could not ingest obo/2: permission denied on ${path.join(root, 'obo', '2')} (EACCES: ${strerror('EACCES')}). Nothing was recorded in the catalog.`,
    ]);
    expect(await recordedVersions(root)).toEqual(before);
  }, 120_000);

  it('a catalog file the user may not write or read is named, with permission denied in plain words and DuckDB\'s text after', () => {
    const db = path.join(root, 'catalog.duckdb');
    const before = spawnSync('sha256sum', [db], { encoding: 'utf8' }).stdout;
    try {
      // Without group or other bits, which Ontocat would take off (owner-only.ts) and so make the file writable again.
      for (const [mode, argv] of [[0o400, ['latest', 'set', 'obo', '1']], [0o000, ['versions']]] as const) {
        chmodSync(db, mode);
        const run = runWithoutOverride(argv, root);
        expect(run.code, argv.join(' ')).toBe(1);
        // Was: "ontocat: Could not open the catalog …: IO Error: Cannot open file \"…\": Permission denied".
        expect(run.stderr.trimEnd().split('\n'), argv.join(' ')).toEqual([
          `ontocat: Could not open the catalog ${db}: permission denied on ${db} (EACCES: ${strerror('EACCES')}). Nothing was changed. DuckDB said: IO Error: Cannot open file "${db}": Permission denied`,
        ]);
      }
    } finally {
      chmodSync(db, 0o644);
    }
    expect(spawnSync('sha256sum', [db], { encoding: 'utf8' }).stdout).toBe(before);
  }, 120_000);

  it('a backup says permission denied on the backup folder, keeps EACCES, and says nothing was changed', () => {
    mkdirSync(path.join(root, '.backups'));
    // Owner read and search only: no group or other bits, which Ontocat would take off (owner-only.ts) and so make it writable.
    chmodSync(path.join(root, '.backups'), 0o500);
    const run = runWithoutOverride(['backup'], root);
    chmodSync(path.join(root, '.backups'), 0o755);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(
      `^ontocat: Could not back up the catalog into ${literal(path.join(root, '.backups'))}/\\S+: permission denied on ${literal(path.join(root, '.backups'))}/\\S+ \\(EACCES: ${literal(strerror('EACCES'))}\\)\\. Nothing was changed\\.$`))]);
    expect(readdirSync(path.join(root, '.backups'))).toEqual([]);
  }, 120_000);
});
