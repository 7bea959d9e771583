import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { writeTree } from './archive-fixtures.js';
import { hashTree, ingestRefused } from './ingest-checks.js';

const hasInfoZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('unzip', ['-v']).status === 0;

/** Where an entry's data starts in a zip, and how long it is, from its local header. */
function entryData(raw: Buffer, name: string): { start: number; length: number } {
  for (let at = raw.indexOf('PK\x03\x04'); at !== -1; at = raw.indexOf('PK\x03\x04', at + 4)) {
    const nameLength = raw.readUInt16LE(at + 26);
    if (raw.toString('utf8', at + 30, at + 30 + nameLength) !== name) continue;
    return { start: at + 30 + nameLength + raw.readUInt16LE(at + 28), length: raw.readUInt32LE(at + 18) };
  }
  throw new Error(`no local header for ${name}`);
}

/** `unzip -t`'s verdict, the outside reference for a zip's integrity. */
function unzipTest(file: string): string {
  return spawnSync('unzip', ['-t', file], { encoding: 'utf8' }).stdout;
}

describe.skipIf(!hasInfoZip)('zip entries are checked against their CRC-32 while extracting', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let root: string;
  let tree: string;
  let catalog: Catalog;
  const lines = Array.from({ length: 4000 }, (_, i) => `line ${i} of a deflated file\n`).join('');
  beforeEach(async () => {
    temp = makeTempRoot('ontocat-zip-crc');
    root = path.join(temp.root, 'root');
    tree = path.join(temp.root, 'src');
    // A good file first, so a late refusal has something in the work folder to clean up.
    writeTree(tree, { 'a-good.ttl': '@prefix ex: <http://example.org/> .\n', 'data.ttl': 'ex:a ex:b ex:c .\n'.repeat(50), 'seq.txt': lines });
    catalog = await openCatalog({ root, app: 'test', threads: 1 });
  });
  afterEach(async () => {
    await catalog.close();
    temp.cleanup();
  });

  function infoZip(name: string, ...args: string[]): string {
    const file = path.join(temp.root, name);
    const made = spawnSync('zip', ['-q', '-X', ...args, file, 'a-good.ttl', 'data.ttl', 'seq.txt'], { cwd: tree, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    expect(unzipTest(file)).toMatch(/No errors detected/);
    return file;
  }

  async function expectCrcRefused(file: string, entry: string): Promise<void> {
    const refusal = await ingestRefused(catalog, root, file);
    expect(refusal.code).toBe('BAD_INPUT');
    expect(refusal.message).toMatch(new RegExp(`^Cannot read the archive ${path.basename(file).replace(/\./g, '\\.')}: the entry '${entry.replace(/\./g, '\\.')}' fails its CRC-32 check \\(the zip records [0-9a-f]{8}, its data gives [0-9a-f]{8}\\); the archive is corrupt\\.$`));
  }

  it('a stored entry (zip -0) with one flipped byte is refused, as unzip -t finds it', async () => {
    const file = infoZip('stored.zip', '-0');
    const raw = readFileSync(file);
    const { start } = entryData(raw, 'data.ttl');
    raw[start + 100] = raw[start + 100]! ^ 0x20; // 'c' → 'C': the same size, another content
    writeFileSync(file, raw);
    expect(unzipTest(file)).toMatch(/data\.ttl\s+bad CRC/);
    await expectCrcRefused(file, 'data.ttl');
  });

  it('a deflated entry whose flipped byte still inflates (to other bytes) is refused, as unzip -t finds it', async () => {
    const file = infoZip('deflated.zip', '-9');
    const raw = readFileSync(file);
    const { start, length } = entryData(raw, 'seq.txt');
    const original = raw.subarray(start, start + length);
    // A flip that leaves a valid deflate stream of the same length: only the CRC can tell.
    let flipped = -1;
    for (let i = Math.floor(length / 2); i < length && flipped < 0; i += 1) {
      const copy = Buffer.from(original);
      copy[i] = copy[i]! ^ 0x01;
      try {
        const out = inflateRawSync(copy);
        if (out.length === lines.length && !out.equals(Buffer.from(lines))) flipped = i;
      } catch { /* this flip breaks the stream; try the next byte */ }
    }
    expect(flipped).toBeGreaterThan(0);
    raw[start + flipped] = raw[start + flipped]! ^ 0x01;
    writeFileSync(file, raw);
    expect(unzipTest(file)).toMatch(/seq\.txt\s+bad CRC/);
    await expectCrcRefused(file, 'seq.txt');
  });

  it('the intact archives ingest with the right bytes', async () => {
    for (const [name, level] of [['stored.zip', '-0'], ['deflated.zip', '-9']] as const) {
      const file = infoZip(name, level);
      await expect(ingest(catalog, file, { service: 'svc', version: name })).resolves.toMatchObject({ status: 'ingested', files: 3 });
      expect(hashTree(path.join(root, 'svc', name, 'data'))).toEqual(hashTree(tree));
    }
  });
});
