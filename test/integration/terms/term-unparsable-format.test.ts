/**
 * A parse's verdict is on bytes read as one format: DCAT's N-Quads file of
 * `@zazuko/rdf-vocabularies` 2021 parses as N-Quads (`dcat.nq`) and not as N-Triples, its
 * quads having a graph (the same bytes saved as `dcat.nt`, as `rapper -i ntriples` refuses
 * them). Kept by content alone, the `.nt` copy's verdict made the content "known not to
 * parse": a backfill passed over it and the `.nq` file of a version validated before the
 * index existed never got its 38 terms; in one version holding both, the file read first
 * decided. The other way round, the index (one term set per content) lent the `.nq` file's
 * terms to a later `.nt` copy that validation says does not parse, and that holds no term
 * when validated alone. Outside truth: a line scan of the N-Quads file for its typed terms.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionId } from '../../../electron/catalog/ids.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { termHistory, termIndexStatus } from '../../../electron/catalog/term-index-queries.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { backfillTermIndex } from '../../../electron/ingest/terms/term-backfill.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { scanNquads } from '../../helpers/nquads-scan.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const dcat = path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'dcat.nq');
const temp = makeTempRoot('ontocat-term-unparsable-format');
let catalog: Catalog;

/** A folder holding DCAT's bytes under each of `names`. */
function source(label: string, names: readonly string[]): string {
  const dir = path.join(temp.root, 'src', label);
  mkdirSync(dir, { recursive: true });
  for (const name of names) copyFileSync(dcat, path.join(dir, name));
  return dir;
}

/** The terms the index gives a file of a version. */
async function indexedTerms(version: string, relpath: string): Promise<string[]> {
  const rows = await catalog.read((conn) => conn.all<{ term: string }>(
    `SELECT k.term FROM extracted_files f JOIN term_index_contents c USING (sha256) JOIN file_terms t USING (content_id) JOIN term_keys k USING (term_key)
     WHERE f.version_id = $1 AND f.relpath = $2 ORDER BY k.term`, [versionId('dcat', version), relpath]));
  return rows.map((row) => row.term);
}

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
}, 60_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

describe('a content that does not parse in one format and does in another', () => {
  const scanned = [...scanNquads(dcat).keys()].sort();

  it('is indexed by a backfill from the file that parses, whatever another file of it said', async () => {
    expect(scanned.length).toBe(38);
    // A version validated before the index existed holds the N-Quads file.
    await ingest(catalog, source('2021', ['dcat.nq']), { service: 'dcat', version: '2021' });
    await validateVersion(catalog, { service: 'dcat', version: '2021' }, { indexTerms: false });
    // A later version holds the same bytes named as N-Triples: they do not parse as such.
    await ingest(catalog, source('copy', ['dcat.nt']), { service: 'dcat', version: 'copy' });
    await validateVersion(catalog, { service: 'dcat', version: 'copy' });
    expect(await indexedTerms('2021', 'dcat.nq')).toEqual([]);
    expect(await catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION))).toMatchObject({ contents_pending: 1 });

    const backfill = await backfillTermIndex(catalog);
    expect(backfill).toMatchObject({ contents: 1, indexed: 1, unparsable: 0 });
    expect(await indexedTerms('2021', 'dcat.nq')).toEqual(scanned);
    expect(await catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION))).toMatchObject({ versions_pending: 0, contents_pending: 0 });
  });

  it('is indexed by validating a version that holds it in both formats, whichever file comes first', async () => {
    // `a.nt` is read before `b.nq`: the content was asked of the file that does not parse.
    await ingest(catalog, source('both', ['a.nt', 'b.nq']), { service: 'dcat', version: 'both' });
    await catalog.write(async (tx) => {
      await tx.run(`DELETE FROM file_terms WHERE content_id IN (SELECT content_id FROM term_index_contents)`);
      await tx.run('DELETE FROM term_index_contents');
      await tx.run('DELETE FROM term_index_unparsable');
    });
    await validateVersion(catalog, { service: 'dcat', version: 'both' });
    expect(await indexedTerms('both', 'b.nq')).toEqual(scanned);
    expect(await catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION))).toMatchObject({ versions_pending: 0, contents_pending: 0 });
  });
});

describe('a content indexed from a file that parses', () => {
  /** The versions of `dcat` whose files hold dcat:Catalog, as its history says; none when no indexed file holds it. */
  async function holding(root: string, versions: readonly (readonly [string, string])[]): Promise<string[]> {
    const other = await openCatalog({ root: path.join(temp.root, root) });
    try {
      for (const [version, name] of versions) {
        await ingest(other, source(`${root}-${version}`, [name]), { service: 'dcat', version });
        await validateVersion(other, { service: 'dcat', version });
      }
      const history = await other.read((conn) => termHistory(conn, 'http://www.w3.org/ns/dcat#Catalog', 'dcat')).catch(() => null);
      return (history?.timelines[0]?.versions ?? []).filter((state) => state.present).map((state) => state.version);
    } finally {
      await other.close();
    }
  }

  it('lends its terms to no file holding it in a format it does not parse as, whatever came first', async () => {
    // A `.nt` copy alone holds no term: it does not parse as N-Triples.
    expect(await holding('nt-alone', [['copy', 'dcat.nt']])).toEqual([]);
    expect(await holding('nq-then-nt', [['2021', 'dcat.nq'], ['copy', 'dcat.nt']])).toEqual(['2021']);
    expect(await holding('nt-then-nq', [['copy', 'dcat.nt'], ['2021', 'dcat.nq']])).toEqual(['2021']);
  });
});
