import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { makeZip, writeTree } from './archive-fixtures.js';
import { closeTestRoot, hashTree, ingestRefused, openTestRoot, type TestRoot } from './ingest-checks.js';

const hasInfoZip = spawnSync('zip', ['-v']).status === 0 && spawnSync('unzip', ['-v']).status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;

const sha = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Every central directory record's name flags and host, to show what a fixture really holds. */
function centralRecords(raw: Buffer): { name: Buffer; utf8Flag: boolean; host: number }[] {
  const out: { name: Buffer; utf8Flag: boolean; host: number }[] = [];
  for (let at = raw.indexOf('PK\x01\x02'); at !== -1; at = raw.indexOf('PK\x01\x02', at + 4)) {
    out.push({ name: raw.subarray(at + 46, at + 46 + raw.readUInt16LE(at + 28)), utf8Flag: (raw.readUInt16LE(at + 8) & 0x800) !== 0, host: raw[at + 5]! });
  }
  return out;
}

/** Rewrites every header of a zip: name bytes `from` → `to` (same length), flag and host as given. */
function patchZip(file: string, from: string, to: Buffer, options: { utf8Flag: boolean; host?: number }): void {
  const raw = readFileSync(file);
  for (let i = raw.indexOf(from); i !== -1; i = raw.indexOf(from, i + 1)) to.copy(raw, i);
  for (let at = 0; at + 4 <= raw.length; at += 1) {
    const signature = raw.readUInt32LE(at);
    const flagAt = signature === 0x02014b50 ? at + 8 : signature === 0x04034b50 ? at + 6 : -1;
    if (flagAt < 0) continue;
    const flags = raw.readUInt16LE(flagAt);
    raw.writeUInt16LE(options.utf8Flag ? flags | 0x800 : flags & ~0x800, flagAt);
    if (signature === 0x02014b50 && options.host !== undefined) raw[at + 5] = options.host;
  }
  writeFileSync(file, raw);
}

describe('zip entry names: UTF-8 unless a DOS/Windows zip says otherwise, never silently renamed', () => {
  let temp: TestRoot['temp'];
  let root: string;
  let src: string;
  let catalog: Catalog;
  beforeEach(async () => {
    ({ temp, root, src, catalog } = await openTestRoot('ontocat-zip-names'));
  });
  afterEach(() => closeTestRoot({ temp, catalog }));

  async function ingestedTree(file: string, version: string): Promise<Record<string, string>> {
    await expect(ingest(catalog, file, { service: 'svc', version })).resolves.toMatchObject({ status: 'ingested' });
    const rows = await catalog.read((conn) => conn.all<{ relpath: string }>("SELECT relpath FROM extracted_files f JOIN versions v USING (version_id) WHERE v.version = $1 ORDER BY relpath", [version]));
    const onDisk = hashTree(path.join(root, 'svc', version, 'data'));
    expect(rows.map((row) => row.relpath)).toEqual(Object.keys(onDisk).sort());
    return onDisk;
  }

  it.skipIf(!hasInfoZip)('Info-ZIP on Linux (host Unix, no UTF-8 flag) keeps dír/café.txt and 日本.ttl, as unzip lists them', async () => {
    const tree = path.join(src, 'tree');
    writeTree(tree, { 'dír/café.txt': 'café\n', '日本.ttl': '@prefix ex: <http://example.org/> .\n', 'plain.txt': 'plain\n' });
    const file = path.join(src, 'nonascii.zip');
    const made = spawnSync('zip', ['-q', '-r', file, 'dír', '日本.ttl', 'plain.txt'], { cwd: tree, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    // What makes this the reported case: UTF-8 bytes, unflagged, made on Unix.
    const records = centralRecords(readFileSync(file));
    expect(records.find((record) => record.name.toString('utf8') === 'dír/café.txt')).toMatchObject({ utf8Flag: false, host: 3 });
    const unzipNames = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' }).stdout.trim().split('\n').filter((name) => !name.endsWith('/'));
    const onDisk = await ingestedTree(file, 'infozip');
    expect(Object.keys(onDisk).sort()).toEqual(unzipNames.sort());
    expect(onDisk).toEqual({ 'dír/café.txt': sha('café\n'), '日本.ttl': sha('@prefix ex: <http://example.org/> .\n'), 'plain.txt': sha('plain\n') });
  });

  it.skipIf(!hasInfoZip)('Info-ZIP on Linux with a Latin-1 file name is refused from the central directory, naming its bytes', async () => {
    const tree = path.join(src, 'latin1');
    writeTree(tree, { 'ok.ttl': 'x' });
    writeFileSync(Buffer.concat([Buffer.from(`${tree}/`), Buffer.from('caf\xe9.txt', 'latin1')]), 'café');
    const file = path.join(src, 'latin1.zip');
    const made = spawnSync('zip', ['-q', '-r', file, '.'], { cwd: tree, encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    expect(centralRecords(readFileSync(file)).map((record) => record.name.toString('latin1'))).toContain('caf\xe9.txt');
    const refusal = await ingestRefused(catalog, root, file);
    expect(refusal).toMatchObject({ code: 'BAD_INPUT', extracted: false });
    expect(refusal.message).toBe("Cannot read the archive latin1.zip: The archive has an entry whose name is not UTF-8 text: 'caf\\xe9.txt'. Ontocat records paths as UTF-8; repack the archive with UTF-8 names (for example after convmv -f latin1 -t utf8).");
  });

  it.skipIf(!hasPython)('a zip made on DOS/Windows with a CP437 name keeps CP437 (as Python zipfile reads it); the UTF-8 flag on bad bytes is refused', async () => {
    const file = path.join(src, 'dos.zip');
    await makeZip(file, [{ name: 'xbc.txt', content: 'dos' }]);
    patchZip(file, 'xbc.txt', Buffer.from([0x81, 0x62, 0x63, 0x2e, 0x74, 0x78, 0x74]), { utf8Flag: false, host: 0 });
    const python = spawnSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).namelist()[0])', file], { encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    expect(python.stdout.trim()).toBe('übc.txt');
    expect(await ingestedTree(file, 'dos')).toEqual({ 'übc.txt': sha('dos') });
    // The same bytes flagged UTF-8 are not UTF-8: refused, not guessed at.
    const flagged = path.join(src, 'flagged.zip');
    await makeZip(flagged, [{ name: 'xbc.txt', content: 'flagged' }]);
    patchZip(flagged, 'xbc.txt', Buffer.from([0x81, 0x62, 0x63, 0x2e, 0x74, 0x78, 0x74]), { utf8Flag: true });
    const refusal = await ingestRefused(catalog, root, flagged);
    expect(refusal).toMatchObject({ code: 'BAD_INPUT', extracted: false });
    expect(refusal.message).toMatch(/not UTF-8 text: '\\x81bc\.txt'/);
  });

  it.skipIf(!hasPython || !hasInfoZip)('the Info-ZIP Unicode Path extra field names the entry when its CRC matches the raw name (as unzip reads it), and is ignored when stale', async () => {
    const script = [
      'import sys, struct, zipfile, zlib',
      'with zipfile.ZipFile(sys.argv[1], "w") as z:',
      '    for raw, unicode, crc_of in (("caf_.txt", "café.txt", "caf_.txt"), ("old.txt", "renamed.txt", "other")):',
      '        data = b"\\x01" + struct.pack("<I", zlib.crc32(crc_of.encode())) + unicode.encode()',
      '        info = zipfile.ZipInfo(raw)',
      '        info.extra = struct.pack("<HH", 0x7075, len(data)) + data',
      '        z.writestr(info, raw)',
    ].join('\n');
    const file = path.join(src, 'upath.zip');
    const made = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const unzipNames = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(unzipNames).toEqual(['café.txt', 'old.txt']);
    expect(await ingestedTree(file, 'upath')).toEqual({ 'café.txt': sha('caf_.txt'), 'old.txt': sha('old.txt') });
  });
});
