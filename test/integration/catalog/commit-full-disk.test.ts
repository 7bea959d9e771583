/**
 * A catalog write whose commit fails on a full disk says in one line that the catalog was
 * not changed, in plain words with the errno, and keeps DuckDB's own text after it; and the
 * catalog truly is as it was, as a separate DuckDB reads it once space is back.
 *
 * The disk is a real tmpfs filled to the brim (the kernel's ENOSPC, no fault injection);
 * the errno's words are Python's os.strerror.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runOntocat, runOntocatOk } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { mountSmallFs, noSmallFs, type SmallFs } from '../../helpers/small-fs.js';
import { outsideQuery } from '../../helpers/outside-duckdb.js';

/** A real OBO release shipped by Debian's emboss-data. */
const RO_OBO = '/usr/share/EMBOSS/data/OBO/ro.obo';

let disk: SmallFs;
let root: string;
let source: { root: string; cleanup: () => void };

beforeEach(() => {
  if (noSmallFs) return;
  disk = mountSmallFs('32m', 'ontocat-commit-full');
  root = path.join(disk.dir, 'root');
  source = makeTempRoot('ontocat-commit-full-src');
});
afterEach(() => {
  if (noSmallFs) return;
  disk.cleanup();
  source.cleanup();
});

/** The release dates the catalog holds, as a DuckDB that knows nothing of Ontocat reads them (WAL included). */
async function releaseDates(): Promise<unknown[]> {
  const db = path.join(root, 'catalog.duckdb').replaceAll("'", "''");
  return outsideQuery(`ATTACH '${db}' AS c (READ_ONLY); SELECT service, version, strftime(release_date, '%Y-%m-%d') AS release_date, release_date_source FROM c.versions ORDER BY version`);
}

describe.skipIf(noSmallFs)('a commit on a full disk', () => {
  it('says the catalog was not changed (and it was not), with the disk full in plain words, then DuckDB\'s text', async () => {
    const strerror = spawnSync('python3', ['-c', 'import errno,os; print(os.strerror(errno.ENOSPC))'], { encoding: 'utf8' }).stdout.trim().toLowerCase();
    expect(strerror).toBe('no space left on device');
    const dir = path.join(source.root, 'one');
    mkdirSync(dir);
    copyFileSync(RO_OBO, path.join(dir, 'ro.obo'));
    runOntocatOk(['ingest', dir, '--service', 'obo', '--version', '1'], { root });
    let commitFailures = 0;
    // From no room for the WAL to grow to room for it: where the commit fails depends on blocks.
    for (let kib = 0, day = 1; kib <= 64; kib += 4, day += 1) {
      const before = await releaseDates();
      disk.fill(kib * 1024);
      const run = runOntocat(['release-date', 'obo/1', `2021-12-${String(day).padStart(2, '0')}`], { root });
      disk.free();
      if (run.code === 0 || /writer lock/.test(run.stderr)) continue;
      commitFailures += 1;
      // Was two lines: the handler's console dump, then "versions:set-release failed: TransactionContext Error: Failed to commit: …".
      expect(run.stderr.trimEnd().split('\n'), `with ${kib} KiB free`).toEqual([expect.stringMatching(new RegExp(
        `^ontocat: Could not save the change to the catalog ${path.join(root, 'catalog.duckdb').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `
        + `the disk holding \\S+ is full \\(ENOSPC: ${strerror}\\)\\. The catalog was not changed\\. DuckDB said: .*Failed to commit.*No space left on device`))]);
      expect(await releaseDates(), `with ${kib} KiB free`).toEqual(before);
    }
    expect(commitFailures).toBeGreaterThan(0);
  }, 300_000);

  it('a backup or compact that cannot first checkpoint the WAL says the catalog was not changed (and it was not), not DuckDB\'s bare FATAL text', async () => {
    const dir = path.join(source.root, 'one');
    mkdirSync(dir);
    copyFileSync(RO_OBO, path.join(dir, 'ro.obo'));
    runOntocatOk(['ingest', dir, '--service', 'obo', '--version', '1'], { root });
    const wal = path.join(root, 'catalog.duckdb.wal');
    /** GNU coreutils: the SHA-256 of the catalog file and its WAL. */
    const hashes = (): string => spawnSync('sha256sum', [path.join(root, 'catalog.duckdb'), wal], { encoding: 'utf8' }).stdout;
    // Room for a commit (to the WAL) but not for the checkpoint when the command closes the
    // catalog: the change stays in the WAL, as after any write on a nearly full disk.
    let walLeft = false;
    for (let kib = 16; kib <= 512 && !walLeft; kib *= 2) {
      disk.fill(kib * 1024);
      const set = runOntocat(['release-date', 'obo/1', '2020-01-02'], { root });
      walLeft = set.code === 0 && spawnSync('find', [wal, '-size', '+0']).stdout.length > 0;
      if (!walLeft) disk.free();
    }
    expect(walLeft).toBe(true);
    const before = hashes();
    for (const command of ['backup', 'compact']) {
      const run = runOntocat([command], { root });
      expect(run.code, command).toBe(1);
      // Was: "ontocat: FATAL Error: Failed to create checkpoint because of error: Could not write file …: No space left on device".
      expect(run.stderr.trimEnd().split('\n'), command).toEqual([expect.stringMatching(new RegExp(
        `^ontocat: Could not ${command === 'backup' ? 'back up' : 'compact'} the catalog: DuckDB could not first write the changes kept in its write-ahead log into the catalog file: `
        + 'the disk holding \\S+ is full \\(ENOSPC: no space left on device\\)\\. The catalog was not changed; those changes stay in the log\\. DuckDB said: FATAL Error: Failed to create checkpoint'))]);
      expect(hashes(), command).toBe(before);
    }
    disk.free();
    // What the log held is still the catalog's, as a separate DuckDB reads it.
    expect(await releaseDates()).toEqual([{ service: 'obo', version: '1', release_date: '2020-01-02', release_date_source: expect.any(String) }]);
    runOntocatOk(['backup'], { root });
  }, 300_000);
});
