import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { readArchive, type ArchiveEntry } from '../../../electron/ingest/archive-readers.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTree } from './archive-fixtures.js';
import { ingestRefused } from './ingest-checks.js';

const hasTar = spawnSync('tar', ['--version']).status === 0;

/**
 * A sparse file of 4 MiB: `islands` small data runs (the first at 0, then 256 KiB apart)
 * and holes everywhere else, which GNU tar --sparse stores as a map plus the runs.
 */
function writeSparseFile(file: string, islands: number): void {
  const fd = openSync(file, 'w');
  try {
    for (let i = 0; i < islands; i += 1) writeSync(fd, Buffer.from(`island ${i}\n`), 0, undefined, i * (256 << 10));
  } finally {
    closeSync(fd);
  }
  truncateSync(file, 4 << 20);
}

/** Whether any header block of a tar has type flag 'S'. */
function hasTypeS(raw: Buffer): boolean {
  for (let at = 0; at + 512 <= raw.length; at += 512) {
    if (raw[at + 156] === 0x53 && raw.toString('latin1', at + 257, at + 263).startsWith('ustar')) return true;
  }
  return false;
}

/** GNU tar's ways of storing a sparse file, and what marks each in the archive's bytes. */
const FORMATS: readonly { label: string; args: string[]; islands: number; marker: (raw: Buffer) => boolean }[] = [
  { label: 'GNU (type S)', args: ['--format=gnu'], islands: 1, marker: hasTypeS },
  { label: 'old GNU (type S)', args: ['--format=oldgnu'], islands: 1, marker: hasTypeS },
  // More runs than an old GNU header's map holds (4): extension blocks follow the header.
  { label: 'old GNU, map past the header (extension blocks)', args: ['--format=oldgnu'], islands: 10, marker: hasTypeS },
  { label: 'PAX 0.0 (GNU.sparse.offset/numbytes)', args: ['--format=pax', '--sparse-version=0.0'], islands: 2, marker: (raw) => raw.includes('GNU.sparse.numbytes=') },
  { label: 'PAX 0.1 (GNU.sparse.map)', args: ['--format=pax', '--sparse-version=0.1'], islands: 2, marker: (raw) => raw.includes('GNU.sparse.map=') },
  { label: 'PAX 1.0 (GNUSparseFile.N/ name, map in the data)', args: ['--format=pax', '--sparse-version=1.0'], islands: 2, marker: (raw) => raw.includes('GNU.sparse.major=1') },
];

describe.skipIf(!hasTar)('sparse tar entries (tar --sparse) are refused from the headers, naming the entry', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let tree: string;
  let catalog: Catalog;
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-sparse');
    root = path.join(temp.root, 'root');
    tree = path.join(temp.root, 'src', 'tree');
    writeTree(tree, { 'normal.txt': 'a normal file\n' });
    mkdirSync(path.join(tree, 'deep'), { recursive: true });
    catalog = await openCatalog({ root, app: 'test', threads: 1 });
  });
  afterEach(async () => {
    await catalog.close();
    temp.cleanup();
  });

  /** Makes the archive with GNU tar, or null when this file system stored no holes. */
  function sparseTar(name: string, args: string[], islands: number, marker: (raw: Buffer) => boolean): string | null {
    writeSparseFile(path.join(tree, 'deep', 'sparse.bin'), islands);
    const archive = path.join(temp.root, 'src', name);
    const made = spawnSync('tar', ['--sparse', ...args, '-cf', archive, '-C', tree, 'normal.txt', 'deep'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const raw = readFileSync(archive);
    // Without holes on disk GNU tar writes a plain file; nothing sparse to test then.
    if (!raw.includes('GNU.sparse') && !hasTypeS(raw)) return null;
    expect(marker(raw)).toBe(true);
    // The outside truth: GNU tar lists the entry under its real name and size.
    const listed = spawnSync('tar', ['-tvf', archive], { encoding: 'utf8' }).stdout;
    expect(listed).toMatch(/ 4194304 .* deep\/sparse\.bin\n/);
    return archive;
  }

  for (const [index, format] of FORMATS.entries()) {
    it(`${format.label}: refused before anything is extracted, nothing recorded, no temp left`, async (ctx) => {
      const archive = sparseTar(`sparse-${index}.tar`, format.args, format.islands, format.marker);
      if (archive === null) ctx.skip('this file system keeps no holes: GNU tar stored a plain file');
      const refusal = await ingestRefused(catalog, root, archive!);
      expect(refusal.code).toBe('BAD_INPUT');
      expect(refusal.message).toBe(`Refused sparse-${index}.tar: entry 'deep/sparse.bin' is a sparse file (tar --sparse), which Ontocat does not extract; re-create the archive without --sparse.`);
      expect(refusal.extracted).toBe(false);
    });
  }

  it('the extracting reader also reports a GNU sparse entry (it is never silently skipped)', async (ctx) => {
    const archive = sparseTar('reader.tar', ['--format=gnu'], 1, hasTypeS);
    if (archive === null) ctx.skip('this file system keeps no holes: GNU tar stored a plain file');
    const seen: Pick<ArchiveEntry, 'name' | 'type'>[] = [];
    await readArchive(archive!, 'tar', async (entry) => { seen.push({ name: entry.name, type: entry.type }); });
    expect(seen).toEqual([{ name: 'normal.txt', type: 'file' }, { name: 'deep/', type: 'dir' }, { name: 'deep/sparse.bin', type: 'sparse' }]);
  });
});
