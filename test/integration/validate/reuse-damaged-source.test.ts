/**
 * A version's file replaced on disk by other bytes (here its first half, as a copy cut
 * short leaves it) is still parsed by validation, which reports the size mismatch beside
 * what the parse found. Those findings and terms are of the bytes on disk, not of the
 * content the catalog records for the file: they were recorded in the term index under
 * that content's hash, and a later version holding the intact content reused them instead
 * of parsing its own copy (EDAM 1.2's OBO release read as 1,469 terms, not 2,757, and
 * without its defects). Outside truth: a line scan of the release's stanza ids, and the
 * same version validated alone in a catalog of its own.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { backfillTermIndex } from '../../../electron/ingest/terms/term-backfill.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import type { TermBackfillResult } from '../../../electron/shared/contract/terms.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { versionFindings } from '../../helpers/version-findings.js';

const release = path.join(projectRoot, 'test', 'fixtures', 'edam', 'EDAM_1.2.obo');
const temp = makeTempRoot('ontocat-reuse-damaged-source');
const source = path.join(temp.root, 'src');
let damaged: Catalog;
let alone: Catalog;
let backfilled: Catalog;
let backfill: TermBackfillResult;

/** A version's findings, comparable across catalogs (timings left out). */
const findings = (catalog: Catalog, version: string): Promise<string[]> => versionFindings(catalog, { service: 'edam', version }, { ids: true, storage: true });

/** The ids the term index gives a version's file. */
async function indexedIds(catalog: Catalog, version: string): Promise<Set<string>> {
  const rows = await catalog.read((conn) => conn.all<{ term: string }>(
    `SELECT k.term FROM extracted_files f JOIN term_index_contents c USING (sha256) JOIN file_terms t USING (content_id) JOIN term_keys k USING (term_key)
     WHERE f.version_id = $1 AND f.relpath = 'EDAM_1.2.obo'`, [versionId('edam', version)]));
  return new Set(rows.map((row) => row.term));
}

/** Replaces the version's copy of the release (a new file, not an edit of the stored copy) by its first half. */
function cutShort(catalog: Catalog, version: string): void {
  const onDisk = path.join(catalog.root, 'edam', version, 'data', 'EDAM_1.2.obo');
  const bytes = readFileSync(onDisk);
  rmSync(onDisk);
  writeFileSync(onDisk, bytes.subarray(0, Math.floor(bytes.length / 2)));
}

beforeAll(async () => {
  mkdirSync(source, { recursive: true });
  copyFileSync(release, path.join(source, 'EDAM_1.2.obo'));
  damaged = await openCatalog({ root: path.join(temp.root, 'damaged') });
  await ingest(damaged, source, { service: 'edam', version: '1.2-a' });
  cutShort(damaged, '1.2-a');
  await validateVersion(damaged, { service: 'edam', version: '1.2-a' });
  // The intact release again, as a second version.
  await ingest(damaged, source, { service: 'edam', version: '1.2-b' });
  await validateVersion(damaged, { service: 'edam', version: '1.2-b' });
  // The same with the first version validated before the term index existed, then backfilled.
  backfilled = await openCatalog({ root: path.join(temp.root, 'backfilled') });
  await ingest(backfilled, source, { service: 'edam', version: '1.2-a' });
  cutShort(backfilled, '1.2-a');
  await validateVersion(backfilled, { service: 'edam', version: '1.2-a' }, { indexTerms: false });
  backfill = await backfillTermIndex(backfilled);
  await ingest(backfilled, source, { service: 'edam', version: '1.2-b' });
  await validateVersion(backfilled, { service: 'edam', version: '1.2-b' });
  alone = await openCatalog({ root: path.join(temp.root, 'alone') });
  await ingest(alone, source, { service: 'edam', version: '1.2-b' });
  await validateVersion(alone, { service: 'edam', version: '1.2-b' });
}, 300_000);
afterAll(async () => {
  await damaged?.close();
  await alone?.close();
  await backfilled?.close();
  temp.cleanup();
});

describe('a file whose bytes on disk are not its recorded content', () => {
  it('is reported as such, and its parse is not what the content holds', async () => {
    const first = await findings(damaged, '1.2-a');
    expect(first.some((row) => row.includes('"rule":"size-mismatch"'))).toBe(true);
  });

  it('lends no findings to another version holding the content', async () => {
    expect(await findings(damaged, '1.2-b')).toEqual(await findings(alone, '1.2-b'));
  });

  it('puts no terms in the index under the content', async () => {
    // Every term stanza's id, by a line scan of the release (its twelve typedefs, with bare
    // ids, are indexed under their IRIs).
    const scanned = readFileSync(release, 'utf8').split('\n').filter((line) => /^id: \S+:/.test(line)).map((line) => line.slice(4).trim());
    expect(scanned.length).toBe(2745);
    const indexed = await indexedIds(damaged, '1.2-b');
    expect(scanned.filter((id) => !indexed.has(id))).toEqual([]);
    expect(indexed).toEqual(await indexedIds(alone, '1.2-b'));
  });

  it('is not read by a backfill, which says why', async () => {
    expect(backfill).toMatchObject({ contents: 1, indexed: 0, unreadable: 1, failed: [{ relpath: 'EDAM_1.2.obo', reason: 'unreadable' }] });
    expect(backfill.failed[0]!.message).toContain('the catalog recorded 1179235');
    expect(await indexedIds(backfilled, '1.2-b')).toEqual(await indexedIds(alone, '1.2-b'));
  });
});
