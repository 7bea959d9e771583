import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findArtifact, findBySha256, getFile, listDirectory, listFiles } from '../../../electron/catalog/file-queries.js';
import { listEvents } from '../../../electron/catalog/event-queries.js';
import { fileId, versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { storageUsage } from '../../../electron/catalog/usage-queries.js';
import { listValidations, validationSummary } from '../../../electron/catalog/validation-queries.js';
import { getLatest, listServices, listVersions, versionStats } from '../../../electron/catalog/version-queries.js';
import { replaceVersionFiles, replaceVersionValidations, upsertArtifact, upsertVersion } from '../../../electron/catalog/write-records.js';
import { openSession, type Session } from '../../../electron/handlers/session.js';
import { isOntocatError } from '../../../electron/shared/errors.js';
import { recordVersion, sha } from '../../helpers/catalog-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

/**
 * What the root's `.tmp` holds: staged files a write left behind. DuckDB's spill folder
 * (`.tmp/duckdb`, made owner-only before the catalog opens) counts only by what is in it.
 */
function scratchLeft(root: string): string[] {
  const tmp = path.join(root, '.tmp');
  if (!existsSync(tmp)) return [];
  return readdirSync(tmp, { recursive: true, encoding: 'utf8' }).filter((entry) => entry !== 'duckdb');
}

const go1 = { service: 'go', version: '2024-01-01' };
const go2 = { service: 'go', version: '2024-02-01' };

describe('catalog queries', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let catalog: Catalog;

  beforeAll(async () => {
    temp = makeTempRoot('ontocat-queries');
    catalog = await openCatalog({ root: temp.root });
  });
  afterAll(async () => {
    await catalog.close();
    temp.cleanup();
  });

  it('an empty catalog answers every query with empty results, not errors', async () => {
    await catalog.read(async (conn) => {
      expect(await listVersions(conn)).toEqual({ items: [], total: 0, offset: 0, limit: 100 });
      expect(await getLatest(conn, 'go')).toBeNull();
      expect((await storageUsage(conn)).total_files).toBe(0);
      expect((await findBySha256(conn, sha('nothing'))).files).toEqual([]);
    });
  });

  it('records versions with unicode and spaces in paths, and reads them back exactly', async () => {
    await recordVersion(catalog, go1.service, go1.version, [
      { relpath: 'go.owl', format: 'rdfxml', size_bytes: 5000, sha256: sha('go-a') },
      { relpath: 'imports/ro import.owl', format: 'rdfxml', size_bytes: 700, sha256: sha('ro') },
      { relpath: 'imports/über/ünïcødé 名前.ttl', format: 'turtle', size_bytes: 300, sha256: sha('uni') },
      { relpath: 'subsets/goslim_generic.obo', format: 'obo', size_bytes: 200, sha256: sha('slim-a') },
    ], {
      created_at: '2024-01-01T00:00:00Z',
      validations: [
        { relpath: 'go.owl', validator: 'rdfxml', rule: 'syntax', severity: 'ERROR', passed: true },
        { relpath: 'subsets/goslim_generic.obo', validator: 'obo', rule: 'syntax', severity: 'ERROR', passed: false, message: 'bad stanza', line: 12, col: 1 },
        { relpath: 'subsets/goslim_generic.obo', validator: 'quality', rule: 'missing-label', severity: 'ERROR', passed: false, subject: 'GO:0001' },
        { relpath: 'imports/ro import.owl', validator: 'quality', rule: 'missing-definition', severity: 'WARN', passed: false, subject: 'RO:1' },
      ],
    });
    await recordVersion(catalog, go2.service, go2.version, [
      { relpath: 'go.owl', format: 'rdfxml', size_bytes: 6000, sha256: sha('go-b') },
      { relpath: 'imports/ro import.owl', format: 'rdfxml', size_bytes: 700, sha256: sha('ro') },
      { relpath: 'imports/über/ünïcødé 名前.ttl', format: 'turtle', size_bytes: 300, sha256: sha('uni') },
    ], { created_at: '2024-02-01T00:00:00Z' });
    await recordVersion(catalog, 'chebi', '245', [{ relpath: 'chebi.obo', format: 'obo', size_bytes: 9000, sha256: sha('chebi') }], { created_at: '2023-06-01T00:00:00Z' });

    const file = await catalog.read((conn) => getFile(conn, go1, 'imports/über/ünïcødé 名前.ttl'));
    expect(file).toMatchObject({ relpath: 'imports/über/ünïcødé 名前.ttl', format: 'turtle', size_bytes: 300, version: go1.version });
    // The SQL-computed id equals the JS one: bulk and single-row writes agree.
    expect(file.file_id).toBe(fileId(versionId(go1.service, go1.version), 'imports/über/ünïcødé 名前.ttl'));
  });

  it('lists versions newest first, filters by service and pages with exact totals', async () => {
    await catalog.read(async (conn) => {
      const all = await listVersions(conn);
      expect(all.items.map((v) => `${v.service}/${v.version}`)).toEqual(['go/2024-02-01', 'go/2024-01-01', 'chebi/245']);
      expect(all.total).toBe(3);
      const goOnly = await listVersions(conn, { service: 'go', sort: 'bytes', direction: 'desc' });
      expect(goOnly.items.map((v) => v.bytes)).toEqual([7000, 6200]);
      const page = await listVersions(conn, { limit: 1, offset: 2 });
      expect(page.items.map((v) => v.service)).toEqual(['chebi']);
      expect(page.total).toBe(3);
      const beyond = await listVersions(conn, { limit: 10, offset: 3 });
      expect(beyond.items).toEqual([]);
      const stats = all.items.find((v) => v.version === go1.version)!;
      expect(stats).toMatchObject({ files: 4, bytes: 6200 });
      // One file parses, one does not (and also has an ERROR finding); a WARN is a finding,
      // never a failure; a file with no syntax result is not checked.
      expect(stats.health).toEqual({
        files: 4, files_checked: 2, files_parsed: 1, files_unparsable: 1, files_unchecked: 2,
        files_with_errors: 1, files_with_warnings: 1, errors: 1, warnings: 1, infos: 0,
      });
    });
  });

  it('rejects bad paging and unknown sort keys with clear errors', async () => {
    await catalog.read(async (conn) => {
      for (const query of [{ limit: 0 }, { limit: 1001 }, { offset: -1 }, { limit: 1.5 }]) {
        const error = await listVersions(conn, query).catch((e: unknown) => e);
        expect(isOntocatError(error, 'BAD_INPUT')).toBe(true);
      }
      const error = await listVersions(conn, { sort: 'version_id; DROP TABLE versions' as 'version' }).catch((e: unknown) => e);
      expect(isOntocatError(error, 'BAD_INPUT')).toBe(true);
      expect((error as Error).message).toContain('Cannot sort by');
    });
  });

  it('unknown versions fail with NOT_FOUND naming the known ones', async () => {
    const error = await catalog.read((conn) => versionStats(conn, { service: 'go', version: '1999' })).catch((e: unknown) => e);
    expect(isOntocatError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/Unknown version go\/1999.*2024-02-01/);
    const noService = await catalog.read((conn) => listFiles(conn, { service: 'nope', version: '1' })).catch((e: unknown) => e);
    expect((noService as Error).message).toContain("no service 'nope'");
  });

  it('version stats: files, bytes, per format, validation health, largest files', async () => {
    const stats = await catalog.read((conn) => versionStats(conn, go1, 2));
    expect(stats).toMatchObject({ files: 4, bytes: 6200, health: { files_checked: 2, files_parsed: 1, files_with_errors: 1, warnings: 1 } });
    expect(stats.by_format).toEqual([
      { format: 'rdfxml', files: 2, bytes: 5700 },
      { format: 'turtle', files: 1, bytes: 300 },
      { format: 'obo', files: 1, bytes: 200 },
    ]);
    expect(stats.largest_files.map((f) => f.relpath)).toEqual(['go.owl', 'imports/ro import.owl']);
  });

  it('lists files by prefix, format, name search, validation status, sorted and paged', async () => {
    await catalog.read(async (conn) => {
      expect((await listFiles(conn, go1, { prefix: 'imports' })).items.map((f) => f.relpath))
        .toEqual(['imports/ro import.owl', 'imports/über/ünïcødé 名前.ttl']);
      // A prefix is a folder, not a string prefix: "import" does not match "imports/", and
      // a folder the version lacks is an error, not an empty list.
      await expect(listFiles(conn, go1, { prefix: 'import' })).rejects.toThrow("No folder 'import' in go/2024-01-01.");
      // A page past the last row still says how many rows there are.
      const all = await listFiles(conn, go1);
      expect(await listFiles(conn, go1, { offset: all.total + 5 })).toMatchObject({ items: [], total: all.total });
      expect((await listFiles(conn, go1, { format: 'obo' })).items.map((f) => f.relpath)).toEqual(['subsets/goslim_generic.obo']);
      expect((await listFiles(conn, go1, { search: '名前' })).total).toBe(1);
      expect((await listFiles(conn, go1, { search: '%' })).total).toBe(0);
      // "failed" means errors: the file with only a WARN is not among them.
      expect((await listFiles(conn, go1, { status: 'failed' })).items.map((f) => f.relpath)).toEqual(['subsets/goslim_generic.obo']);
      expect((await listFiles(conn, go1, { status: 'passed' })).items.map((f) => f.relpath)).toEqual(['go.owl']);
      // Not checked: no syntax result (a quality finding alone does not make a file checked).
      expect((await listFiles(conn, go1, { status: 'unvalidated' })).items.map((f) => f.relpath)).toEqual(['imports/ro import.owl', 'imports/über/ünïcødé 名前.ttl']);
      const bySize = await listFiles(conn, go1, { sort: 'size_bytes', direction: 'desc', limit: 2, offset: 1 });
      expect(bySize.items.map((f) => f.size_bytes)).toEqual([700, 300]);
      expect(bySize.total).toBe(4);
      const error = await listFiles(conn, go1, { prefix: '../etc' }).catch((e: unknown) => e);
      expect(isOntocatError(error, 'UNSAFE_PATH')).toBe(true);
    });
  });

  it('lists one folder level with aggregated counts, bytes and failures (lazy tree)', async () => {
    await catalog.read(async (conn) => {
      const top = await listDirectory(conn, go1);
      // errors: the unparsable OBO file counts once, plus its ERROR finding; the WARN is a warning.
      expect(top.items.map((e) => [e.kind, e.name, e.files, e.bytes, e.errors, e.warnings])).toEqual([
        ['dir', 'imports', 2, 1000, 0, 1],
        ['dir', 'subsets', 1, 200, 2, 0],
        ['file', 'go.owl', 1, 5000, 0, 0],
      ]);
      const imports = await listDirectory(conn, go1, { dir: 'imports' });
      expect(imports.items.map((e) => [e.kind, e.relpath, e.files])).toEqual([
        ['dir', 'imports/über', 1],
        ['file', 'imports/ro import.owl', 1],
      ]);
      const byBytes = await listDirectory(conn, go1, { sort: 'bytes', direction: 'desc' });
      expect(byBytes.items.map((e) => e.name)).toEqual(['imports', 'subsets', 'go.owl']);
      const filtered = await listDirectory(conn, go1, { format: 'turtle' });
      expect(filtered.items.map((e) => [e.name, e.files])).toEqual([['imports', 1]]);
      const error = await listDirectory(conn, go1, { dir: 'nope' }).catch((e: unknown) => e);
      expect(isOntocatError(error, 'NOT_FOUND')).toBe(true);
    });
  });

  it('validations list and summary with filters', async () => {
    await catalog.read(async (conn) => {
      const failures = await listValidations(conn, go1, { passed: false });
      expect(failures.total).toBe(3);
      expect(failures.items[0]).toMatchObject({ severity: 'ERROR' });
      const obo = await listValidations(conn, go1, { validator: 'obo' });
      expect(obo.items).toHaveLength(1);
      expect(obo.items[0]).toMatchObject({ message: 'bad stanza', line: 12, col: 1, relpath: 'subsets/goslim_generic.obo' });
      const warn = await listValidations(conn, go1, { severity: 'WARN' });
      expect(warn.items.map((v) => v.subject)).toEqual(['RO:1']);
      // A prefix is a folder, as files and ls read it: 'subset' is not 'subsets/', and a
      // leading slash changes nothing.
      const all = await listValidations(conn, go1, { limit: 1000 });
      const inSubsets = all.items.filter((v) => v.relpath.startsWith('subsets/')).length;
      expect(inSubsets).toBeGreaterThan(0);
      expect((await listValidations(conn, go1, { prefix: 'subsets' })).total).toBe(inSubsets);
      expect((await listValidations(conn, go1, { prefix: '/subsets/' })).total).toBe(inSubsets);
      expect((await listValidations(conn, go1, { prefix: 'subset' })).total).toBe(0);
      const summary = await validationSummary(conn, go1);
      expect(summary.find((row) => row.validator === 'quality' && row.format === 'obo')).toMatchObject({ failed: 1, passed: 0 });
      expect(summary.reduce((sum, row) => sum + row.failed, 0)).toBe(3);
    });
  });

  it('finds content by sha256 across versions and artifacts by id', async () => {
    const vid = await catalog.write(async (tx) => upsertArtifact(tx, { ...go1, name: 'go.tar.gz', size_bytes: 1234, sha256: sha('archive'), status: 'fresh', source_url: 'https://example.org/go.tar.gz' }));
    const where = await catalog.read((conn) => findBySha256(conn, sha('ro').toUpperCase()));
    expect(where.files.map((f) => `${f.version}:${f.relpath}`)).toEqual(['2024-01-01:imports/ro import.owl', '2024-02-01:imports/ro import.owl']);
    const artifact = await catalog.read((conn) => findArtifact(conn, vid));
    expect(artifact).toMatchObject({ name: 'go.tar.gz', size_bytes: 1234, status: 'fresh', version: go1.version, files: 0 });
    const bad = await catalog.read((conn) => findBySha256(conn, 'xyz')).catch((e: unknown) => e);
    expect(isOntocatError(bad, 'BAD_INPUT')).toBe(true);
  });

  it('storage usage by service, version and format; unique bytes count shared content once', async () => {
    const usage = await catalog.read((conn) => storageUsage(conn));
    expect(usage.total_files).toBe(8);
    expect(usage.total_bytes).toBe(6200 + 7000 + 9000);
    expect(usage.unique_bytes).toBe(usage.total_bytes - 700 - 300);
    expect(usage.by_service).toEqual([{ key: 'go', files: 7, bytes: 13200 }, { key: 'chebi', files: 1, bytes: 9000 }]);
    expect(usage.by_version[0]).toEqual({ key: 'chebi/245', files: 1, bytes: 9000 });
    for (const rows of [usage.by_service, usage.by_version, usage.by_format]) {
      expect(rows.reduce((sum, row) => sum + row.files, 0)).toBe(usage.total_files);
      expect(rows.reduce((sum, row) => sum + row.bytes, 0)).toBe(usage.total_bytes);
      expect(rows.map((row) => row.bytes)).toEqual([...rows.map((row) => row.bytes)].sort((a, b) => b - a));
    }
    expect(usage.by_version.map((row) => row.key).sort()).toEqual(['chebi/245', 'go/2024-01-01', 'go/2024-02-01']);
  });

  it('repeating a write is an upsert: same ids, no duplicates', async () => {
    const before = await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM extracted_files'));
    await catalog.write(async (tx) => {
      await upsertVersion(tx, go2);
      await replaceVersionFiles(tx, go2, [
        { relpath: 'go.owl', format: 'rdfxml', size_bytes: 6000, sha256: sha('go-b') },
        { relpath: 'imports/ro import.owl', format: 'rdfxml', size_bytes: 700, sha256: sha('ro') },
        { relpath: 'imports/über/ünïcødé 名前.ttl', format: 'turtle', size_bytes: 300, sha256: sha('uni') },
      ]);
    });
    const after = await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM extracted_files'));
    expect(after).toBe(before);
    expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM versions'))).toBe(3);
  });

  it('refuses unsafe or duplicate paths and rolls the whole write back', async () => {
    for (const [relpath, code] of [['../escape.ttl', 'UNSAFE_PATH'], ['/abs.ttl', 'UNSAFE_PATH'], ['a//b.ttl', 'UNSAFE_PATH'], ['tab\there', 'BAD_INPUT']] as const) {
      const error = await catalog.write(async (tx) => replaceVersionFiles(tx, go2, [{ relpath, format: 'turtle', size_bytes: 1, sha256: sha('x') }])).catch((e: unknown) => e);
      expect(isOntocatError(error, code), `${relpath}: ${String(error)}`).toBe(true);
    }
    const dup = await catalog.write(async (tx) => replaceVersionFiles(tx, go2, [
      { relpath: 'a.ttl', format: 'turtle', size_bytes: 1, sha256: sha('x') },
      { relpath: 'a.ttl', format: 'turtle', size_bytes: 1, sha256: sha('y') },
    ])).catch((e: unknown) => e);
    expect(isOntocatError(dup, 'BAD_INPUT'), String(dup)).toBe(true);
    expect((dup as Error).message).toContain("'a.ttl' in go/2024-02-01: duplicate path");
    // A path repeated in a later block is named too, and nothing of the earlier block stays.
    const spread = await catalog.write(async (tx) => replaceVersionFiles(tx, go2, ['x.ttl', 'y.ttl', 'z.ttl', 'y.ttl'].map((relpath) => (
      { relpath, format: 'turtle', size_bytes: 1, sha256: sha(relpath) })), 2)).catch((e: unknown) => e);
    expect((spread as Error).message).toContain("'y.ttl' in go/2024-02-01: duplicate path");
    // Nothing of the failed writes is visible: go2 still has its 3 files.
    const stats = await catalog.read((conn) => versionStats(conn, go2));
    expect(stats.files).toBe(3);
  });

  it('keeps names that look like CSV syntax exactly as given, and leaves no scratch file behind', async () => {
    const odd = { service: 'go', version: 'odd-names' };
    const names = ['"quoted".ttl', "it's.ttl", 'a,b;c.ttl', ' lead space.ttl', 'trail space .ttl', '#hash.ttl', 'NULL', '\\N', 'x/"y"/ünï 名前.ttl', 'deep/er/still.obo'];
    await catalog.write(async (tx) => {
      await upsertVersion(tx, odd);
      await replaceVersionFiles(tx, odd, names.map((relpath, i) => ({
        relpath: relpath.replace('\\', ''), format: 'turtle', size_bytes: i, sha256: sha(relpath), mtime: i === 0 ? null : Date.UTC(2024, 0, i),
      })));
    });
    const rows = await catalog.read((conn) => conn.all<{ relpath: string; dir: string; name: string; size_bytes: number; mtime: unknown }>(
      'SELECT relpath, dir, name, size_bytes, mtime FROM extracted_files WHERE version_id = $1 ORDER BY size_bytes', [versionId(odd.service, odd.version)]));
    expect(rows.map((r) => r.relpath)).toEqual(names.map((n) => n.replace('\\', '')));
    expect(rows.find((r) => r.relpath === 'x/"y"/ünï 名前.ttl')).toMatchObject({ dir: 'x/"y"', name: 'ünï 名前.ttl' });
    expect(rows[0]!.mtime).toBeNull();
    // The four content keys are the whole hash, as the delta and lookup queries expect.
    const wrongKeys = await catalog.read((conn) => conn.scalar<number>(
      `SELECT count(*) FROM extracted_files WHERE version_id = $1 AND NOT (content_key = ('0x' || sha256[1:16])::UBIGINT
         AND content_key_2 = ('0x' || sha256[17:32])::UBIGINT AND content_key_3 = ('0x' || sha256[33:48])::UBIGINT
         AND content_key_4 = ('0x' || sha256[49:64])::UBIGINT)`, [versionId(odd.service, odd.version)]));
    expect(wrongKeys).toBe(0);
    expect(scratchLeft(temp.root)).toEqual([]);
  });

  it('stores a path far longer than one CSV read buffer, among short ones', async () => {
    const long = { service: 'go', version: 'long-path' };
    const deep = `${'very-long-folder-name/'.repeat(55_000)}leaf.ttl`;
    const relpaths = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? deep : `short/${i}.ttl`));
    await catalog.write(async (tx) => {
      await upsertVersion(tx, long);
      await replaceVersionFiles(tx, long, relpaths.map((relpath, i) => ({ relpath, format: 'turtle', size_bytes: i, sha256: sha(relpath) })));
    });
    const stored = await catalog.read((conn) => conn.one<{ files: number; longest: number; name: string }>(
      `SELECT count(*) AS files, max(length(relpath)) AS longest, arg_max(name, length(relpath)) AS name FROM extracted_files WHERE version_id = $1`,
      [versionId(long.service, long.version)]));
    expect(stored).toEqual({ files: 3000, longest: deep.length, name: 'leaf.ttl' });
  });

  it('loads a version in several blocks, and a bad row in a later block undoes the earlier ones', async () => {
    const blocks = { service: 'go', version: 'blocks' };
    const file = (i: number) => ({ relpath: `b/${i}.ttl`, format: 'turtle', size_bytes: i, sha256: sha(`block ${i}`) });
    await catalog.write(async (tx) => {
      await upsertVersion(tx, blocks);
      await replaceVersionFiles(tx, blocks, [0, 1, 2, 3, 4].map(file), 2);
    });
    expect(await catalog.read((conn) => versionStats(conn, blocks))).toMatchObject({ files: 5, bytes: 10 });
    const error = await catalog.write((tx) => replaceVersionFiles(tx, blocks, [file(5), file(6), file(7), { ...file(8), sha256: 'not-a-hash' }], 2))
      .catch((e: unknown) => e);
    expect(isOntocatError(error, 'BAD_INPUT'), String(error)).toBe(true);
    expect((error as Error).message).toContain("'b/8.ttl'");
    expect(await catalog.read((conn) => versionStats(conn, blocks))).toMatchObject({ files: 5, bytes: 10 });
    expect(scratchLeft(temp.root)).toEqual([]);
  });

  it('checks every row\'s own fields, also after rows whose format and artifact passed', async () => {
    const artifact = '0b6c3a51-8f1e-4e55-9a9e-2d8cbe1f0a10';
    const good = (i: number) => ({ relpath: `f/${i}.ttl`, format: 'turtle', sniffed_format: 'turtle', size_bytes: i, sha256: sha(`f ${i}`), artifact_id: artifact });
    for (const [bad, message] of [
      [{ format: 'tur\ntle' }, 'control character'],
      [{ sniffed_format: 'x\ty' }, 'control character'],
      [{ cas_relpath: '.cas/\u0001' }, 'control character'],
      [{ artifact_id: 'not-a-uuid' }, 'invalid artifact id'],
      [{ format: '' }, 'missing format'],
    ] as const) {
      const error = await catalog.write((tx) => replaceVersionFiles(tx, go2, [good(1), good(2), { ...good(3), ...bad }, good(4)])).catch((e: unknown) => e);
      expect(isOntocatError(error, 'BAD_INPUT'), `${JSON.stringify(bad)}: ${String(error)}`).toBe(true);
      expect((error as Error).message).toContain(message);
    }
    expect((await catalog.read((conn) => versionStats(conn, go2))).files).toBe(3);
  });

  it('names a path repeated within one block of several, and leaves nothing behind', async () => {
    const early = { service: 'go', version: 'early-dup' };
    await catalog.write((tx) => upsertVersion(tx, early));
    const error = await catalog.write((tx) => replaceVersionFiles(tx, early, ['a.ttl', 'a.ttl', 'b.ttl', 'c.ttl', 'd.ttl'].map((relpath, i) => (
      { relpath, format: 'turtle', size_bytes: i, sha256: sha(`early ${i}`) })), 2)).catch((e: unknown) => e);
    expect(isOntocatError(error, 'BAD_INPUT'), String(error)).toBe(true);
    expect((error as Error).message).toContain("'a.ttl' in go/early-dup: duplicate path");
    expect(await catalog.read((conn) => versionStats(conn, early))).toMatchObject({ files: 0 });
    expect(scratchLeft(temp.root)).toEqual([]);
  });

  it('names a path repeated far apart in a version, at the default block size', async () => {
    const many = { service: 'go', version: 'many-blocks' };
    await catalog.write((tx) => upsertVersion(tx, many));
    const relpaths = Array.from({ length: 6000 }, (_, i) => `m/${i}.ttl`);
    const error = await catalog.write((tx) => replaceVersionFiles(tx, many, [...relpaths, 'm/7.ttl'].map((relpath, i) => (
      { relpath, format: 'turtle', size_bytes: i, sha256: sha(`many ${i}`) })))).catch((e: unknown) => e);
    expect(isOntocatError(error, 'BAD_INPUT'), String(error)).toBe(true);
    expect((error as Error).message).toContain("'m/7.ttl' in go/many-blocks: duplicate path");
    expect(await catalog.read((conn) => versionStats(conn, many))).toMatchObject({ files: 0 });
    await catalog.write((tx) => replaceVersionFiles(tx, many, relpaths.map((relpath, i) => ({ relpath, format: 'turtle', size_bytes: i, sha256: sha(`many ${i}`) }))));
    expect(await catalog.read((conn) => versionStats(conn, many))).toMatchObject({ files: 6000, bytes: (5999 * 6000) / 2 });
  });

  it('every write records an event; events filter by type prefix and level', async () => {
    const events = await catalog.read((conn) => listEvents(conn, { type: 'version.', limit: 100 }));
    expect(events.items.some((e) => e.type === 'version.created' && e.payload.version === go1.version)).toBe(true);
    expect(events.items.some((e) => e.type === 'version.updated')).toBe(true);
    const files = await catalog.read((conn) => listEvents(conn, { type: 'files.recorded', limit: 1 }));
    expect(files.total).toBeGreaterThanOrEqual(3);
    expect(files.items).toHaveLength(1);
  });
});

describe('latest pointer (set-latest boundary)', () => {
  let temp: ReturnType<typeof makeTempRoot>;
  let session: Session;
  beforeAll(async () => {
    temp = makeTempRoot('ontocat-latest');
    session = await openSession({ root: temp.root, actor: 'test' });
    await recordVersion(session.catalog, 'go', 'v1', [{ relpath: 'go.owl' }]);
    await recordVersion(session.catalog, 'go', 'v2', [{ relpath: 'go.owl' }]);
  });
  afterAll(async () => {
    await session.close();
    temp.cleanup();
  });

  it('sets latest, mirrors it to LATEST.json and reports the previous version', async () => {
    expect(await session.call('latest:set', { ref: 'go/v1' })).toEqual({ service: 'go', version: 'v1', previous: null, changed: true });
    expect(await session.call('latest:set', { ref: 'go/v2' })).toEqual({ service: 'go', version: 'v2', previous: 'v1', changed: true });
    expect(await session.call('latest:get', { service: 'go' })).toMatchObject({ service: 'go', version: 'v2', by: 'test' });
    const mirror = JSON.parse(readFileSync(path.join(temp.root, 'go', 'LATEST.json'), 'utf8')) as { version: string; updated_at: string };
    expect(mirror.version).toBe('v2');
    // The file says when the pointer moved as the catalog does, to the millisecond.
    const pointer = await session.call('latest:get', { service: 'go' });
    expect(new Date(mirror.updated_at).getTime()).toBe(new Date(pointer!.updated_at).getTime());
    const versions = await session.call('versions:list', { service: 'go' });
    expect(versions.items.filter((v) => v.is_latest).map((v) => v.version)).toEqual(['v2']);
  });

  it('rolls the pointer back when LATEST.json cannot be written', async () => {
    // A folder where the file should go makes the atomic rename fail.
    const { mkdirSync, rmSync } = await import('node:fs');
    rmSync(path.join(temp.root, 'go', 'LATEST.json'));
    mkdirSync(path.join(temp.root, 'go', 'LATEST.json', 'blocker'), { recursive: true });
    const result = await session.invoke('latest:set', { ref: 'go/v1' });
    expect(result).toMatchObject({ ok: false, code: 'IO_ERROR' });
    expect(existsSync(path.join(temp.root, 'go', 'LATEST.json', 'blocker'))).toBe(true);
    expect(await session.call('latest:get', { service: 'go' })).toMatchObject({ version: 'v2' });
    rmSync(path.join(temp.root, 'go', 'LATEST.json'), { recursive: true });
  });

  it('unknown versions and malformed input are refused before anything is written', async () => {
    const unknown = await session.invoke('latest:set', { ref: 'go/v9' });
    expect(unknown).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const malformed = await session.invoke('latest:set', { ref: '../go' });
    expect(malformed).toMatchObject({ ok: false, code: 'BAD_INPUT' });
    const extra = await session.invoke('versions:list', { service: 'go', evil: true });
    expect(extra).toMatchObject({ ok: false, code: 'BAD_INPUT' });
  });

  it('storage usage follows writes (its cache never serves a stale answer)', async () => {
    const before = await session.call('storage:usage', {});
    expect(await session.call('storage:usage', {})).toEqual(before);
    await recordVersion(session.catalog, 'go', 'v3', [{ relpath: 'extra.ttl', size_bytes: 1234 }]);
    const after = await session.call('storage:usage', {});
    expect(after.total_files).toBe(before.total_files + 1);
    expect(after.total_bytes).toBe(before.total_bytes + 1234);
  });

  it('the versions and services lists and the catalog counts follow every kind of write (their kept answers are never stale)', async () => {
    const fresh = (query: { service?: string; sort?: 'bytes' }) => session.catalog.read((conn) => listVersions(conn, query));
    const queries = [{}, { service: 'go' }, { sort: 'bytes' as const }];
    const expectCurrent = async (): Promise<void> => {
      for (const query of queries) expect(await session.call('versions:list', query)).toEqual(await fresh(query));
      expect(await session.call('services:list', {})).toEqual(await session.catalog.read((conn) => listServices(conn)));
      const info = await session.call('catalog:info', {});
      expect({ versions: info.versions, files: info.files }).toEqual(await session.catalog.read((conn) => conn.one(
        'SELECT (SELECT count(*) FROM versions) AS versions, (SELECT count(*) FROM extracted_files) AS files',
      )));
    };
    await expectCurrent();
    const kept = await session.call('versions:list', {});
    expect(await session.call('versions:list', {})).toBe(kept);
    const writes: [string, () => Promise<unknown>][] = [
      ['a new version', () => recordVersion(session.catalog, 'go', 'v4', [{ relpath: 'a.ttl', size_bytes: 77 }])],
      ['a version re-recorded with other files', () => recordVersion(session.catalog, 'go', 'v4', [{ relpath: 'a.ttl', size_bytes: 78 }, { relpath: 'b.ttl' }])],
      ['validations', () => session.catalog.write((tx) => replaceVersionValidations(tx, { service: 'go', version: 'v4' }, [
        { relpath: 'a.ttl', validator: 'turtle', rule: 'syntax', severity: 'ERROR', passed: false, message: 'bad' },
      ]))],
      ['a pin', () => session.call('versions:pin', { ref: 'go/v4', pinned: true })],
      ['a release date', () => session.call('versions:set-release', { ref: 'go/v4', release_date: '2001-01-01' })],
      ['the latest pointer', () => session.call('latest:set', { ref: 'go/v4' })],
    ];
    for (const [what, write] of writes) {
      const before = await session.call('versions:list', {});
      await write();
      const after = await session.call('versions:list', {});
      expect(after, what).not.toEqual(before);
      await expectCurrent();
    }
    // A write that commits while a page is being computed: that page is not served after it.
    const racing = session.call('versions:list', { service: 'go' });
    await recordVersion(session.catalog, 'go', 'v5', [{ relpath: 'c.ttl' }]);
    await racing;
    expect((await session.call('versions:list', { service: 'go' })).items.map((v) => v.version)).toContain('v5');
    await expectCurrent();
  });

  it('pinning is recorded and shown in version lists', async () => {
    await session.call('versions:pin', { ref: 'go/v1', pinned: true });
    const versions = await session.call('versions:list', { service: 'go' });
    expect(versions.items.find((v) => v.version === 'v1')?.pinned).toBe(true);
  });
});
