/**
 * The term index against real releases nobody here wrote, checked by independent line
 * scans: three npm releases of schema.org from `@zazuko/rdf-vocabularies` (N-Quads), and
 * Debian's OBO files from emboss-data. In process: ingest + validate index the terms,
 * the index queries answer, a scan of each file says what the answer must be.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog, type Catalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termHistory, termIndexStatus, termLineage, versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { ingestAndValidate } from '../../../electron/ingest/ingest-and-validate.js';
import { backfillTermIndex } from '../../../electron/ingest/terms/term-backfill.js';
import { computeTermDelta } from '../../../electron/ingest/terms/term-delta.js';
import { validateVersion } from '../../../electron/ingest/validate/validate-version.js';
import { curieOf } from '../../../electron/shared/curie.js';
import { scanStanzas } from '../../helpers/obo-stanza-scan.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import {
  LABEL, PREF_LABEL, scanDefinitions, scanNquads, scanRedefinitions, scanShownLabels, scanTermLiterals, shownValue, type NqTerm,
} from '../../helpers/nquads-scan.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const temp = makeTempRoot('ontocat-term-index-real');
let catalog: Catalog;
const schemaYears = ['2019', '2020', '2021'] as const;
const schemaScans = new Map<string, Map<string, NqTerm>>();
const oboDir = '/usr/share/EMBOSS/data/OBO';
const oboFiles = ['so.obo', 'eco.obo', 'ro.obo'];

beforeAll(async () => {
  catalog = await openCatalog({ root: path.join(temp.root, 'root') });
  for (const year of schemaYears) {
    const from = path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'schema.nq');
    const dir = path.join(temp.root, 'src', 'schema', year);
    mkdirSync(dir, { recursive: true });
    copyFileSync(from, path.join(dir, 'schema.nq'));
    await ingestAndValidate(catalog, dir, { service: 'schema', version: year });
    schemaScans.set(year, scanNquads(from));
  }
  {
    const dir = path.join(temp.root, 'src', 'dbpedia', '2021');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'dbo.nq'), path.join(dir, 'dbo.nq'));
    await ingestAndValidate(catalog, dir, { service: 'dbpedia', version: '2021' });
  }
  for (const year of ['2020', '2021']) {
    const dir = path.join(temp.root, 'src', 'dcat', year);
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'dcat.nq'), path.join(dir, 'dcat.nq'));
    await ingestAndValidate(catalog, dir, { service: 'dcat', version: year });
  }
  if (existsSync(oboDir)) {
    const dir = path.join(temp.root, 'src', 'emboss', 'debian');
    mkdirSync(dir, { recursive: true });
    for (const name of oboFiles) copyFileSync(path.join(oboDir, name), path.join(dir, name));
    await ingestAndValidate(catalog, dir, { service: 'emboss-obo', version: '6.6.0' });
  }
}, 600_000);
afterAll(async () => {
  await catalog?.close();
  temp.cleanup();
});

describe('term index on @zazuko/rdf-vocabularies schema.org releases', () => {
  it('counts each release pair as a scan of the N-Quads does', async () => {
    for (const [from, to] of [['2019', '2020'], ['2020', '2021']] as const) {
      const delta = await catalog.read((conn) => versionTermDelta(conn, { service: 'schema', version: from }, { service: 'schema', version: to }, { limit: 1 }));
      const a = schemaScans.get(from)!;
      const b = schemaScans.get(to)!;
      const common = [...b.keys()].filter((iri) => a.has(iri));
      const same = (x: Set<string>, y: Set<string>): boolean => [...x].sort().join('\u0000') === [...y].sort().join('\u0000');
      expect({ pair: `${from}->${to}`, ...delta.summary, old: delta.old_terms, new: delta.new_terms }).toMatchObject({
        pair: `${from}->${to}`,
        added: b.size - common.length,
        removed: a.size - common.length,
        relabelled: common.filter((iri) => !same(a.get(iri)!.labels, b.get(iri)!.labels)).length,
        reparented: common.filter((iri) => !same(a.get(iri)!.parents, b.get(iri)!.parents)).length,
        old: a.size,
        new: b.size,
      });
    }
  });

  it('dates a term added in 2021 to 2021, and one gone from a release to that release', async () => {
    const [a, b, c] = schemaYears.map((year) => schemaScans.get(year)!);
    const added = [...c!.keys()].sort().find((iri) => !a!.has(iri) && !b!.has(iri))!;
    const history = await catalog.read((conn) => termHistory(conn, added, 'schema'));
    expect(history.idents).toEqual([curieOf(added) ?? added]);
    expect(history.timelines[0]!.versions.map((v) => v.present)).toEqual([false, false, true]);
    expect(history.timelines[0]!.events).toEqual([expect.objectContaining({ kind: 'FIRST_SEEN', to_version: '2021' })]);
    const gone = [...a!.keys(), ...b!.keys()].sort().find((iri) => (a!.has(iri) || b!.has(iri)) && !c!.has(iri));
    if (gone) {
      const goneHistory = await catalog.read((conn) => termHistory(conn, gone, 'schema'));
      const removedIn = b!.has(gone) ? '2021' : '2020';
      expect(goneHistory.timelines[0]!.events.find((e) => e.kind === 'REMOVED')?.to_version).toBe(removedIn);
    }
  });
});

/** The schema.org IRIs of a scan that differ from another of its IRIs only in letter case (a class and a property). */
function caseTwins(scan: Map<string, NqTerm>): string[][] {
  const byLower = new Map<string, string[]>();
  for (const iri of scan.keys()) byLower.set(iri.toLowerCase(), [...(byLower.get(iri.toLowerCase()) ?? []), iri]);
  return [...byLower.values()].filter((group) => group.length > 1).map((group) => group.sort());
}

describe('schema.org terms that differ only in letter case stay two terms', () => {
  it('finds schema:DayOfWeek and schema:dayOfWeek as two hits of one case-insensitive search', async () => {
    const result = await catalog.read((conn) => searchTerms(conn, { query: 'DAYOFWEEK', match: 'exact', service: 'schema', limit: 50 }));
    const hits = result.items.filter((hit) => hit.ident.toLowerCase() === 'schema:dayofweek');
    expect(hits.map((hit) => [hit.ident, hit.label, hit.version_count])).toEqual([
      ['schema:DayOfWeek', 'DayOfWeek', 3],
      ['schema:dayOfWeek', 'dayOfWeek', 3],
    ]);
    expect(hits[0]!.kind).not.toBe(hits[1]!.kind);
  });

  it('gives each twin its own history, as each release file says it, by CURIE and by IRI', async () => {
    const twins = caseTwins(schemaScans.get('2021')!);
    expect(twins.length).toBeGreaterThan(40);
    for (const iri of twins.flat()) {
      const ident = curieOf(iri)!;
      for (const asked of ident === 'schema:DayOfWeek' || ident === 'schema:dayOfWeek' ? [ident, iri] : [ident]) {
        const history = await catalog.read((conn) => termHistory(conn, asked, 'schema'));
        expect(history.idents, asked).toEqual([ident]);
        const versions = history.timelines[0]!.versions;
        expect(versions.map((v) => [v.version, v.present, v.labels, v.parents]), asked).toEqual(schemaYears.map((year) => {
          const term = schemaScans.get(year)!.get(iri);
          return [year, Boolean(term), term ? [...term.labels].sort() : [], term ? [...term.parents].sort() : []];
        }));
      }
    }
  }, 600_000);

  it('dates schema:code (a property new in 2021) to 2021 and leaves schema:Code (a class since 2019) alone in the delta', async () => {
    const code = await catalog.read((conn) => termHistory(conn, 'schema:code', 'schema'));
    expect(code.timelines[0]!.events.map((e) => [e.kind, e.to_version])).toEqual([['FIRST_SEEN', '2021']]);
    const delta = await catalog.read((conn) => versionTermDelta(conn, { service: 'schema', version: '2020' }, { service: 'schema', version: '2021' }, { search: 'code', limit: 500 }));
    const changed = delta.changes.items.filter((c) => c.ident.toLowerCase() === 'schema:code').map((c) => [c.change, c.ident]);
    expect(changed).toEqual([['ADDED', 'schema:code']]);
  });

  it('follows the lineage of the property, not of the class', async () => {
    const lineage = await catalog.read((conn) => termLineage(conn, 'schema:dayOfWeek', 'schema'));
    expect(lineage.start).toBe('schema:dayOfWeek');
    expect(lineage.steps[0]).toMatchObject({ ident: 'schema:dayOfWeek', label: 'dayOfWeek' });
  });

  it('takes a CURIE typed in another case when it names one term, and refuses one that names two', async () => {
    const one = await catalog.read((conn) => termHistory(conn, 'SCHEMA:AGGREGATEOFFER', 'schema'));
    expect(one.idents).toEqual(['schema:AggregateOffer']);
    await expect(catalog.read((conn) => termHistory(conn, 'schema:DAYOFWEEK', 'schema'))).rejects.toThrow(/schema:DayOfWeek.*schema:dayOfWeek/);
  });
});

describe.runIf(existsSync(oboDir))("term index on Debian's OBO files (emboss-data)", () => {
  it('holds every term of so.obo, eco.obo and ro.obo as the line scan reads it', async () => {
    for (const name of oboFiles) {
      const scan = scanStanzas(path.join(oboDir, name));
      const rows = await catalog.read((conn) => conn.all<{ term: string; label: string | null; deprecated: boolean; replaced_by: string[]; parents: string[] }>(
        `SELECT k.term, t.label, t.deprecated, t.replaced_by, list_sort(t.parents) AS parents
         FROM v_indexed_files f JOIN file_terms t ON t.content_id = f.content_id JOIN term_keys k ON k.term_key = t.term_key
         WHERE f.service = 'emboss-obo' AND f.relpath = $1`, [name]));
      expect(rows.length, name).toBe(scan.size);
      const byId = new Map(rows.map((row) => [row.term, row]));
      for (const [id, term] of scan) {
        const row = byId.get(id);
        expect(row, `${name} ${id}`).toBeDefined();
        expect({ id, label: row!.label, deprecated: row!.deprecated, replaced_by: row!.replaced_by, parents: row!.parents }).toEqual({
          id, label: term.name, deprecated: term.obsolete,
          replaced_by: term.replacedBy.map((r) => curieOf(r) ?? r),
          parents: [...new Set(term.isA.map((p) => curieOf(p) ?? p))].sort(),
        });
      }
    }
  });

  it('shows an obsolete SO term with its replacement and the history naming it', async () => {
    const scan = scanStanzas(path.join(oboDir, 'so.obo'));
    const obsolete = [...scan.values()].find((term) => term.obsolete && term.replacedBy.length > 0);
    if (!obsolete) return;
    const history = await catalog.read((conn) => termHistory(conn, obsolete.id, 'emboss-obo'));
    const state = history.timelines[0]!.versions[0]!;
    expect(state).toMatchObject({ present: true, deprecated: true, replaced_by: obsolete.replacedBy.sort(), label: obsolete.name });
    expect(history.timelines[0]!.events.map((e) => e.kind)).toEqual(['FIRST_SEEN', 'DEPRECATED']);
  });
});

describe("a multilingual vocabulary's terms (DBpedia's ontology in @zazuko/rdf-vocabularies 2021)", () => {
  it('shows each term by its English label, as a line scan of the file picks it, not by the first in the file', async () => {
    const expected = scanShownLabels(path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'dbo.nq'));
    const stored = await catalog.read((conn) => conn.all<{ term: string; label: string | null }>(
      `SELECT k.term, t.label FROM file_terms t JOIN term_keys k ON k.term_key = t.term_key
       JOIN term_index_contents c ON c.content_id = t.content_id
       WHERE c.sha256 = (SELECT sha256 FROM extracted_files WHERE service = 'dbpedia')`,
    ));
    const shown = new Map(stored.map((row) => [row.term, row.label]));
    expect(expected.size).toBeGreaterThan(1000);
    const differing = [...expected].filter(([iri, label]) => shown.get(iri) !== label);
    expect(differing).toEqual([]);
    // The file lists "Oseba"@sl first for the class dbo:Person; a search shows its English label.
    const person = 'http://dbpedia.org/ontology/Person';
    const search = await catalog.read((conn) => searchTerms(conn, { query: person, match: 'exact', service: 'dbpedia' }));
    const hit = search.items.find((item) => item.ident === person);
    expect(hit?.label).toBe(expected.get(person));
    expect(hit?.label).not.toBe('Oseba');
  });

  it('flags a duplicate label where two terms share one label literal, value and language, as ROBOT\'s report query does', async () => {
    // ROBOT's duplicate_label.rq, by line scan: ?entity and ?entity2 != ?entity with one label literal.
    const bySubject = scanTermLiterals(path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'dbo.nq'), new Set([LABEL, PREF_LABEL]));
    const byLiteral = new Map<string, Set<string>>();
    for (const [subject, literals] of bySubject) {
      for (const { value, lang } of literals) {
        const key = `${lang ?? ''}@${value}`;
        byLiteral.set(key, (byLiteral.get(key) ?? new Set()).add(subject));
      }
    }
    const expected = [...new Set([...byLiteral.values()].filter((subjects) => subjects.size > 1).flatMap((subjects) => [...subjects]))].sort();
    const flagged = (await catalog.read((conn) => conn.all<{ subject: string }>(
      `SELECT DISTINCT v.subject FROM validations v JOIN versions r ON r.version_id = v.version_id
       WHERE r.service = 'dbpedia' AND v.rule = 'duplicate-label' AND NOT v.passed ORDER BY v.subject`,
    ))).map((row) => row.subject);
    expect(expected.length).toBeGreaterThan(10);
    expect(flagged).toEqual(expected);
  });

  it('finds a term by a CURIE the index does not use (dbo:Person), by the IRI it stands for', async () => {
    const person = 'http://dbpedia.org/ontology/Person';
    expect(scanShownLabels(path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies', 'dbo.nq')).has(person)).toBe(true);
    const history = await catalog.read((conn) => termHistory(conn, 'dbo:Person'));
    expect(history.idents).toEqual([person]);
    expect(history.timelines.map((t) => t.service)).toEqual(['dbpedia']);
    const search = await catalog.read((conn) => searchTerms(conn, { query: 'dbo:Person', match: 'exact' }));
    // Search is case-insensitive: the property dbo:person matches too, after the class.
    expect({ query: search.query, hits: search.items.map((item) => item.ident) }).toEqual({ query: person, hits: [person, 'http://dbpedia.org/ontology/person'] });
    // A query that matches as typed is searched as typed; an unknown prefix stays unknown.
    expect((await catalog.read((conn) => searchTerms(conn, { query: 'schema:name', match: 'exact' }))).query).toBe('schema:name');
    await expect(catalog.read((conn) => termHistory(conn, 'nosuchprefix:Person'))).rejects.toThrow(/No indexed term/);
    // A service the catalog lacks is named as such, not answered with no hits.
    await expect(catalog.read((conn) => searchTerms(conn, { query: 'Person', service: 'dbpeida' }))).rejects.toThrow("No service 'dbpeida' in the catalog");
    expect((await catalog.read((conn) => searchTerms(conn, { query: 'no such label anywhere', service: 'dbpedia' }))).total).toBe(0);
    // The same through the built CLI (its bundle loads the prefix map its own way).
    await catalog.close();
    try {
      const run = runOntocat(['terms', 'history', 'dbo:Person', '--service', 'dbpedia', '--json'], { root: path.join(temp.root, 'root') });
      expect(run.code, run.stderr).toBe(0);
      expect(run.json<{ idents: string[] }>().idents).toEqual([person]);
    } finally {
      catalog = await openCatalog({ root: path.join(temp.root, 'root') });
    }
  });
});

describe('relabels of a multilingual vocabulary (DCAT in @zazuko/rdf-vocabularies 2020 → 2021)', () => {
  const vocabulary = (year: string): string => path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'dcat.nq');
  // Outside truth: the label sets a line scan reads, and the labels each side alone has.
  const scanned = (): { id: string; gone: string | null; added: string | null }[] => {
    const [a, b] = [scanNquads(vocabulary('2020')), scanNquads(vocabulary('2021'))];
    const only = (x: Set<string>, y: Set<string>): string | null => [...x].filter((l) => !y.has(l)).sort().join(' | ') || null;
    return [...b.keys()].filter((id) => a.has(id)).sort()
      .map((id) => ({ id, gone: only(a.get(id)!.labels, b.get(id)!.labels), added: only(b.get(id)!.labels, a.get(id)!.labels) }))
      .filter((row) => row.gone !== null || row.added !== null);
  };

  it('names the labels each side alone has, in the file delta, the whole-version delta and the history', async () => {
    const expected = scanned();
    // Most of them gained a label in another language and kept their English one.
    expect(expected.filter((row) => row.gone === null).length).toBeGreaterThan(10);
    const a = { service: 'dcat', version: '2020' };
    const b = { service: 'dcat', version: '2021' };
    const file = await computeTermDelta(catalog, { a, b, relpath: 'dcat.nq', change: 'RELABELLED', limit: 1000 });
    expect(file.changes.items.map((c) => ({ id: c.term, gone: c.before, added: c.after }))).toEqual(expected);
    const version = await catalog.read((conn) => versionTermDelta(conn, a, b, { change: 'RELABELLED', limit: 1000 }));
    expect(version.changes.items.map((c) => ({ id: c.ident, gone: c.before, added: c.after }))
      .sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(expected.map((row) => ({ ...row, id: curieOf(row.id) ?? row.id })).sort((x, y) => (x.id < y.id ? -1 : 1)));
    // Each shown by its English label, as the newer file gives it.
    const shown = scanShownLabels(vocabulary('2021'));
    const byCurie = new Map(expected.map((row) => [curieOf(row.id) ?? row.id, row.id]));
    expect(version.changes.items.map((c) => [c.ident, c.label])).toEqual(version.changes.items.map((c) => [c.ident, shown.get(byCurie.get(c.ident)!)]));
    // And each term's history says the same of its relabel.
    for (const row of expected) {
      const history = await catalog.read((conn) => termHistory(conn, row.id, 'dcat'));
      const relabel = history.timelines[0]!.events.filter((event) => event.kind === 'RELABELLED');
      expect({ id: row.id, events: relabel.map((event) => ({ from: event.from_version, to: event.to_version, gone: event.before, added: event.after })) })
        .toEqual({ id: row.id, events: [{ from: '2020', to: '2021', gone: row.gone, added: row.added }] });
    }
  });
});

describe('redefinitions of a multilingual vocabulary (DCAT in @zazuko/rdf-vocabularies 2020 → 2021)', () => {
  const vocabulary = (year: string): string => path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies', 'dcat.nq');
  /** A ' | '-joined list in code-point order: the delta lists what one side lacks in its own order. */
  const sortedText = (text: string | null): string | null => (text === null ? null : text.split(' | ').sort().join(' | '));

  it('compares definitions as sets, names those each side alone has, and shows the English one', async () => {
    // Outside truth: the definition sets a line scan reads in each release.
    const expected = scanRedefinitions(vocabulary('2020'), vocabulary('2021'));
    const b = scanDefinitions(vocabulary('2021'));
    const values = (all: readonly { value: string }[]): Set<string> => new Set(all.map((l) => l.value));
    // 2021 added Danish definitions and kept the others: the first in the file changed for
    // dcat:bbox ("El cuadro delimitador …"@es, then "Den geografiske …"@da), which once
    // read as a rewording.
    expect(expected.length).toBeGreaterThan(30);
    expect(expected.find((row) => row.id === 'dcat:bbox')).toMatchObject({ gone: null });
    const version = await catalog.read((conn) => versionTermDelta(conn, { service: 'dcat', version: '2020' }, { service: 'dcat', version: '2021' }, { change: 'REDEFINED', limit: 1000 }));
    expect(version.summary.redefined).toBe(expected.length);
    expect(version.changes.items.map((c) => ({ id: c.ident, gone: sortedText(c.before), added: sortedText(c.after) }))
      .sort((x, y) => (x.id < y.id ? -1 : 1))).toEqual(expected);
    // Each term's history names the same, and shows the English definition and label of 2021.
    const shownLabels = scanShownLabels(vocabulary('2021'));
    for (const [iri, definitions] of b) {
      if (definitions.length === 0) continue;
      const history = await catalog.read((conn) => termHistory(conn, iri, 'dcat'));
      const last = history.timelines[0]!.versions.at(-1)!;
      expect({ iri, definition: last.definition, all: [...last.definitions].sort(), label: last.label })
        .toEqual({ iri, definition: shownValue(definitions), all: [...values(definitions)].sort(), label: shownLabels.get(iri) ?? null });
      const row = expected.find((r) => r.id === (curieOf(iri) ?? iri));
      const events = history.timelines[0]!.events.filter((event) => event.kind === 'REDEFINED')
        .map((event) => ({ from: event.from_version, to: event.to_version, gone: sortedText(event.before), added: sortedText(event.after) }));
      expect({ iri, events }).toEqual({ iri, events: row ? [{ from: '2020', to: '2021', gone: row.gone, added: row.added }] : [] });
    }
  });
});

describe('contents indexed under older rules (before migration 0023: one definition, the first label first)', () => {
  const dcatRows = (): Promise<unknown[]> => catalog.read((conn) => conn.all(
    `SELECT t.content_id, t.term_key, t.kind, t.label, t.labels, t.synonyms, t.definition_md5::VARCHAR AS definition_md5, t.deprecated,
            t.replaced_by, t.consider, t.parents, t.state_hash::VARCHAR AS state_hash, t.history_hash::VARCHAR AS history_hash, p.presence_id
     FROM file_terms t JOIN term_key_presence p ON p.term_key = t.term_key
     WHERE t.content_id IN (SELECT content_id FROM v_indexed_files WHERE service = 'dcat') ORDER BY t.content_id, t.term_key`));
  /** Makes the DCAT contents look recorded under the old rules: other shown labels and definitions, rules 1. */
  const age = (): Promise<void> => catalog.write(async (tx) => {
    await tx.run(`UPDATE file_terms SET label = labels[len(labels)], definition_md5 = NULL, state_hash = 0, history_hash = 0
                  WHERE content_id IN (SELECT content_id FROM v_indexed_files WHERE service = 'dcat')`);
    await tx.run("UPDATE term_index_contents SET rules = 1 WHERE content_id IN (SELECT content_id FROM v_indexed_files WHERE service = 'dcat')");
  });
  const status = () => catalog.read((conn) => termIndexStatus(conn, VALIDATOR_VERSION));

  it('are counted, and a backfill or a validation brings their rows to what a fresh recording gives', async () => {
    const fresh = await dcatRows();
    expect(fresh.length).toBeGreaterThan(50);
    expect((await status()).contents_outdated).toBe(0);
    await age();
    expect(await dcatRows()).not.toEqual(fresh);
    expect((await status()).contents_outdated).toBe(2);
    const backfill = await backfillTermIndex(catalog, { service: 'dcat' });
    expect(backfill).toMatchObject({ contents: 2, indexed: 2, unparsable: 0, unreadable: 0, failed: [] });
    expect(await dcatRows()).toEqual(fresh);
    expect((await status()).contents_outdated).toBe(0);
    expect((await backfillTermIndex(catalog, { service: 'dcat' })).contents).toBe(0);
    // Validating a version that holds an outdated content reads it again.
    await age();
    await validateVersion(catalog, { service: 'dcat', version: '2021' });
    await validateVersion(catalog, { service: 'dcat', version: '2020' });
    expect(await dcatRows()).toEqual(fresh);
    expect((await status()).contents_outdated).toBe(0);
  }, 120_000);
});

describe('the state hash of a term row (migration 0021 shortened it, 0031 added replacements)', () => {
  // The definition before 0021, written out: the shortcut must give the same value for
  // every row, or deltas would call unchanged terms changed between contents recorded
  // before and after it. Since 0031 a row with replacements hashes them too (sorted, each
  // once); a row without keeps the value it had.
  const before = (labels: string, parents: string, replacedBy = 'replaced_by'): string =>
    `CASE WHEN COALESCE(len(${replacedBy}), 0) = 0 THEN hash(list_sort(list_distinct(${labels})), definition_md5, deprecated, list_sort(list_distinct(${parents})))
          ELSE hash(list_sort(list_distinct(${labels})), definition_md5, deprecated, list_sort(list_distinct(${parents})), list_sort(list_distinct(${replacedBy}))) END`;

  it('equals the definition before it on every row recorded from real releases', async () => {
    const counts = await catalog.read((conn) => conn.one<{ rows: number; differing: number; several: number }>(
      `SELECT count(*)::INTEGER AS rows,
              count(*) FILTER (WHERE state_hash IS DISTINCT FROM ${before('labels', 'parents')})::INTEGER AS differing,
              count(*) FILTER (WHERE len(labels) > 1 OR len(parents) > 1)::INTEGER AS several
       FROM file_terms`,
    ));
    expect(counts!.rows).toBeGreaterThan(1000);
    // Rows with several labels or parents take the long way: both ways are compared.
    expect(counts!.several).toBeGreaterThan(100);
    expect(counts!.differing).toBe(0);
  });

  it('equals it for empty, single, repeated, unordered and NULL-holding lists', async () => {
    const lists = ['[]::VARCHAR[]', "['a']", "['b', 'a']", "['a', 'a']", "['a', 'b', 'a']", '[NULL]::VARCHAR[]', "[NULL, 'a']", "['a', NULL]"];
    const rows = await catalog.read((conn) => conn.all<{ same: boolean }>(
      `SELECT term_state_hash(l, definition_md5, deprecated, p, r) = ${before('l', 'p', 'r')} AS same
       FROM (SELECT unnest([${lists.join(', ')}]) AS l) ls, (SELECT unnest([${lists.join(', ')}]) AS p) ps,
            (SELECT unnest([[]::VARCHAR[], ['X:2', 'X:1', 'X:2']]) AS r) rs,
            (SELECT 42::UHUGEINT AS definition_md5, true AS deprecated)`,
    ));
    expect(rows).toHaveLength(lists.length * lists.length * 2);
    expect(rows.every((row) => row.same)).toBe(true);
  });
});
