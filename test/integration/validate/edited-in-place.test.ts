/**
 * A file edited in place to the same size (`dd conv=notrunc`, as an editor that writes
 * into the file does): a version's data file is a hard link to its content store object,
 * so every version holding the content now reads the edited bytes, while the catalog still
 * records the content it was. A size check alone let validation lend the edited file the
 * findings of the intact content, a backfill index the edited bytes' terms under that
 * content, and the term delta cache changes of other bytes. The size, then the mtime, then
 * (for a written file only) its hash now tell. Outside truth: coreutils' dd, touch and
 * sha256sum, a line scan of EDAM 1.2's stanza ids, and the edited bytes validated as a
 * version of their own in a fresh catalog.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { computeTermDelta } from '../../../electron/ingest/terms/term-delta.js';
import { backfillTermIndex } from '../../../electron/ingest/terms/term-backfill.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { versionFindings } from '../../helpers/version-findings.js';

const edam = (name: string): string => path.join(projectRoot, 'test', 'fixtures', 'edam', name);
const temp = makeTempRoot('ontocat-edited-in-place');
const catalogs: Catalog[] = [];

/** A folder holding one file copied from `from` under `name`. */
function sourceOf(label: string, from: string, name: string): string {
  const dir = path.join(temp.root, 'src', label);
  mkdirSync(dir, { recursive: true });
  copyFileSync(from, path.join(dir, name));
  return dir;
}

async function open(label: string): Promise<Catalog> {
  const catalog = await openCatalog({ root: path.join(temp.root, label) });
  catalogs.push(catalog);
  return catalog;
}

const onDisk = (catalog: Catalog, version: string, name = 'EDAM_1.2.obo'): string => path.join(catalog.root, 'edam', version, 'data', name);

/**
 * Overwrites bytes in the middle of the file with dd, in place (same inode, same size): the
 * second `[Term]` header from its `]` on becomes `}`, and its stanza's `id:` tag `iX:`.
 */
function editInPlace(file: string): void {
  const text = readFileSync(file, 'latin1');
  const second = text.indexOf('[Term]', text.indexOf('[Term]') + 1);
  const id = text.indexOf('\nid:', second) + 2;
  for (const [offset, byte] of [[second + 5, '}'], [id, 'X']] as const) {
    execFileSync('sh', ['-c', `printf '${byte}' | dd of="$1" bs=1 seek=${offset} conv=notrunc status=none`, 'dd', file]);
  }
}

const sha256sum = (file: string): string => execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;

/** A version's findings, comparable across catalogs and versions (timings, ids and storage rows left out). */
const findings = (catalog: Catalog, version: string): Promise<string[]> => versionFindings(catalog, { service: 'edam', version }, { ids: false, storage: false });

async function storageRows(catalog: Catalog, version: string): Promise<{ rule: string; message: string; details_json: string }[]> {
  return catalog.read((conn) => conn.all(
    `SELECT v.rule, v.message, v.details_json FROM validations v WHERE v.version_id = $1 AND v.validator = 'storage'`, [versionId('edam', version)]));
}

let shared: Catalog;
let touched: Catalog;
let reference: Catalog;
let intactFindings: string[];

beforeAll(async () => {
  const release = sourceOf('1.2', edam('EDAM_1.2.obo'), 'EDAM_1.2.obo');
  // 1.2-a validated intact; then its stored copy (and so 1.2-b's, the same object) edited in place.
  shared = await open('shared');
  await ingest(shared, release, { service: 'edam', version: '1.2-a' });
  await validateVersion(shared, { service: 'edam', version: '1.2-a' });
  intactFindings = await findings(shared, '1.2-a');
  await ingest(shared, release, { service: 'edam', version: '1.2-b' });
  editInPlace(onDisk(shared, '1.2-a'));
  await validateVersion(shared, { service: 'edam', version: '1.2-b' });
  // Only touched: same bytes, a new mtime.
  touched = await open('touched');
  await ingest(touched, release, { service: 'edam', version: '1.2-a' });
  await validateVersion(touched, { service: 'edam', version: '1.2-a' });
  await ingest(touched, release, { service: 'edam', version: '1.2-b' });
  execFileSync('touch', ['-d', '2001-01-01 00:00:00', onDisk(touched, '1.2-a')]);
  await validateVersion(touched, { service: 'edam', version: '1.2-b' });
  // The edited bytes as a version of their own.
  reference = await open('reference');
  await ingest(reference, sourceOf('edited', onDisk(shared, '1.2-a'), 'EDAM_1.2.obo'), { service: 'edam', version: '1.2-b' });
  await validateVersion(reference, { service: 'edam', version: '1.2-b' });
}, 300_000);
afterAll(async () => {
  for (const catalog of catalogs) await catalog.close();
  temp.cleanup();
});

describe('a file edited in place to the same size', () => {
  it('is still the size recorded, and sha256sum says it is other bytes', async () => {
    const [row] = await shared.read((conn) => conn.all<{ size_bytes: number; sha256: string }>(
      `SELECT size_bytes, sha256 FROM extracted_files WHERE version_id = $1`, [versionId('edam', '1.2-b')]));
    expect(readFileSync(onDisk(shared, '1.2-b')).length).toBe(row!.size_bytes);
    expect(sha256sum(onDisk(shared, '1.2-b'))).not.toBe(row!.sha256);
  });

  it('is reported by validation, naming the hash sha256sum gives, and is parsed as the bytes it holds, not lent the intact findings', async () => {
    const storage = await storageRows(shared, '1.2-b');
    expect(storage.map((row) => row.rule)).toEqual(['changed-in-place']);
    expect(JSON.parse(storage[0]!.details_json)).toMatchObject({ actual_sha256: sha256sum(onDisk(shared, '1.2-b')) });
    expect(storage[0]!.message).toMatch(/is the recorded size but was written since.*Run 'ontocat doctor'/);
    const edited = await findings(shared, '1.2-b');
    expect(edited).not.toEqual(intactFindings);
    expect(edited).toEqual(await findings(reference, '1.2-b'));
  });

  it('edited before its first validation, gives the index neither its terms nor a verdict that the content does not parse', async () => {
    const catalog = await open('first-validation');
    await ingest(catalog, sourceOf('1.2', edam('EDAM_1.2.obo'), 'EDAM_1.2.obo'), { service: 'edam', version: '1.2' });
    editInPlace(onDisk(catalog, '1.2'));
    await validateVersion(catalog, { service: 'edam', version: '1.2' });
    const indexed = await catalog.read((conn) => conn.all<{ terms: number }>(
      `SELECT c.terms FROM extracted_files f JOIN term_index_contents c USING (sha256) WHERE f.version_id = $1`, [versionId('edam', '1.2')]));
    expect(indexed).toEqual([]);
    // Nor a verdict that the content does not parse: the intact release parses.
    expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*)::INTEGER FROM term_index_unparsable'))).toBe(0);
    // The intact release, ingested again elsewhere, then gives every id a line scan finds.
    const scanned = readFileSync(edam('EDAM_1.2.obo'), 'utf8').split('\n').filter((line) => /^id: \S+:/.test(line)).map((line) => line.slice(4).trim());
    const intact = await open('intact');
    await ingest(intact, sourceOf('1.2', edam('EDAM_1.2.obo'), 'EDAM_1.2.obo'), { service: 'edam', version: '1.2' });
    await validateVersion(intact, { service: 'edam', version: '1.2' });
    const rows = await intact.read((conn) => conn.all<{ term: string }>(
      `SELECT k.term FROM extracted_files f JOIN term_index_contents c USING (sha256) JOIN file_terms t USING (content_id) JOIN term_keys k USING (term_key)
       WHERE f.version_id = $1`, [versionId('edam', '1.2')]));
    const ids = new Set(rows.map((row) => row.term));
    expect(scanned.filter((id) => !ids.has(id))).toEqual([]);
  }, 120_000);

  it('only touched (same bytes, new mtime), it reuses the intact findings with no storage finding', async () => {
    expect(await storageRows(touched, '1.2-b')).toEqual([]);
    expect(await findings(touched, '1.2-b')).toEqual(intactFindings);
  });

  it('is not read by a backfill, which says why', async () => {
    const catalog = await open('backfill');
    await ingest(catalog, sourceOf('1.2', edam('EDAM_1.2.obo'), 'EDAM_1.2.obo'), { service: 'edam', version: '1.2' });
    await validateVersion(catalog, { service: 'edam', version: '1.2' }, { indexTerms: false });
    editInPlace(onDisk(catalog, '1.2'));
    const result = await backfillTermIndex(catalog);
    expect(result).toMatchObject({ contents: 1, indexed: 0, unreadable: 1, failed: [{ relpath: 'EDAM_1.2.obo', reason: 'unreadable' }] });
    expect(result.failed[0]!.message).toMatch(/not the content recorded: it is the recorded size but was written since: its sha256 is /);
    expect(result.failed[0]!.message).toContain(sha256sum(onDisk(catalog, '1.2')).slice(0, 12));
  }, 120_000);

  it('refuses a term delta of it, caching nothing', async () => {
    const catalog = await open('delta');
    await ingest(catalog, sourceOf('1.1', edam('EDAM_1.1.obo'), 'EDAM.obo'), { service: 'edam', version: '1.1' });
    await ingest(catalog, sourceOf('1.2-as-edam', edam('EDAM_1.2.obo'), 'EDAM.obo'), { service: 'edam', version: '1.2' });
    editInPlace(onDisk(catalog, '1.2', 'EDAM.obo'));
    await expect(computeTermDelta(catalog, { a: { service: 'edam', version: '1.1' }, b: { service: 'edam', version: '1.2' }, relpath: 'EDAM.obo' }))
      .rejects.toThrow(/edam\/1\.2\/EDAM\.obo on disk is not the content recorded \(it is the recorded size but was written since/);
    expect(await catalog.read((conn) => conn.scalar<number>('SELECT count(*)::INTEGER FROM term_delta_runs'))).toBe(0);
  }, 120_000);
});
