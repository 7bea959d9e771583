import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { casRelpath } from '../../../electron/storage/layout.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

// Issue 14: a folder is ingested in one pass a file (new content written once in the new
// data tree and linked into the store; stored content linked from it). These check what a
// curator relies on: every version file is the store's object, repeated content is one
// object, and a refused ingest leaves neither objects nor work folders behind.

let root: string;
let source: string;
let cleanups: (() => void)[] = [];
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every regular file under dir, relative, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

beforeEach(() => {
  const made = makeTempRoot('ontocat-one-pass');
  const src = makeTempRoot('ontocat-one-pass-src');
  root = made.root;
  source = src.root;
  cleanups = [made.cleanup, src.cleanup];
});
afterEach(() => { for (const cleanup of cleanups) cleanup(); });

describe('folder ingest in one pass', () => {
  it('places every file as a link to its store object, one object per content, across versions', async () => {
    for (let i = 0; i < 600; i += 1) {
      mkdirSync(path.join(source, `d${i % 7}`), { recursive: true });
      // Every third file repeats another's content; the rest are distinct.
      writeFileSync(path.join(source, `d${i % 7}`, `f${i}.txt`), i % 3 === 0 ? 'shared content\n' : `file ${i}\n`);
    }
    writeFileSync(path.join(source, 'big.bin'), Buffer.alloc(5 << 20, 7)); // above the whole-file read size
    const catalog = await openCatalog({ root });
    try {
      await ingest(catalog, source, { service: 'svc', version: 'v1' });
      const shared = path.join(root, casRelpath(sha256('shared content\n')));
      // The object plus 200 version files.
      expect(lstatSync(shared).nlink).toBe(201);
      for (const name of ['d0/f0.txt', 'd1/f1.txt', 'big.bin']) {
        const placed = path.join(root, 'svc/v1/data', name);
        const data = readFileSync(placed);
        expect(lstatSync(placed).ino).toBe(lstatSync(path.join(root, casRelpath(sha256(data)))).ino);
      }
      // A second version with one file changed: unchanged files link the same objects.
      writeFileSync(path.join(source, 'd1/f1.txt'), 'changed\n');
      await ingest(catalog, source, { service: 'svc', version: 'v2' });
      expect(lstatSync(path.join(root, 'svc/v2/data/d2/f2.txt')).ino).toBe(lstatSync(path.join(root, 'svc/v1/data/d2/f2.txt')).ino);
      expect(readFileSync(path.join(root, 'svc/v2/data/d1/f1.txt'), 'utf8')).toBe('changed\n');
      expect(lstatSync(shared).nlink).toBe(401);
      // The catalog's mtimes are the placed files' (doctor compares them with the disk).
      const rows = await catalog.read((conn) => conn.all<{ relpath: string; mtime: number | bigint }>(
        "SELECT relpath, epoch_ms(mtime) AS mtime FROM extracted_files WHERE version_id = (SELECT version_id FROM versions WHERE version = 'v2') AND relpath IN ('big.bin', 'd1/f1.txt', 'd2/f2.txt')"));
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(Number(row.mtime)).toBe(Math.round(lstatSync(path.join(root, 'svc/v2/data', row.relpath)).mtimeMs));
    } finally {
      await catalog.close();
    }
  });

  it('large files written with early flushes arrive whole, and a repeated one becomes a link to the first', async () => {
    // Above FLUSH_STEP (32 MiB) a file is flushed while it is written: three steps and a tail.
    const big = Buffer.alloc((3 << 25) + 12345);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    writeFileSync(path.join(source, 'huge.bin'), big);
    // The same large content twice: the second copy is written, found in the store, and removed.
    writeFileSync(path.join(source, 'huge-again.bin'), big);
    writeFileSync(path.join(source, 'mid.bin'), Buffer.alloc(6 << 20, 3));
    const catalog = await openCatalog({ root });
    try {
      await ingest(catalog, source, { service: 'svc', version: 'v1' });
      const data = path.join(root, 'svc', 'v1', 'data');
      expect(sha256(readFileSync(path.join(data, 'huge.bin')))).toBe(sha256(big));
      expect(lstatSync(path.join(data, 'huge.bin')).ino).toBe(lstatSync(path.join(data, 'huge-again.bin')).ino);
      expect(lstatSync(path.join(root, casRelpath(sha256(big)))).ino).toBe(lstatSync(path.join(data, 'huge.bin')).ino);
      expect(readFileSync(path.join(data, 'mid.bin')).equals(Buffer.alloc(6 << 20, 3))).toBe(true);
    } finally {
      await catalog.close();
    }
  }, 120_000);

  it('a refused ingest leaves no store objects and no work folder', async () => {
    for (let i = 0; i < 700; i += 1) writeFileSync(path.join(source, `f${String(i).padStart(3, '0')}.txt`), `distinct ${i} ${'x'.repeat(100)}\n`);
    const catalog = await openCatalog({ root });
    try {
      // Over the byte limit once the first batches are stored and placed.
      await expect(ingest(catalog, source, { service: 'svc', version: 'v1', limits: { maxBytes: 30_000 } })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
      expect(filesUnder(path.join(root, '.cas'))).toEqual([]);
      expect(filesUnder(path.join(root, '.tmp'))).toEqual([]);
      expect(existsSync(path.join(root, 'svc', 'v1', 'data'))).toBe(false);
      const versions = await catalog.read((conn) => conn.scalar<number | bigint>('SELECT count(*) FROM versions'));
      expect(Number(versions)).toBe(0);
    } finally {
      await catalog.close();
    }
  });
  it('walks the top-level folders on several workers and records exactly what an independent sha256sum walk finds', async () => {
    // Folders of very different sizes and depths, files beside them at the top, a link
    // inside the folder to a file (followed) and one to a folder (skipped).
    for (let i = 0; i < 900; i += 1) {
      const dir = path.join(source, i % 9 === 0 ? 'zeta' : `a${i % 4}`, ...(i % 2 === 0 ? ['deep', `n${i % 5}`] : []));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `f${i}.txt`), `content ${i % 300}\n`);
    }
    writeFileSync(path.join(source, 'top.txt'), 'at the top\n');
    writeFileSync(path.join(source, 'b-top.txt'), 'also at the top\n');
    symlinkSync(path.join(source, 'a1', 'f1.txt'), path.join(source, 'link-to-file.txt'));
    symlinkSync(path.join(source, 'zeta'), path.join(source, 'link-to-folder'));
    // Independent truth: find + sha256sum over regular files (the file link counts under its own name).
    const listing = spawnSync('bash', ['-c', "find . -type f -printf '%P\\0' | xargs -0 sha256sum; sha256sum link-to-file.txt"], { cwd: source, encoding: 'utf8' });
    const expected = listing.stdout.trim().split('\n').map((line) => `${line.slice(66)} ${line.slice(0, 64)}`).sort();
    expect(expected).toHaveLength(903);
    const catalog = await openCatalog({ root });
    try {
      const summary = await ingest(catalog, source, { service: 'svc', version: 'v1' });
      expect(summary.skipped).toBe(1);
      const rows = await catalog.read((conn) => conn.all<{ relpath: string; sha256: string }>('SELECT relpath, sha256 FROM extracted_files ORDER BY relpath'));
      expect(rows.map((row) => `${row.relpath} ${row.sha256}`).sort()).toEqual(expected);
      // The placed files hold those bytes too.
      for (const row of rows.filter((_, i) => i % 50 === 0)) expect(sha256(readFileSync(path.join(root, 'svc/v1/data', row.relpath)))).toBe(row.sha256);
      // The file limit counts every part of the walk together (each part alone is under it).
      await expect(ingest(catalog, source, { service: 'svc', version: 'v2', limits: { maxFiles: 600 } })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    } finally {
      await catalog.close();
    }
  });
});
