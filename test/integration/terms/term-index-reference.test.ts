/**
 * The fast term-index queries (stored lower-cased columns, per-term state hashes, the
 * term_key index, paging before details) against plain reference queries over the same
 * catalog (test/helpers/term-reference-queries.ts): on five real EDAM releases, two
 * versions that each hold two EDAM releases at once (one term in two files of a version,
 * with different states), and two schema.org releases from `@zazuko/rdf-vocabularies`.
 * Every answer must be identical: search in each mode and filter, one term's history,
 * and the whole-version delta with its counts, also with paths left out.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import {
  indexTermDeltaCounts, searchTerms, termHistory, termSearchQuery, versionTermDelta, versionTermDeltaQuery,
} from '../../../electron/catalog/term-index-queries.js';
import { searchTextLimits } from '../../../electron/catalog/term-search-text.js';
import { requireVersionId } from '../../../electron/catalog/version-queries.js';
import { ingestAndValidate } from '../../../electron/ingest/ingest-and-validate.js';
import type { TermMatch } from '../../../electron/shared/contract/terms.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { presentStates, referenceDelta, referenceHistory, referenceSearch, referenceTermCounts } from '../../helpers/term-reference-queries.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
const releases = ['beta08', 'beta10', '1.0', '1.1', '1.2'] as const;
const temp = makeTempRoot('ontocat-term-index-reference');
let catalog: Catalog;

async function ingestFiles(service: string, version: string, files: readonly [string, string][]): Promise<void> {
  const dir = path.join(temp.root, 'src', service, version);
  mkdirSync(dir, { recursive: true });
  for (const [from, name] of files) copyFileSync(from, path.join(dir, name));
  await ingestAndValidate(catalog, dir, { service, version });
}

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
  for (const version of releases) await ingestFiles('edam', version, [[path.join(edam, `EDAM_${version}.obo`), 'EDAM.obo']]);
  // One term in two files of a version, each with its own state: the merged-state path.
  await ingestFiles('edam-pair', 'a', [[path.join(edam, 'EDAM_1.0.obo'), 'old.obo'], [path.join(edam, 'EDAM_1.1.obo'), 'new.obo']]);
  await ingestFiles('edam-pair', 'b', [[path.join(edam, 'EDAM_1.1.obo'), 'old.obo'], [path.join(edam, 'EDAM_1.2.obo'), 'new.obo']]);
  for (const year of ['2019', '2021']) {
    await ingestFiles('schema', year, [[path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'schema.nq'), 'schema.nq']]);
  }
  // The latest pointer on a release before the newest, so "in latest only" filters something.
  await catalog.write((tx) => tx.run(
    "INSERT INTO latest_pointer SELECT service, version_id, now()::TIMESTAMP, 'test' FROM versions WHERE (service, version) IN (('edam', '1.1'), ('edam-pair', 'a'), ('schema', '2021'))",
  ));
}, 900_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as T;

describe('fast term queries answer what the plain reference queries answer', () => {
  const searches: { query: string; match: TermMatch; service?: string; latest_only?: boolean }[] = [];
  for (const match of ['exact', 'prefix', 'contains'] as const) {
    for (const query of ['EDAM:0000', 'edam:0001915', 'http://edamontology.org/', 'sequence', 'Sequence alignment', 'DATA', 'schema:name', 'name', 'obsolete', 'Person', 'zzzz-no-such-term']) {
      searches.push({ query, match });
    }
  }
  searches.push(
    { query: 'sequence', match: 'contains', service: 'edam' },
    { query: 'sequence', match: 'contains', latest_only: true },
    { query: 'format', match: 'prefix', service: 'edam-pair', latest_only: true },
    { query: 'schema:', match: 'prefix', service: 'schema', latest_only: true },
    // EDAM 1.1 (edam's latest) renamed topics named "… resources" in 1.0; edam-pair's
    // latest holds both files.
    { query: 'resources', match: 'contains', latest_only: true },
    { query: 'Cancer resources', match: 'exact', latest_only: true },
  );

  it('search: every hit, in order, in every mode and filter; and each page is its slice', async () => {
    let compared = 0;
    let labelled = 0;
    // From the kept copy of the search text, and from the stored tables (a catalog with
    // more texts than a connection keeps).
    const keptRows = searchTextLimits.maxKeptRows;
    for (const limit of [keptRows, 0]) for (const search of searches) {
      searchTextLimits.maxKeptRows = limit;
      const [fast, reference, first, later, keptCopies] = await catalog.read(async (conn) => {
        const spec = await termSearchQuery(conn, search);
        const all = await conn.all<Record<string, unknown>>(spec.sql, spec.params);
        return [all, await referenceSearch(conn, search), await searchTerms(conn, { ...search, offset: 0, limit: 7 }),
          await searchTerms(conn, { ...search, offset: 3, limit: 7 }),
          await conn.scalar<number>("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'term_search_text'")] as const;
      });
      expect(Number(keptCopies), 'a kept copy only within the limit').toBe(limit > 0 ? 1 : 0);
      const fastRows = plain(fast).map(({ closeness: _c, ...row }) => row);
      expect(fastRows, JSON.stringify(search)).toEqual(plain(reference));
      expect(first.total, JSON.stringify(search)).toBe(reference.length);
      const [shownFirst, shownLater] = [first.items, later.items].map((items) => items.map(({ matched_label: _m, ...hit }) => hit));
      expect(plain(shownFirst)).toEqual(plain(reference.slice(0, 7)));
      expect(plain(shownLater)).toEqual(plain(reference.slice(3, 10)));
      // A hit says which label matched exactly when it matched on a label its shown label
      // is not: that one matches the query, and is a label of the term.
      const q = search.query.trim().toLowerCase();
      const matches = (text: string | null | undefined): boolean => text != null
        && (search.match === 'exact' ? text.toLowerCase() === q : search.match === 'prefix' ? text.toLowerCase().startsWith(q) : text.toLowerCase().includes(q));
      for (const hit of [...first.items, ...later.items]) {
        expect(hit.matched_label !== undefined, `${hit.ident} ${JSON.stringify(search)}`).toBe(hit.matched_on === 'label' && !matches(hit.label));
        if (hit.matched_label === undefined) continue;
        labelled += 1;
        expect(matches(hit.matched_label)).toBe(true);
        const labels = await catalog.read((conn) => conn.all<{ label: string }>(
          'SELECT l.label FROM term_labels l JOIN term_keys k ON k.term_key = l.term_key WHERE k.ident = $1', [hit.ident],
        ));
        expect(labels.map((row) => row.label)).toContain(hit.matched_label);
        // In latest only, one the latest version of the hit's service gives it.
        if (search.latest_only) {
          const latestLabels = await catalog.read((conn) => conn.all<{ label: string }>(
            `SELECT DISTINCT unnest(t.labels) AS label FROM file_terms t JOIN term_keys k ON k.term_key = t.term_key
             JOIN term_index_contents c ON c.content_id = t.content_id JOIN extracted_files f ON f.sha256 = c.sha256
             JOIN latest_pointer lp ON lp.slot = f.service AND lp.version_id = f.version_id
             WHERE k.ident = $1 AND f.service = $2`, [hit.ident, hit.service],
          ));
          expect(latestLabels.map((row) => row.label)).toContain(hit.matched_label);
        }
      }
      compared += reference.length;
    }
    searchTextLimits.maxKeptRows = keptRows;
    // The searches are not vacuous: many hits were compared, across all three services.
    expect(compared).toBeGreaterThan(10_000);
    // Some hits were found by a label they do not show (another language, an older release).
    expect(labelled).toBeGreaterThan(0);
  }, 600_000);

  it('history: each term state in each release, for a sample of terms of every service', async () => {
    const idents = await catalog.read((conn) => conn.all<{ ident: string }>(
      "SELECT ident FROM (SELECT DISTINCT ident FROM term_keys) WHERE hash(ident) % 71 = 0 OR ident IN ('EDAM:0000006', 'EDAM:0001915', 'schema:name') ORDER BY ident",
    ));
    expect(idents.length).toBeGreaterThan(40);
    for (const { ident } of idents) {
      // Identity is exact: schema:DayOfWeek (a class) and schema:dayOfWeek (a property) are two terms.
      const [history, reference] = await catalog.read(async (conn) => {
        const found = await termHistory(conn, ident);
        return [found, await referenceHistory(conn, found.idents)] as const;
      });
      expect(history.idents).toEqual([ident]);
      const present = presentStates(history);
      expect(plain(present), ident).toEqual(plain(reference));
    }
  }, 600_000);

  it('whole-version delta: every change row and count, for consecutive and distant pairs, across services, and with paths left out', async () => {
    const pairs: [string, string, string, string][] = [
      ...releases.slice(1).map((to, i) => ['edam', releases[i]!, 'edam', to] as [string, string, string, string]),
      ['edam', 'beta08', 'edam', '1.2'], ['edam', '1.2', 'edam', 'beta08'],
      ['edam-pair', 'a', 'edam-pair', 'b'], ['edam', '1.0', 'edam-pair', 'a'], ['edam-pair', 'b', 'edam', '1.2'],
      ['schema', '2019', 'schema', '2021'],
    ];
    let rows = 0;
    const exportedPages: Record<string, unknown>[][] = [];
    for (const [sa, va, sb, vb] of pairs) {
      const a = { service: sa, version: va };
      const b = { service: sb, version: vb };
      const [fast, reference, delta, counts, referenceCounts] = await catalog.read(async (conn) => {
        const aId = await requireVersionId(conn, a);
        const bId = await requireVersionId(conn, b);
        const spec = versionTermDeltaQuery(aId, bId, {});
        const paged = versionTermDeltaQuery(aId, bId, {}, { offset: 0, limit: 5 });
        exportedPages.push(await conn.all<Record<string, unknown>>(paged.sql, paged.params));
        return [
          await conn.all<Record<string, unknown>>(spec.sql, spec.params), await referenceDelta(conn, aId, bId),
          await versionTermDelta(conn, a, b, { limit: 5 }), await indexTermDeltaCounts(conn, aId, bId), await referenceTermCounts(conn, aId, bId),
        ] as const;
      });
      const label = `${sa}/${va} -> ${sb}/${vb}`;
      const normal = (list: readonly Record<string, unknown>[]): unknown => plain(list).map((row) => ({ ...row, old_label: row.old_label || null, new_label: row.new_label || null }));
      expect(normal(fast), label).toEqual(normal(reference));
      const byKind = (kind: string): number => reference.filter((row) => row.change === kind).length;
      const summary = { added: byKind('ADDED'), removed: byKind('REMOVED'), relabelled: byKind('RELABELLED'), redefined: byKind('REDEFINED'), reparented: byKind('REPARENTED'), retyped: byKind('RETYPED'), deprecated: byKind('DEPRECATED'), undeprecated: byKind('UNDEPRECATED'), replaced: byKind('REPLACED') };
      expect(delta.summary, label).toEqual(summary);
      expect(counts.summary, label).toEqual(summary);
      expect({ old_terms: delta.old_terms, new_terms: delta.new_terms }, label).toEqual(referenceCounts);
      expect({ old_terms: counts.old_terms, new_terms: counts.new_terms }, label).toEqual(referenceCounts);
      expect(plain(delta.changes.items)).toEqual((normal(reference) as unknown[]).slice(0, 5));
      // The export says what the page says, with the same columns whether it is limited or not
      // (it wrote '' for no label where the page says null, and a total column only with a limit).
      expect(plain(fast).slice(0, 5), label).toEqual(plain(delta.changes.items));
      expect(plain(exportedPages.at(-1)!), label).toEqual(plain(fast).slice(0, 5));
      rows += reference.length;
    }
    expect(rows).toBeGreaterThan(1_000);

    // Paths left to a file-by-file comparison are out of both sides.
    const [skipped, referenceSkipped, referenceSkippedCounts] = await catalog.read(async (conn) => {
      const aId = await requireVersionId(conn, { service: 'edam-pair', version: 'a' });
      const bId = await requireVersionId(conn, { service: 'edam-pair', version: 'b' });
      return [await indexTermDeltaCounts(conn, aId, bId, ['new.obo'], ['old.obo']), await referenceDelta(conn, aId, bId, ['new.obo'], ['old.obo']),
        await referenceTermCounts(conn, aId, bId, ['new.obo'], ['old.obo'])] as const;
    });
    expect(skipped.summary.added + skipped.summary.removed + skipped.summary.relabelled).toBeGreaterThan(0);
    expect(skipped.summary.relabelled).toBe(referenceSkipped.filter((row) => row.change === 'RELABELLED').length);
    expect(skipped.summary.added).toBe(referenceSkipped.filter((row) => row.change === 'ADDED').length);
    expect(skipped.summary.reparented).toBe(referenceSkipped.filter((row) => row.change === 'REPARENTED').length);
    expect({ old_terms: skipped.old_terms, new_terms: skipped.new_terms }).toEqual(referenceSkippedCounts);
    expect({ files_a: skipped.files_a, files_b: skipped.files_b }).toEqual({ files_a: 1, files_b: 1 });
  }, 600_000);
});
