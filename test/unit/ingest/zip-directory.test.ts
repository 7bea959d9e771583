import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { scanZipDirectory, type ZipRecord } from '../../../electron/ingest/zip-directory.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { makeZip } from '../../integration/ingest/archive-fixtures.js';

const hasZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('zipinfo', ['-h']).status !== null;

async function scan(file: string): Promise<ZipRecord[]> {
  const out: ZipRecord[] = [];
  await scanZipDirectory(file, (record) => { out.push(record); });
  return out;
}

/** Every entry as yauzl (an independent reader) sees it. */
async function yauzlListing(file: string): Promise<{ name: string; size: number; attrs: number }[]> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out: { name: string; size: number; attrs: number }[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => { out.push({ name: entry.fileName, size: entry.uncompressedSize, attrs: entry.externalFileAttributes }); zip.readEntry(); });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}

describe('scanZipDirectory reads what zip tools read', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  beforeAll(() => { temp = makeTempRoot('ontocat-zipdir'); });
  afterAll(() => temp.cleanup());

  it.skipIf(!hasZip)('an Info-ZIP archive with folders, a symlink and a space in a name: the same names as zipinfo, the same sizes and modes as yauzl', async () => {
    const tree = path.join(temp.root, 'tree');
    mkdirSync(path.join(tree, 'onto', 'deep'), { recursive: true });
    writeFileSync(path.join(tree, 'onto', 'go.obo'), 'format-version: 1.2\n'.repeat(500));
    writeFileSync(path.join(tree, 'onto', 'deep', 'with space.ttl'), '');
    symlinkSync('go.obo', path.join(tree, 'onto', 'alias.obo'));
    const file = path.join(temp.root, 'info.zip');
    // ASCII names only, to compare with yauzl: Info-ZIP on Linux stores other bytes
    // unflagged, which yauzl reads as CP437 while zipinfo and this scanner read UTF-8
    // (see zip-names.test.ts).
    const made = spawnSync('zip', ['-r', '-y', '-q', file, 'onto'], { cwd: tree, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const records = await scan(file);
    const zipinfo = spawnSync('zipinfo', ['-1', file], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(records.map((record) => record.fileName)).toEqual(zipinfo);
    expect(records.map((record) => ({ name: record.fileName, size: record.uncompressedSize, attrs: record.externalFileAttributes }))).toEqual(await yauzlListing(file));
    expect(records.find((record) => record.fileName === 'onto/go.obo')!.uncompressedSize).toBe(10_000);
  });

  it.skipIf(!hasZip)('a zip64 archive (zip -fz) and a cp437-named entry from a DOS host read as yauzl reads them; from a Unix host refused', async () => {
    const tree = path.join(temp.root, 'z64');
    mkdirSync(tree, { recursive: true });
    for (let i = 0; i < 50; i += 1) writeFileSync(path.join(tree, `f${i}.txt`), 'y'.repeat(i * 10));
    const file = path.join(temp.root, 'zip64.zip');
    const made = spawnSync('zip', ['-q', '-fz', file, ...Array.from({ length: 50 }, (_, i) => `f${i}.txt`)], { cwd: tree, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const raw = readFileSync(file);
    expect(raw.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // a zip64 end record
    const records = await scan(file);
    expect(records).toHaveLength(50);
    expect(records.map((record) => ({ name: record.fileName, size: record.uncompressedSize, attrs: record.externalFileAttributes }))).toEqual(await yauzlListing(file));
    // A name byte above 0x7f, no UTF-8 flag, made on DOS (host 0): CP437 (0x81 is 'ü'), as yauzl reads it.
    const cp = path.join(temp.root, 'cp437.zip');
    await makeZip(cp, [{ name: 'xbc.txt', content: 'z' }]);
    const patched = readFileSync(cp);
    for (let i = 0; i + 7 <= patched.length; i += 1) {
      if (patched.toString('latin1', i, i + 7) === 'xbc.txt') patched[i] = 0x81;
    }
    // yazl flags its names UTF-8 and says Unix (host 3): clear the flag in every header,
    // and (for the DOS copy) make the host MS-DOS.
    const unix = Buffer.from(patched);
    for (let i = 0; i + 4 <= patched.length; i += 1) {
      const signature = patched.readUInt32LE(i);
      if (signature === 0x02014b50) {
        for (const copy of [patched, unix]) copy.writeUInt16LE(copy.readUInt16LE(i + 8) & ~0x800, i + 8);
        patched[i + 5] = 0;
      }
      if (signature === 0x04034b50) for (const copy of [patched, unix]) copy.writeUInt16LE(copy.readUInt16LE(i + 6) & ~0x800, i + 6);
    }
    writeFileSync(cp, patched);
    expect((await scan(cp)).map((record) => record.fileName)).toEqual((await yauzlListing(cp)).map((entry) => entry.name));
    expect((await scan(cp))[0]!.fileName).toBe('übc.txt');
    // From a Unix host the byte is not a CP437 letter but a name that is not UTF-8.
    const fromUnix = path.join(temp.root, 'unix-latin.zip');
    writeFileSync(fromUnix, unix);
    await expect(scan(fromUnix)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/not UTF-8 text: '\\x81bc\.txt'/) });
  });

  it('refuses a file that is not a zip and a zip cut short', async () => {
    const junk = path.join(temp.root, 'junk.zip');
    writeFileSync(junk, 'this is not a zip');
    await expect(scan(junk)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/end of central directory/) });
    const good = path.join(temp.root, 'good.zip');
    await makeZip(good, [{ name: 'a.txt', content: 'a' }, { name: 'b.txt', content: 'b' }]);
    const raw = readFileSync(good);
    const cut = path.join(temp.root, 'cut.zip');
    // Keep the end record but drop the first bytes of the directory it points at.
    const directoryAt = raw.readUInt32LE(raw.length - 22 + 16);
    writeFileSync(cut, Buffer.concat([raw.subarray(0, directoryAt), raw.subarray(directoryAt + 10)]));
    await expect(scan(cut)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
