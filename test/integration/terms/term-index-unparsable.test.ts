// Ontology files that do not parse, as the W3C RDF 1.1 suites' negative syntax tests say
// (vendored in test/fixtures/w3c-rdf11): the term index keeps them as such (migration
// 0028), so they are no longer "pending" for ever, a backfill does not parse them again
// until the parsers change, and a file that could not be read is tried again.
import { copyFileSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { recordUnparsableContents } from '../../../electron/catalog/term-index.js';
import { pendingTermContents, termIndexStatus, unparsableTermContents } from '../../../electron/catalog/term-index-queries.js';
import { ingest } from '../../../electron/ingest/ingest.js';
import { ingestAndValidate } from '../../../electron/ingest/ingest-and-validate.js';
import { backfillTermIndex } from '../../../electron/ingest/terms/term-backfill.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import type { TermBackfillResult, TermIndexStatus, UnparsableTermContent } from '../../../electron/shared/contract/terms.js';
import type { Page } from '../../../electron/shared/models.js';
import { dataRelpath } from '../../../electron/storage/layout.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-term-unparsable');
const w3c = path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11');
/** W3C test files: the first three must not parse (the suites' negative syntax tests), the others must. */
const BAD_TTL = path.join(w3c, 'rdf-turtle', 'turtle-syntax-bad-prefix-01.ttl');
const BAD_NT = path.join(w3c, 'rdf-n-triples', 'nt-syntax-bad-bnode-01.nt');
const BAD_BASE = path.join(w3c, 'rdf-turtle', 'turtle-syntax-bad-base-01.ttl');
const GOOD = path.join(w3c, 'rdf-turtle', 'IRI-resolution-01.ttl');
const GOOD_2 = path.join(w3c, 'rdf-turtle', 'IRI-resolution-02.ttl');
const GOOD_3 = path.join(w3c, 'rdf-turtle', 'HYPHEN_MINUS_in_localName.ttl');
let catalog: Catalog;

/** A folder of the given files, copied under their names. */
function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(temp.root, 'src', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, from] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(from, path.join(dir, file));
  }
  return dir;
}

const status = (validator = VALIDATOR_VERSION): Promise<TermIndexStatus> => catalog.read((conn) => termIndexStatus(conn, validator));
const listed = (query: { service?: string; offset?: number; limit?: number } = {}): Promise<Page<UnparsableTermContent>> =>
  catalog.read((conn) => unparsableTermContents(conn, VALIDATOR_VERSION, query));
/** What validation found for a file: its syntax check's problem. */
const syntaxProblem = (service: string, relpath: string): Promise<string | null> => catalog.read((conn) => conn.scalar<string>(
  `SELECT v.message FROM validations v JOIN extracted_files f ON f.file_id = v.file_id
   WHERE f.service = $1 AND f.relpath = $2 AND v.rule = 'syntax' AND NOT v.passed`, [service, relpath]));
const keptRows = (): Promise<unknown[]> => catalog.read((conn) => conn.all(
  'SELECT sha256, format, validator_version, message FROM term_index_unparsable ORDER BY sha256'));

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'catalog') });
  await ingestAndValidate(catalog, folder('broken-1', { 'bad.ttl': BAD_TTL, 'bad.nt': BAD_NT, 'good.ttl': GOOD }), { service: 'broken', version: '1' });
  // Version 2 holds the bad Turtle again, at another path.
  await ingestAndValidate(catalog, folder('broken-2', { 'moved/bad.ttl': BAD_TTL, 'good.ttl': GOOD }), { service: 'broken', version: '2' });
}, 120_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

describe('ontology files that do not parse (W3C negative syntax tests)', () => {
  it('are kept by validation: not pending, counted apart, and a backfill leaves them be', async () => {
    expect(await status()).toMatchObject({ contents_pending: 0, contents_unparsable: 2, versions_pending: 0, versions_indexed: 2 });
    expect((await backfillTermIndex(catalog)).contents).toBe(0);
    // Newer parsers may read them: under another validator version they are pending again.
    expect(await status(VALIDATOR_VERSION + 1)).toMatchObject({ contents_pending: 2, contents_unparsable: 0, versions_pending: 2 });
    expect((await catalog.read((conn) => pendingTermContents(conn, VALIDATOR_VERSION + 1))).map((c) => c.relpath).sort()).toEqual(['bad.nt', 'bad.ttl']);
  });

  it('are listed a page at a time, each with the first file holding it and the problem validation found', async () => {
    const all = await listed();
    expect(all.total).toBe(2);
    expect(all.items.map((c) => ({ file: `${c.service}/${c.version}/${c.relpath}`, files: c.files, format: c.format }))).toEqual([
      { file: 'broken/1/bad.nt', files: 1, format: 'ntriples' },
      { file: 'broken/1/bad.ttl', files: 2, format: 'turtle' },
    ]);
    for (const item of all.items) {
      const problem = await syntaxProblem('broken', item.relpath);
      expect(problem).toBeTruthy();
      expect(item.message).toBe(problem);
    }
    expect((await listed({ limit: 1, offset: 1 })).items.map((c) => c.relpath)).toEqual(['bad.ttl']);
    expect(await listed({ offset: 5 })).toMatchObject({ items: [], total: 2 });
    expect((await listed({ service: 'nothing-here' })).total).toBe(0);
  });

  it('migration 0028 finds the same contents from the validations recorded before it', async () => {
    const kept = await keptRows();
    expect(kept).toHaveLength(2);
    const migration = readFileSync(path.join(projectRoot, 'migrations', '0028_term_index_unparsable.sql'), 'utf8');
    const seed = migration.slice(migration.indexOf('INSERT INTO term_index_unparsable'));
    await catalog.write(async (tx) => {
      await tx.run('DELETE FROM term_index_unparsable');
      await tx.run(seed);
    });
    expect(await keptRows()).toEqual(kept);
  });

  it('a backfill keeps those it finds, and tries a file it could not read again', async () => {
    // Ingested only: nothing of this version is validated or indexed yet.
    await ingest(catalog, folder('late-1', { 'bad.ttl': BAD_BASE, 'good.ttl': GOOD_2, 'gone.ttl': GOOD_3 }), { service: 'late', version: '1' });
    const gone = path.join(catalog.root, dataRelpath('late', '1', 'gone.ttl'));
    unlinkSync(gone);
    expect(await status()).toMatchObject({ contents_pending: 3, contents_unparsable: 2 });
    const first = await backfillTermIndex(catalog, { service: 'late' });
    expect(first).toMatchObject({ contents: 3, indexed: 1, unparsable: 1, unreadable: 1 });
    expect([...first.failed].sort((a, b) => a.relpath.localeCompare(b.relpath)).map((f) => ({ relpath: f.relpath, reason: f.reason })))
      .toEqual([{ relpath: 'bad.ttl', reason: 'unparsable' }, { relpath: 'gone.ttl', reason: 'unreadable' }]);
    expect(first.failed.find((f) => f.reason === 'unreadable')!.message).toMatch(/Could not read the file/);
    expect(await status()).toMatchObject({ contents_pending: 1, contents_unparsable: 3, versions_pending: 1 });
    // The next run reads only the file it could not read; once it is back, it is indexed.
    expect(await backfillTermIndex(catalog, { service: 'late' })).toMatchObject({ contents: 1, indexed: 0, unparsable: 0, unreadable: 1 });
    copyFileSync(GOOD_3, gone);
    expect(await backfillTermIndex(catalog, { service: 'late' })).toMatchObject({ contents: 1, indexed: 1, unparsable: 0, unreadable: 0, failed: [] });
    expect(await status()).toMatchObject({ contents_pending: 0, contents_unparsable: 3, versions_pending: 0, versions_indexed: 3 });
  }, 60_000);

  it('the CLI names them in the status and lists them', async () => {
    await catalog.close();
    const root = catalog.root;
    try {
      const human = runOntocat(['terms', 'status'], { root });
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout).toContain('3 file contents do not parse');
      const page = runOntocat(['terms', 'unparsable', '--service', 'late', '--json'], { root }).json<Page<UnparsableTermContent>>();
      expect(page.items.map((c) => `${c.service}/${c.version}/${c.relpath}`)).toEqual(['late/1/bad.ttl']);
      const table = runOntocat(['terms', 'unparsable', '--limit', '2'], { root });
      expect(table.stdout).toContain('broken/1/bad.nt');
      expect(table.stdout).toContain('(2 of 3; --offset to page)');
      const backfill = runOntocat(['terms', 'backfill', '--json'], { root }).json<TermBackfillResult>();
      expect(backfill).toMatchObject({ contents: 0, unparsable: 0, unreadable: 0 });
    } finally {
      catalog = await openCatalog({ root });
    }
  }, 60_000);

  it('one indexed under older rules that no longer parses counts as not parsing, not as outdated, and no backfill retries it', async () => {
    const sha = (await catalog.read((conn) => conn.scalar<string>("SELECT sha256 FROM extracted_files WHERE service = 'late' AND relpath = 'good.ttl'")))!;
    // As if older rules had indexed it, and today's parsers had since refused it.
    await catalog.write(async (tx) => {
      await tx.run('UPDATE term_index_contents SET rules = 1 WHERE sha256 = $1', [sha]);
      await recordUnparsableContents(tx, [{ sha256: sha, format: 'turtle', message: 'refused by newer parsers' }], VALIDATOR_VERSION);
    });
    expect(await status()).toMatchObject({ contents_outdated: 0, contents_unparsable: 4, contents_pending: 0 });
    expect((await listed({ service: 'late' })).items.map((c) => [c.relpath, c.message])).toContainEqual(['good.ttl', 'refused by newer parsers']);
    expect((await backfillTermIndex(catalog, { service: 'late' })).contents).toBe(0);
  });
});
