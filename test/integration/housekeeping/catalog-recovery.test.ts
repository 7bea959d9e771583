import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../../electron/handlers/session.js';
import type { BackupInfo, RestoreResult } from '../../../electron/shared/contract/housekeeping.js';
import { addVersion, catalogDump, diskListing, sha256 } from '../../helpers/housekeeping-fixtures.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot, sessionOn } from '../../helpers/temp-root.js';

// Issue 18 items 5, 9, 10 and 14: a catalog file that is missing, truncated, empty or has a
// corrupt header, and backups that lie, each as the adversary reproduced it, through the real CLI.

let root: string;
let cleanup: () => void;
let stamp: string;
let rowsAtBackup: Record<string, unknown[]>;

/** Opens the root in this process (a stale lock left by a SIGKILLed child is recovered). */
const withSession = sessionOn(() => root);

// Each test runs the real CLI several times; a busy machine needs minutes for that.
const slow = 240_000;
const catalogFile = (): string => path.join(root, 'catalog.duckdb');

beforeEach(async () => {
  ({ root, cleanup } = makeTempRoot('ontocat-recovery'));
  await withSession(async (session) => {
    await addVersion(session.catalog, { service: 'go', version: 'v1', created_at: '2026-01-01', files: { 'a.owl': 'one', 'b.owl': 'bee' } });
    await addVersion(session.catalog, { service: 'go', version: 'v2', created_at: '2026-02-01', latest: true, files: { 'a.owl': 'two' } });
    stamp = (await session.call('backup:create', {})).timestamp;
    rowsAtBackup = await catalogDump(session.catalog);
  });
}, slow);
afterEach(() => cleanup());

/** Restores through the CLI and checks the catalog is the backup's and the disk agrees with it. */
async function restoreAndCheck(): Promise<RestoreResult> {
  const run = runOntocat(['restore', stamp, '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  const result = run.json<RestoreResult>();
  expect(result.after).toEqual({ versions: 2, files: 3 });
  expect(result.doctor.findings).toBe(0);
  await withSession(async (session) => {
    expect(await catalogDump(session.catalog)).toEqual(rowsAtBackup);
  });
  return result;
}

/** The damaged file was moved aside byte for byte, never deleted. */
function expectSetAside(result: RestoreResult, bytes: Buffer): void {
  expect(result.safety_backup).toBeNull();
  expect(result.set_aside).toMatch(/^\.backups\/broken-\d{8}T\d+Z$/);
  // By size and digest: a deep equality walks a megabyte buffer byte by byte (40 s here).
  const setAside = readFileSync(path.join(root, result.set_aside!, 'catalog.duckdb'));
  expect({ bytes: setAside.length, sha256: sha256(setAside) }).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
}

describe('a missing catalog file (item 9)', () => {
  it('doctor refuses, naming the newest backup and the restore command; nothing is created or trashed', async () => {
    rmSync(catalogFile());
    const disk = diskListing(root);
    const run = runOntocat(['doctor'], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('missing');
    expect(run.stderr).toContain(`ontocat restore ${stamp}`);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(catalogFile())).toBe(false);
    expect(diskListing(root)).toEqual(disk);
    expect(existsSync(path.join(root, '.trash'))).toBe(false);
    // Every other command refuses the same way; init only when forced.
    for (const args of [['versions'], ['prune', '--keep-last', '1'], ['init']]) {
      const other = runOntocat(args, { root });
      expect(other.code, args.join(' ')).toBe(1);
      expect(other.stderr, args.join(' ')).toContain(`ontocat restore ${stamp}`);
    }
    expect(existsSync(catalogFile())).toBe(false);

    await restoreAndCheck();
    expect(diskListing(root)).toEqual(disk);
  }, slow);

  it('init --force starts an empty catalog on purpose; a new empty root needs no force', () => {
    rmSync(catalogFile());
    expect(runOntocat(['init', '--force'], { root }).code).toBe(0);
    expect(existsSync(catalogFile())).toBe(true);
    const fresh = makeTempRoot('ontocat-fresh');
    try {
      // A folder of the user's own is not stored data: the root is still new.
      mkdirSync(path.join(fresh.root, 'notes'));
      writeFileSync(path.join(fresh.root, 'notes', 'todo.txt'), 'x');
      expect(runOntocat(['init'], { root: fresh.root }).code).toBe(0);
    } finally {
      fresh.cleanup();
    }
  }, slow);
});

describe('a broken catalog file (items 5b and 10)', () => {
  it('a corrupt header is reported as corruption with the restore hint, not as a lock; restore brings it back', async () => {
    const fd = openSync(catalogFile(), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
    closeSync(fd);
    const damaged = readFileSync(catalogFile());
    const run = runOntocat(['doctor'], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot be opened: it is not a valid DuckDB file or it is damaged/);
    expect(run.stderr).not.toMatch(/in use|open for writing/);
    expect(run.stderr).toContain(`ontocat restore ${stamp}`);
    expect(existsSync(path.join(root, '.ontocat.lock'))).toBe(false);
    expectSetAside(await restoreAndCheck(), damaged);
  }, slow);

  it('a damaged block is corruption, not a lock (DuckDB says "checksum … in block", and "block" once read as a lock)', () => {
    const fd = openSync(catalogFile(), 'r+');
    // The first block after the file's three 4 KB headers.
    writeSync(fd, Buffer.alloc(2000, 0xa5), 0, 2000, 12_288 + 300);
    closeSync(fd);
    const run = runOntocat(['doctor'], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot be opened: .*checksum.*block/);
    expect(run.stderr).not.toMatch(/in use|open for writing/);
    expect(run.stderr).toContain(`ontocat restore ${stamp}`);
  }, slow);

  it('a truncated catalog is restored from a verified backup', async () => {
    truncateSync(catalogFile(), Math.floor(statSync(catalogFile()).size / 3));
    const damaged = readFileSync(catalogFile());
    expect(runOntocat(['doctor'], { root }).stderr).toMatch(/cannot be opened/);
    expectSetAside(await restoreAndCheck(), damaged);
  }, slow);

  it('an empty catalog file is restored, and not mistaken for a new catalog', async () => {
    writeFileSync(catalogFile(), '');
    const run = runOntocat(['doctor'], { root });
    expect(run.code).toBe(1);
    expect(statSync(catalogFile()).size).toBe(0);
    expectSetAside(await restoreAndCheck(), Buffer.alloc(0));
  }, slow);

  it('a live holder of the lock is still reported as a lock', async () => {
    const session = await openSession({ actor: 'test', root });
    try {
      const run = runOntocat(['restore', stamp], { root });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/already open for writing by ontocat-test \(pid \d+/);
    } finally {
      await session.close();
    }
  }, slow);
});

/** Rewrites a backup's manifest so that its checksum matches whatever file is there now. */
function forgeChecksum(timestamp: string): void {
  const dir = path.join(root, '.backups', timestamp);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { checksums: { name: string; bytes: number; sha256: string }[] };
  const bytes = readFileSync(path.join(dir, 'catalog.duckdb'));
  manifest.checksums = [{ name: 'catalog.duckdb', bytes: bytes.length, sha256: sha256(bytes) }];
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
}

describe('backups that lie (items 5a and 14)', () => {
  it('a garbage backup with a matching checksum is refused; catalog, doctor and backup list keep working', async () => {
    writeFileSync(path.join(root, '.backups', stamp, 'catalog.duckdb'), Buffer.alloc(300_000, 0x41));
    forgeChecksum(stamp);
    const rows = await withSession((session) => catalogDump(session.catalog));
    const run = runOntocat(['restore', stamp], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/matches its checksum but is not a readable catalog.*Nothing was changed/);
    expect(runOntocat(['doctor'], { root }).code).toBe(0);
    expect(runOntocat(['backup', 'list'], { root }).code).toBe(0);
    await withSession(async (session) => expect(await catalogDump(session.catalog)).toEqual(rows));
    // Nothing staged is left beside the catalog.
    expect(readdirSync(root).filter((name) => name.includes('ontocat-tmp'))).toEqual([]);
  }, slow);

  it('a valid catalog that is not the one the manifest describes is refused', async () => {
    // Another backup's file under this backup's manifest: a real DuckDB catalog, other counts.
    const other = await withSession(async (session) => {
      await addVersion(session.catalog, { service: 'go', version: 'v3', files: { 'c.owl': 'three' } });
      return (await session.call('backup:create', {})).timestamp;
    });
    writeFileSync(path.join(root, '.backups', stamp, 'catalog.duckdb'), readFileSync(path.join(root, '.backups', other, 'catalog.duckdb')));
    forgeChecksum(stamp);
    const run = runOntocat(['restore', stamp], { root });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not hold what its manifest says \(schema \d+, 3 versions, 4 files; the manifest says schema \d+, 2 versions, 3 files\)/);
  }, slow);

  it('backup list shows every backup with a status, whatever one manifest holds', async () => {
    const stamps = await withSession(async (session) => {
      const made: string[] = [];
      for (let i = 0; i < 3; i += 1) made.push((await session.call('backup:create', {})).timestamp);
      return made;
    });
    const [garbled, emptyList, noFile] = stamps as [string, string, string];
    writeFileSync(path.join(root, '.backups', garbled, 'manifest.json'), '{"timestamp": "2026');
    const manifestPath = path.join(root, '.backups', emptyList, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify({ ...JSON.parse(readFileSync(manifestPath, 'utf8')), checksums: [] }));
    rmSync(path.join(root, '.backups', noFile, 'catalog.duckdb'));

    const run = runOntocat(['backup', 'list', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const status = Object.fromEntries(run.json<BackupInfo[]>().map((b) => [b.timestamp, [b.status, b.problem]]));
    expect(status[stamp]).toEqual(['ok', null]);
    expect(status[garbled]![0]).toBe('unreadable_manifest');
    expect(status[garbled]![1]).toMatch(/unreadable/);
    expect(status[emptyList]).toEqual(['unreadable_manifest', expect.stringMatching(/checksum list is empty/)]);
    expect(status[noFile]).toEqual(['missing_file', 'catalog.duckdb is missing from the backup folder.']);
    const human = runOntocat(['backup', 'list'], { root });
    expect(human.stdout).toMatch(new RegExp(`${emptyList}: .*checksum list is empty`));

    for (const [bad, message] of [[emptyList, /checksum list is empty/], [garbled, /manifest .* is unreadable/], [noFile, /incomplete: catalog.duckdb is missing/]] as const) {
      const restore = runOntocat(['restore', bad], { root });
      expect(restore.code).toBe(1);
      expect(restore.stderr).toMatch(message);
      expect(restore.stderr).not.toMatch(/TypeError|at .*\.ts:\d+/);
    }
    // The missing-catalog hint skips the unusable backups and names the newest good one.
    rmSync(catalogFile());
    expect(runOntocat(['doctor'], { root }).stderr).toContain(`ontocat restore ${stamp}`);
  }, slow);

  it('backup list says a backup whose catalog copy was cut short cannot be restored, with the size stat finds', async () => {
    const newer = await withSession(async (session) => (await session.call('backup:create', {})).timestamp);
    const copy = path.join(root, '.backups', newer, 'catalog.duckdb');
    const recorded = statSync(copy).size;
    // coreutils truncate: the copy loses its second half, as a disk that filled or a sync that stopped would leave it.
    const cut = spawnSync('truncate', ['-s', String(Math.floor(recorded / 2)), copy], { encoding: 'utf8' });
    expect(cut.status, cut.stderr).toBe(0);
    const onDisk = Number(spawnSync('stat', ['-c', '%s', copy], { encoding: 'utf8' }).stdout.trim());
    expect(onDisk).toBe(Math.floor(recorded / 2));

    const run = runOntocat(['backup', 'list', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const listed = run.json<BackupInfo[]>().find((b) => b.timestamp === newer)!;
    expect(listed.status).toBe('size_mismatch');
    expect(listed.problem).toBe(`catalog.duckdb holds ${onDisk.toLocaleString('en-US')} bytes, not the ${recorded.toLocaleString('en-US')} its manifest records (cut short or changed); this backup cannot be restored.`);
    expect(run.json<BackupInfo[]>().find((b) => b.timestamp === stamp)!.status).toBe('ok');
    const human = runOntocat(['backup', 'list'], { root });
    expect(human.stdout).toMatch(new RegExp(`${newer} +size_mismatch`));
    expect(human.stdout).toContain(`${newer}: catalog.duckdb holds ${onDisk.toLocaleString('en-US')} bytes`);
    // Restore refuses it, as the list said.
    const restore = runOntocat(['restore', newer], { root });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/does not match its checksum/);
  }, slow);
});
