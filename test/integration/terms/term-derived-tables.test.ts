/**
 * The tables derived from file_terms (migration 0015: each key's set of contents, shared
 * by keys with the same set) depend on contents alone; which versions hold a content is
 * read at query time. Here the catalog changes under them (a version added, the latest
 * pointer moved, a content shared by two versions and two services, versions pruned until
 * a content is held by none, an old content brought back by a new version) and after each
 * change every search, history and delta must still answer what the plain reference
 * queries over file_terms answer.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setReleaseDate } from '../../../electron/catalog/release-order.js';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termHistory, versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import { recordContentTerms, type TermRecord } from '../../../electron/catalog/term-index.js';
import { requireVersionId } from '../../../electron/catalog/version-queries.js';
import type { TermMatch } from '../../../electron/shared/contract/terms.js';
import { recordVersion } from '../../helpers/catalog-fixtures.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { presentStates, referenceDelta, referenceHistory, referenceSearch, referenceTermCounts } from '../../helpers/term-reference-queries.js';

const temp = makeTempRoot('ontocat-term-derived');
let catalog: Catalog;

const term = (n: number, label: string, more: Partial<TermRecord> = {}): TermRecord => ({
  id: `GX:${String(n).padStart(5, '0')}`, kind: 'class', labels: [{ value: label }], synonyms: [], definitions: [{ value: `Definition of ${label}.` }],
  deprecated: false, replaced_by: [], consider: [], parents: n > 1 ? [`GX:${String(Math.floor(n / 2)).padStart(5, '0')}`] : [], ...more,
});

/** Four contents: 300 "gene" terms (more keys than a search reads one by one) with changes between them. */
const contents: Record<string, TermRecord[]> = {
  A: Array.from({ length: 300 }, (_, i) => term(i + 1, `gene ${i + 1}`)),
  B: [...Array.from({ length: 300 }, (_, i) => (i % 10 === 0 ? term(i + 1, `gene ${i + 1} renamed`) : term(i + 1, `gene ${i + 1}`))), term(902, 'only in B')],
  C: [
    ...Array.from({ length: 280 }, (_, i) => (i % 7 === 0 ? term(i + 1, `gene ${i + 1}`, { deprecated: true, replaced_by: ['GX:00002'] }) : term(i + 1, `gene ${i + 1}`))),
    term(900, 'only in C'),
  ],
  // GX:00001 has no label in D: a hit shows the newest label it had (C's).
  D: [
    ...Array.from({ length: 250 }, (_, i) => term(i + 1, `gene ${i + 1}`, { parents: ['GX:00003'], ...(i === 0 ? { labels: [] } : {}) })),
    term(901, 'only in D'), term(295, 'gene 295 back'),
  ],
  // Every key of A and more: recording it gives each of those keys a new set of contents.
  E: [...Array.from({ length: 300 }, (_, i) => term(i + 1, `gene ${i + 1}`)), term(903, 'gene only in E')],
  // A's terms under their OBO PURL IRIs, as the OWL form of an ontology names them: each is a
  // second key of the same term (CURIE GX:…), and some have a label A does not.
  F: Array.from({ length: 300 }, (_, i) => ({
    ...term(i + 1, i % 5 === 0 ? `gene product ${i + 1}` : `gene ${i + 1}`),
    id: `http://purl.obolibrary.org/obo/GX_${String(i + 1).padStart(5, '0')}`,
  })),
};
const sha = (name: string): string => name.repeat(64).slice(0, 64).toLowerCase().replace(/[^0-9a-f]/g, 'e');

async function addVersion(service: string, version: string, content: string): Promise<void> {
  await recordVersion(catalog, service, version, [{ relpath: 'terms.obo', format: 'obo', sha256: sha(content) }]);
  await catalog.write((tx) => recordContentTerms(tx, { sha256: sha(content), format: 'obo', terms: contents[content]! }));
}

async function setLatest(service: string, version: string): Promise<void> {
  await catalog.write(async (tx) => {
    await tx.run('DELETE FROM latest_pointer WHERE slot = $1', [service]);
    await tx.run("INSERT INTO latest_pointer SELECT service, version_id, now()::TIMESTAMP, 'test' FROM versions WHERE service = $1 AND version = $2", [service, version]);
  });
}

/** What a prune removes of a version (electron/catalog/prune.ts): its rows, never the term index. */
async function prune(service: string, version: string): Promise<void> {
  await catalog.write(async (tx) => {
    const where = "version_id = (SELECT version_id FROM versions WHERE service = $1 AND version = $2)";
    await tx.run(`DELETE FROM latest_pointer WHERE ${where}`, [service, version]);
    for (const table of ['validations', 'file_damage', 'extracted_files', 'artifacts', 'versions']) await tx.run(`DELETE FROM ${table} WHERE ${where}`, [service, version]);
  });
}

const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as T;

/** Every search, history and delta of the catalog now against the reference; returns how many rows were compared. */
async function compareAll(): Promise<number> {
  let compared = 0;
  const searches: { query: string; match: TermMatch; service?: string; latest_only?: boolean }[] = [];
  for (const match of ['exact', 'prefix', 'contains'] as const) {
    for (const query of ['gene', 'GX:00295', 'GX:00001', 'only in', 'gene product', 'purl.obolibrary.org/obo/gx_0001']) {
      searches.push({ query, match }, { query, match, service: 't', latest_only: true });
    }
  }
  for (const query of ['gene', 'only in']) searches.push({ query, match: 'contains', latest_only: true }, { query, match: 'contains', service: 's' });
  for (const search of searches) {
    const service = search.service;
    const gone = service !== undefined
      && !Number(await catalog.read((conn) => conn.scalar<number>('SELECT count(*) FROM versions WHERE service = $1', [service])));
    if (gone) {
      // A service with no version left is not in the catalog: said so, not "no hits".
      await expect(catalog.read((conn) => searchTerms(conn, search))).rejects.toThrow(`No service '${service}'`);
      continue;
    }
    const [reference, first, later] = await catalog.read(async (conn) => [
      await referenceSearch(conn, search), await searchTerms(conn, { ...search, offset: 0, limit: 9 }), await searchTerms(conn, { ...search, offset: 250, limit: 9 }),
    ] as const);
    const label = JSON.stringify(search);
    expect(first.total, label).toBe(reference.length);
    expect(plain(first.items), label).toEqual(plain(reference.slice(0, 9)));
    expect(plain(later.items), label).toEqual(plain(reference.slice(250, 259)));
    compared += reference.length;
  }
  const idents = ['GX:00001', 'GX:00011', 'GX:00015', 'GX:00251', 'GX:00295', 'GX:00900', 'GX:00901', 'GX:00902'];
  for (const ident of idents) {
    const result = await catalog.read(async (conn) => {
      const history = await termHistory(conn, ident).catch(() => null);
      return { history, reference: history ? await referenceHistory(conn, history.idents) : [] };
    });
    if (!result.history) continue;
    const present = presentStates(result.history);
    expect(plain(present), ident).toEqual(plain(result.reference));
    compared += present.length;
  }
  // Each version against the next (by service, then version) and the last against the first.
  const versions = await catalog.read((conn) => conn.all<{ service: string; version: string }>('SELECT service, version FROM versions ORDER BY service, version'));
  const pairs = versions.map((a, i) => [a, versions[(i + 1) % versions.length]!] as const).filter(([a, b]) => a !== b);
  for (const [a, b] of pairs) {
    const [delta, reference, counts] = await catalog.read(async (conn) => {
      const aId = await requireVersionId(conn, a);
      const bId = await requireVersionId(conn, b);
      return [await versionTermDelta(conn, a, b, { limit: 1000 }), await referenceDelta(conn, aId, bId), await referenceTermCounts(conn, aId, bId)] as const;
    });
    const label = `${a.service}/${a.version} -> ${b.service}/${b.version}`;
    const normal = (list: readonly Record<string, unknown>[]): unknown => plain(list).map((row) => ({ ...row, old_label: row.old_label || null, new_label: row.new_label || null }));
    expect(plain(delta.changes.items), label).toEqual(normal(reference));
    expect({ old_terms: delta.old_terms, new_terms: delta.new_terms }, label).toEqual(referenceCounts(counts));
    compared += reference.length;
  }
  return compared;
}
const referenceCounts = (counts: { old_terms: number; new_terms: number }): { old_terms: number; new_terms: number } => ({ old_terms: Number(counts.old_terms), new_terms: Number(counts.new_terms) });

beforeAll(async () => {
  catalog = await openCatalog({ root: temp.root });
}, 120_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

describe('the derived term tables never go stale', () => {
  it('answers as the reference after each change to which versions hold which contents', async () => {
    await addVersion('s', 'v1', 'A');
    await addVersion('s', 'v2', 'B');
    await addVersion('s', 'v3', 'C');
    await setLatest('s', 'v2');
    // One content in two services: t/v1 holds B too (recorded once).
    await addVersion('t', 'v1', 'B');
    await setLatest('t', 'v1');
    expect(await compareAll()).toBeGreaterThan(1_000);

    // A version added, then the latest pointer moved to it.
    await addVersion('s', 'v4', 'D');
    expect(await compareAll()).toBeGreaterThan(1_000);
    await setLatest('s', 'v4');
    const unlabelled = await catalog.read((conn) => searchTerms(conn, { query: 'GX:00001', match: 'exact', service: 's' }));
    expect(unlabelled.items.map((hit) => [hit.label, hit.last_version])).toEqual([['gene 1', 'v4']]);
    const latest = await catalog.read((conn) => searchTerms(conn, { query: 'only in', match: 'prefix', service: 's', latest_only: true }));
    expect(latest.items.map((hit) => hit.ident)).toEqual(['GX:00901']);
    expect(await compareAll()).toBeGreaterThan(1_000);

    // Pruned: s/v2 goes, but t/v1 still holds its content; then t/v1 goes and nothing does.
    await prune('s', 'v2');
    expect(await compareAll()).toBeGreaterThan(1_000);
    await prune('t', 'v1');
    // Labels are matched as ever indexed, but a hit needs a version that holds the term.
    const gone = await catalog.read((conn) => searchTerms(conn, { query: 'only in b', match: 'exact' }));
    expect(gone.total).toBe(0);
    expect(await compareAll()).toBeGreaterThan(1_000);

    // An old content brought back by a new version: indexed already, its terms are found again.
    await addVersion('t', 'v2', 'B');
    const back = await catalog.read((conn) => searchTerms(conn, { query: 'only in b', match: 'exact' }));
    expect(back.items.map((hit) => [hit.ident, hit.service, hit.versions])).toEqual([['GX:00902', 't', ['v2']]]);
    expect(await compareAll()).toBeGreaterThan(1_000);

    // Release dates, then one that moves s/v1 after s/v4: the history's release order
    // follows it (a kept map of versions would still rank v1 first).
    const order = async (): Promise<string[]> => (await catalog.read((conn) => termHistory(conn, 'GX:00001', 's'))).timelines[0]!.versions.map((state) => state.version);
    expect(await order()).toEqual(['v1', 'v3', 'v4']);
    await catalog.write(async (tx) => {
      await setReleaseDate(tx, { service: 's', version: 'v3' }, '2001-01-01', 'test');
      await setReleaseDate(tx, { service: 's', version: 'v4' }, '2002-01-01', 'test');
    });
    expect(await order()).toEqual(['v1', 'v3', 'v4']);
    await catalog.write((tx) => setReleaseDate(tx, { service: 's', version: 'v1' }, '2099-01-01', 'test'));
    expect(await order()).toEqual(['v3', 'v4', 'v1']);
    expect(await compareAll()).toBeGreaterThan(1_000);
  }, 600_000);

  it('answers as of its kept map when a content is recorded during a read', async () => {
    // Reads are not one snapshot: a write can land between two statements of one read,
    // whose kept map stays as it was. The keys' content sets move to new ones (numbered
    // after the kept presence services), which a search must still read.
    const search = { query: 'gene', match: 'contains' as const, limit: 100 };
    await catalog.read(async (conn) => {
      const before = await searchTerms(conn, search);
      expect(before.total).toBe((await referenceSearch(conn, search)).length);
      expect(before.total).toBeGreaterThan(256);
      await addVersion('u', 'v1', 'E');
      expect(plain(await searchTerms(conn, search))).toEqual(plain(before));
    });
    // The next read builds its map again and finds the new version.
    const after = await catalog.read((conn) => searchTerms(conn, { query: 'gene only in e', match: 'exact' }));
    expect(after.items.map((hit) => [hit.ident, hit.service, hit.versions])).toEqual([['GX:00903', 'u', ['v1']]]);
    expect(await compareAll()).toBeGreaterThan(1_000);
  }, 600_000);

  it('finds a label or id recorded since its last search on the same read connection, and nothing stale', async () => {
    // One reader, so every search runs on the connection that keeps the search text.
    const single = await openCatalog({ root: path.join(temp.root, 'single'), readers: 1 });
    try {
      const record = async (version: string, content: string, terms: TermRecord[]): Promise<void> => {
        await recordVersion(single, 'k', version, [{ relpath: 'terms.obo', format: 'obo', sha256: sha(content) }]);
        await single.write((tx) => recordContentTerms(tx, { sha256: sha(content), format: 'obo', terms }));
      };
      const keptCopies = (): Promise<number> => single.read(async (conn) =>
        Number(await conn.scalar("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'term_search_text'")));
      // Each search twice: the first after terms were added reads the stored tables, the
      // second builds the kept copy; both must answer alike.
      const search = async (query: string, match: TermMatch = 'contains', latest_only = false) => {
        const first = await single.read((conn) => searchTerms(conn, { query, match, latest_only }));
        const again = await single.read((conn) => searchTerms(conn, { query, match, latest_only }));
        expect(again).toEqual(first);
        return again;
      };
      await record('v1', 'K1', [term(1, 'kinase'), term(2, 'ligase')]);
      expect(await keptCopies()).toBe(0);
      expect((await search('phosphatase')).total).toBe(0);
      expect(await keptCopies()).toBe(1);
      // The same keys with a new label: the dictionary of keys is unchanged, its labels grew.
      await record('v2', 'K2', [term(1, 'kinase'), term(2, 'phosphatase')]);
      expect((await search('phosphatase')).items.map((hit) => [hit.ident, hit.label, hit.versions])).toEqual([['GX:00002', 'phosphatase', ['v1', 'v2']]]);
      // A write that adds no term (a latest pointer) keeps the copy, and it still answers.
      await single.write((tx) => tx.run("INSERT INTO latest_pointer SELECT service, version_id, now()::TIMESTAMP, 'test' FROM versions WHERE service = 'k' AND version = 'v1'"));
      expect((await single.read((conn) => searchTerms(conn, { query: 'ase', match: 'contains' }))).total).toBe(2);
      expect((await search('ase', 'contains', true)).items.map((hit) => hit.label)).toEqual(['kinase', 'phosphatase']);
      // A new key.
      await record('v3', 'K3', [term(1, 'kinase'), term(3, 'phosphatase 2')]);
      expect((await search('gx:00003', 'exact')).items.map((hit) => [hit.ident, hit.versions])).toEqual([['GX:00003', ['v3']]]);
      expect((await search('phosphatase', 'prefix')).items.map((hit) => hit.ident)).toEqual(['GX:00002', 'GX:00003']);
      // A search in a write transaction reads the stored tables and leaves the copy alone.
      expect((await single.write((tx) => searchTerms(tx, { query: 'phosphatase', match: 'prefix' }))).total).toBe(2);
      expect(await keptCopies()).toBe(1);
    } finally {
      await single.close();
    }
  }, 120_000);

  it('shows a term named by two ids (an OBO id and its PURL IRI) as one hit, with the versions of both', async () => {
    await addVersion('w', 'owl', 'F');
    await addVersion('w', 'obo', 'A');
    // More matched keys than a search reads one by one: the ranked path, where a hit's keys
    // are its least and greatest unless they differ.
    const both = await catalog.read((conn) => searchTerms(conn, { query: 'gene', match: 'contains', service: 'w', limit: 10 }));
    expect(both.total).toBe(300);
    expect(both.items[0]).toMatchObject({ ident: 'GX:00001', versions: ['obo', 'owl'] });
    expect([...both.items[0]!.ids].sort()).toEqual(['GX:00001', 'http://purl.obolibrary.org/obo/GX_00001']);
    // Matched by a label only its IRI form has: the hit is the term, in every version that
    // holds it by either id (as a term found by a label of one release lists them all).
    const iriOnly = await catalog.read((conn) => searchTerms(conn, { query: 'gene product 1', match: 'exact', service: 'w' }));
    expect(iriOnly.items.map((hit) => [hit.ident, hit.versions])).toEqual([['GX:00001', ['obo', 'owl']]]);
    expect(await compareAll()).toBeGreaterThan(1_000);
  }, 600_000);
});
