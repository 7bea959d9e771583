/**
 * The term index on five real EDAM releases (outside truth): each release is ingested and
 * validated by the real CLI, which indexes its terms; every answer is checked against
 * what the release files say by a plain line scan (test/helpers/obo-stanza-scan.ts), not
 * the OBO parser. A relabel, a deprecation with its replacement and a removal are each
 * found by the scan and must show in the right release.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termHistory, termIndexStatus, versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import type {
  TermBackfillResult, TermHistory, TermIndexStatus, TermLineage, TermSearchResult, VersionTermDelta,
} from '../../../electron/shared/contract/terms.js';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { recordUnderOlderRules } from '../../helpers/older-term-index.js';
import { scanOwlXml } from '../../helpers/owl-xml-scan.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';

const edam = path.join(projectRoot, 'test', 'fixtures', 'edam');
/** Release order of the vendored files (their own header dates agree). */
const releases = ['beta08', 'beta10', '1.0', '1.1', '1.2'] as const;
const temp = makeTempRoot('ontocat-term-index-edam');
const root = path.join(temp.root, 'root');
const scans = new Map<string, Map<string, ScannedTerm>>();

beforeAll(() => {
  for (const [version, scan] of ingestEdamReleases(temp.root, root, releases)) scans.set(version, scan);
  expect(runOntocat(['latest', 'set', 'edam', '1.2'], { root }).code).toBe(0);
}, 600_000);
afterAll(() => temp.cleanup());

/** Consecutive release pairs. */
const pairs = releases.slice(1).map((to, i) => [releases[i]!, to] as const);

/** The first id (in id order) the scan finds for a condition on a release pair. */
function findChange(test: (before: ScannedTerm | undefined, after: ScannedTerm | undefined) => boolean): { id: string; from: string; to: string } {
  for (const [from, to] of pairs) {
    const a = scans.get(from)!;
    const b = scans.get(to)!;
    const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
    const id = ids.find((candidate) => test(a.get(candidate), b.get(candidate)));
    if (id) return { id, from, to };
  }
  throw new Error('The scan found no such change in the EDAM releases.');
}

function history(id: string): TermHistory {
  const run = runOntocat(['terms', 'history', id, '--service', 'edam', '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  return run.json<TermHistory>();
}

/** Checks a term's state in every release against the scan. */
function expectStatesMatchScan(id: string, result: TermHistory): void {
  const timeline = result.timelines[0]!;
  expect(timeline.versions.map((v) => v.version)).toEqual([...releases]);
  for (const state of timeline.versions) {
    const scanned = scans.get(state.version)!.get(id);
    expect({ version: state.version, present: state.present }).toEqual({ version: state.version, present: scanned !== undefined });
    if (!scanned) continue;
    expect(state.label).toBe(scanned.name);
    expect(state.deprecated).toBe(scanned.obsolete);
    expect(state.replaced_by).toEqual([...scanned.replacedBy].sort());
    expect(state.parents).toEqual([...new Set(scanned.isA)].sort());
  }
}

describe('term index on real EDAM releases', () => {
  it('indexed every release while validating it', () => {
    const status = runOntocat(['terms', 'status', '--json'], { root }).json<TermIndexStatus>();
    expect(status).toMatchObject({ contents: 5, versions_indexed: 5, versions_pending: 0, contents_pending: 0 });
    const distinct = new Set(releases.flatMap((version) => [...scans.get(version)!.keys()]));
    expect(status.distinct_terms).toBe(distinct.size);
    expect(status.term_rows).toBe(releases.reduce((sum, version) => sum + scans.get(version)!.size, 0));
  });

  it('shows a relabel in the release where the name changed', () => {
    const change = findChange((a, b) => !!a && !!b && a.name !== null && b.name !== null && a.name !== b.name);
    const result = history(change.id);
    expectStatesMatchScan(change.id, result);
    const relabel = result.timelines[0]!.events.find((event) => event.kind === 'RELABELLED');
    expect(relabel).toMatchObject({
      from_version: change.from, to_version: change.to,
      before: scans.get(change.from)!.get(change.id)!.name, after: scans.get(change.to)!.get(change.id)!.name,
    });
  });

  it('shows a deprecation with its replacement in the right release, and the lineage reaches a live term', () => {
    const change = findChange((a, b) => !!a && !!b && !a.obsolete && b.obsolete && b.replacedBy.length > 0);
    const result = history(change.id);
    expectStatesMatchScan(change.id, result);
    const deprecation = result.timelines[0]!.events.find((event) => event.kind === 'DEPRECATED');
    expect(deprecation).toMatchObject({ from_version: change.from, to_version: change.to });
    expect(deprecation!.after).toBe([...scans.get(change.to)!.get(change.id)!.replacedBy].sort().join(', '));

    const lineage = runOntocat(['terms', 'lineage', change.id, '--service', 'edam', '--json'], { root }).json<TermLineage>();
    expect(lineage.steps[0]).toMatchObject({ ident: change.id, deprecated: true, via: 'start' });
    // Independently: follow replaced_by through the newest scanned release that has each id;
    // a live term is one the newest release has, not deprecated.
    const newest = (id: string): ScannedTerm | undefined => [...releases].reverse().map((v) => scans.get(v)!.get(id)).find(Boolean);
    const newestRelease = scans.get(releases.at(-1)!)!;
    const live = new Set<string>();
    const seen = new Set<string>();
    const walk = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const term = newest(id);
      if (!term) return;
      if (!term.obsolete) {
        if (newestRelease.has(id)) live.add(id);
        else expect(lineage.live, `${id} is not in ${releases.at(-1)!}`).not.toContain(id);
      }
      else term.replacedBy.forEach(walk);
    };
    walk(change.id);
    for (const id of live) expect(lineage.live).toContain(id);
  });

  it("prints a term's synonyms, file and replacement as the newest release file has them", () => {
    const newest = scans.get('1.2')!;
    const term = [...newest.values()].filter((t) => t.name !== null)
      .reduce((most, t) => (new Set(t.synonyms).size > new Set(most.synonyms).size ? t : most));
    // A release's lists are shown sorted (a term's state is a set of values).
    const synonyms = [...new Set(term.synonyms)].sort();
    expect(synonyms.length).toBeGreaterThan(8);
    const run = runOntocat(['terms', 'history', term.id, '--service', 'edam'], { root });
    expect(run.code, run.stderr).toBe(0);
    const line = (name: string): string | undefined => run.stdout.split('\n').find((text) => text.startsWith(`${name}:`))?.slice(name.length + 1).trim();
    expect(line('label')).toBe(term.name);
    expect(line('synonyms')).toBe(`${synonyms.slice(0, 8).join(' | ')} (and ${synonyms.length - 8} more)`);
    expect(line('files')).toBe('EDAM.obo');
    expect(line('in')).toBe(`${releases.filter((v) => scans.get(v)!.has(term.id)).length} of ${releases.length} indexed releases (as shown: 1.2)`);
  });

  it('shows a removal in the first release without the term', () => {
    const change = findChange((a, b) => !!a && !b);
    const result = history(change.id);
    expectStatesMatchScan(change.id, result);
    const removal = result.timelines[0]!.events.find((event) => event.kind === 'REMOVED');
    expect(removal).toMatchObject({ from_version: change.from, to_version: change.to, before: scans.get(change.from)!.get(change.id)!.name });
  });

  it('counts the whole-version delta of every release pair as the scan does', () => {
    for (const [from, to] of pairs) {
      const run = runOntocat(['terms', 'delta', `edam/${from}`, `edam/${to}`, '--json', '--limit', '1'], { root });
      expect(run.code, run.stderr).toBe(0);
      const delta = run.json<VersionTermDelta>();
      const a = scans.get(from)!;
      const b = scans.get(to)!;
      const common = [...b.keys()].filter((id) => a.has(id));
      expect({ pair: `${from}->${to}`, ...delta.summary }).toEqual({
        pair: `${from}->${to}`,
        added: b.size - common.length,
        removed: a.size - common.length,
        relabelled: common.filter((id) => a.get(id)!.name !== b.get(id)!.name).length,
        redefined: common.filter((id) => a.get(id)!.def !== b.get(id)!.def).length,
        reparented: common.filter((id) => [...new Set(a.get(id)!.isA)].sort().join() !== [...new Set(b.get(id)!.isA)].sort().join()).length,
        retyped: common.filter((id) => a.get(id)!.kind !== b.get(id)!.kind).length,
        deprecated: common.filter((id) => b.get(id)!.obsolete && !a.get(id)!.obsolete).length,
        undeprecated: common.filter((id) => a.get(id)!.obsolete && !b.get(id)!.obsolete).length,
        replaced: common.filter((id) => a.get(id)!.obsolete && b.get(id)!.replacedBy.length > 0
          && [...new Set(a.get(id)!.replacedBy)].sort().join() !== [...new Set(b.get(id)!.replacedBy)].sort().join()).length,
      });
      expect(delta).toMatchObject({ old_terms: a.size, new_terms: b.size, complete: true });
    }
  });

  it('finds a term by label, id and CURIE, naming the releases that have it; --latest and CSV export', () => {
    const change = findChange((a, b) => !!a && !!b && a.name !== null && b.name !== null && a.name !== b.name);
    const name = scans.get(change.to)!.get(change.id)!.name!;
    const present = releases.filter((version) => scans.get(version)!.has(change.id));
    const byLabel = runOntocat(['terms', 'search', name.toUpperCase(), '--match', 'exact', '--service', 'edam', '--json'], { root }).json<TermSearchResult>();
    const hit = byLabel.items.find((item) => item.ident === change.id);
    expect(hit).toMatchObject({ matched_on: 'label', versions: present, in_latest: present.includes('1.2'), label: scans.get(present.at(-1)!)!.get(change.id)!.name });
    expect(hit!.matched_label).toBeUndefined();
    // By its name before the relabel: the hit shows its newest label, and says which one matched.
    const oldName = scans.get(change.from)!.get(change.id)!.name!;
    const byOldLabel = runOntocat(['terms', 'search', oldName, '--match', 'exact', '--service', 'edam', '--json'], { root }).json<TermSearchResult>();
    expect(byOldLabel.items.find((item) => item.ident === change.id)).toMatchObject({ matched_on: 'label', label: hit!.label, matched_label: oldName });
    const human = runOntocat(['terms', 'search', oldName, '--match', 'exact', '--service', 'edam'], { root });
    expect(human.stdout).toContain(`label “${oldName}”`);
    const byId = runOntocat(['terms', 'search', change.id, '--match', 'exact', '--json'], { root }).json<TermSearchResult>();
    expect(byId.items.map((item) => item.ident)).toEqual([change.id]);

    const removed = findChange((a, b) => !!a && !b && !releases.slice(releases.indexOf('1.2')).some((v) => scans.get(v)!.has(a.id)));
    const latestOnly = runOntocat(['terms', 'search', removed.id, '--match', 'exact', '--latest', '--json'], { root }).json<TermSearchResult>();
    expect(latestOnly.total).toBe(0);

    const csv = runOntocat(['terms', 'search', change.id, '--match', 'exact', '--format', 'csv'], { root });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n')[0]).toContain('ident');
    expect(csv.stdout).toContain(change.id);
  });

  it("finds a term by its EDAM IRI in the OBO releases, which write it as EDAM's OBO id", () => {
    const present = releases.filter((version) => scans.get(version)!.has('EDAM_data:0006'));
    expect(present.length).toBeGreaterThan(1);
    for (const match of ['exact', 'prefix', 'contains'] as const) {
      const run = runOntocat(['terms', 'search', 'http://edamontology.org/data_0006', '--match', match, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
      const hit = run.json<TermSearchResult>().items.find((item) => item.ident === 'EDAM_data:0006');
      expect({ match, versions: hit?.versions, label: hit?.label })
        .toEqual({ match, versions: present, label: scans.get(present.at(-1)!)!.get('EDAM_data:0006')!.name });
    }
    expectStatesMatchScan('EDAM_data:0006', history('http://edamontology.org/data_0006'));
  });

  it('uses the index for delta --terms over the whole pair', () => {
    const run = runOntocat(['delta', 'edam/1.1', 'edam/1.2', '--terms', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    const out = run.json<{ term_index?: VersionTermDelta }>();
    expect(out.term_index?.complete).toBe(true);
    expect(out.term_index?.summary.added).toBeGreaterThan(0);
  });

  it('backfills versions indexed before the index existed, with the same answers', async () => {
    const before = history(findChange((a, b) => !!a && !b).id);
    const catalog = await openCatalog({ root });
    await catalog.write(async (tx) => {
      for (const table of ['file_terms', 'term_index_contents', 'term_keys', 'term_labels', 'term_definitions']) await tx.run(`DELETE FROM ${table}`);
    });
    await catalog.close();
    expect(runOntocat(['terms', 'status', '--json'], { root }).json<TermIndexStatus>()).toMatchObject({ contents: 0, contents_pending: 5, versions_pending: 5 });
    const run = runOntocat(['terms', 'backfill', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<TermBackfillResult>()).toMatchObject({ contents: 5, indexed: 5, unparsable: 0, unreadable: 0, failed: [] });
    expect(history(before.query)).toEqual(before);
    const again = runOntocat(['terms', 'backfill', '--json'], { root }).json<TermBackfillResult>();
    expect(again).toMatchObject({ contents: 0, indexed: 0 });
  }, 300_000);
});

describe('EDAM relations recorded by the reader before migration 0026 (their bare OBO ids)', () => {
  /** Every relation id any release has, both as written and as the header maps it, plus two labels. */
  const relationQueries = (): string[] => {
    const ids = new Set<string>();
    for (const version of releases) {
      for (const line of readFileSync(path.join(edam, `EDAM_${version}.obo`), 'utf8').split('\n').filter((text) => text.startsWith('id:'))) {
        const id = line.slice(3).trim();
        if (!id.includes(':')) ids.add(id).add(`http://edamontology.org/${id}`);
      }
    }
    return [...ids].sort();
  };

  /** What a curator reads about the relations: each one's history, searches, every pair's delta, the status. */
  async function answers(): Promise<unknown> {
    const catalog = await openCatalog({ root });
    try {
      return await catalog.read(async (conn) => {
        const histories = [];
        for (const id of relationQueries()) {
          histories.push(await termHistory(conn, id, 'edam').catch((error: Error) => error.message));
        }
        const searches = [];
        for (const [q, match] of [['has_format', 'exact'], ['format_of', 'contains'], ['http://edamontology.org/is_', 'prefix']] as const) {
          searches.push(await searchTerms(conn, { query: q, match, limit: 50, offset: 0 }));
        }
        const deltas = [];
        for (const [from, to] of pairs) {
          deltas.push(await versionTermDelta(conn, { service: 'edam', version: from }, { service: 'edam', version: to }, { limit: 1000 }));
        }
        // By label, the IRI's hit alone: a key keeps every label it was ever recorded with
        // (term_labels is only added to), so the bare key, still beta's, matches its old
        // 1.0 label too, as any key does a label of a content no version holds any more.
        const byLabel = (await searchTerms(conn, { query: 'has format', match: 'exact', limit: 50, offset: 0 })).items
          .filter((hit) => hit.ident === 'http://edamontology.org/has_format');
        return { histories, searches, byLabel, deltas, status: await termIndexStatus(conn, VALIDATOR_VERSION) };
      });
    } finally {
      await catalog.close();
    }
  }

  it('are recorded again by a backfill, and every answer is the one a fresh recording gives', async () => {
    const fresh = await answers();
    // has_format's history runs from 1.0 (the first release whose header maps it) to 1.2.
    const mapped = (fresh as { histories: (TermHistory | string)[] }).histories[relationQueries().indexOf('http://edamontology.org/has_format')] as TermHistory;
    expect(mapped.timelines[0]!.versions.filter((state) => state.present).map((state) => state.version)).toEqual(['1.0', '1.1', '1.2']);
    expect((fresh as { byLabel: { versions: string[] }[] }).byLabel.map((hit) => hit.versions)).toEqual([['1.0', '1.1', '1.2']]);
    // The id as the OBO files write it finds the term: no beta release has has_topic, so
    // the name is the last segment of one IRI.
    const asWritten = history('has_topic');
    expect(asWritten.idents).toEqual(['http://edamontology.org/has_topic']);
    expect(asWritten.timelines[0]!.versions.filter((state) => state.present).map((state) => state.version)).toEqual(['1.0', '1.1', '1.2']);

    // The index as the reader before 0026 recorded it: each release's relations by their bare ids.
    const bare = (id: string): string => id.replace(/^http:\/\/edamontology\.org\/(?![a-z]+_\d)/, '');
    const older = [];
    for (const version of releases) {
      const file = path.join(edam, `EDAM_${version}.obo`);
      // Every typedef was an object property then (is_metadata_tag was not read), no term
      // had aliases, and 1.2's bare alt_ids (http://edamontology.org/topic_…, 0033) were none.
      const terms = (await extractTerms(file, 'obo')).filter((term) => !term.id.startsWith('http://edamontology.org/topic_')).map(({ aliases: _aliases, ...term }) => (term.kind === 'class' ? term
        : { ...term, kind: 'object_property' as const, id: bare(term.id), parents: term.parents.map(bare), replaced_by: term.replaced_by.map(bare), consider: term.consider.map(bare) }));
      expect(terms.filter((term) => term.id.startsWith('http://')).length).toBe(0);
      older.push({ file, format: 'obo', terms });
    }
    // The migration itself marks which contents to re-read: all five hold bare relation ids.
    await recordUnderOlderRules(root, older, 4, '0026_term_relation_ids_and_top_parents.sql');
    const aged = await answers();
    expect(aged).not.toEqual(fresh);
    expect((aged as { status: TermIndexStatus }).status).toMatchObject({ contents: 5, contents_outdated: 5 });
    // The old answer a curator caught: has_format is not a term of any release.
    expect((aged as { histories: (TermHistory | string)[] }).histories[relationQueries().indexOf('http://edamontology.org/has_format')]).toMatch(/^No indexed term is 'http:\/\/edamontology.org\/has_format'/);

    const run = runOntocat(['terms', 'backfill', '--json'], { root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json<TermBackfillResult>()).toMatchObject({ contents: 5, indexed: 5, unparsable: 0, unreadable: 0, failed: [] });
    expect(await answers()).toEqual(fresh);
    expect(runOntocat(['terms', 'backfill', '--json'], { root }).json<TermBackfillResult>()).toMatchObject({ contents: 0, indexed: 0 });
  }, 300_000);
});

describe('an EDAM release in OWL (owl-excerpts/EDAM_1.25.owl): definitions in oboInOwl:hasDefinition', () => {
  const excerpt = path.join(edam, 'owl-excerpts', 'EDAM_1.25.owl');
  const owlRoot = path.join(temp.root, 'owl-root');

  /** Each top-level term element of the file (classes and properties), by a line scan. */
  function scanOwlTerms(file: string): Map<string, { kind: string; definitions: string[]; deprecated: boolean }> {
    const kinds = new Set(['Class', 'ObjectProperty', 'DatatypeProperty', 'AnnotationProperty']);
    return new Map([...scanOwlXml(readFileSync(file, 'utf8'))].filter(([, term]) => kinds.has(term.element))
      .map(([iri, term]) => [iri, { kind: term.element, definitions: term.definitions, deprecated: term.deprecated }]));
  }

  beforeAll(() => {
    const dir = path.join(temp.root, 'src-owl', '1.25');
    mkdirSync(dir, { recursive: true });
    copyFileSync(excerpt, path.join(dir, 'EDAM.owl'));
    const run = runOntocat(['ingest', dir, '--service', 'edam-owl', '--version', '1.25', '--json'], { root: owlRoot });
    expect(run.code, run.stderr).toBe(0);
  }, 300_000);

  it('holds every defined term with the definitions the file gives it', async () => {
    const scanned = scanOwlTerms(excerpt);
    const classes = [...scanned].filter(([, term]) => term.kind === 'Class');
    expect(classes.length).toBe(150);
    const catalog = await openCatalog({ root: owlRoot });
    try {
      for (const [iri, term] of scanned) {
        if (term.definitions.length === 0) continue;
        const state = (await catalog.read((conn) => termHistory(conn, iri, 'edam-owl'))).timelines[0]!.versions[0]!;
        expect({ iri, definitions: [...state.definitions].sort() }).toEqual({ iri, definitions: [...new Set(term.definitions)].sort() });
      }
    } finally {
      await catalog.close();
    }
  });

  it('reports missing-definition only for the live classes and properties the scan finds without one', () => {
    const scanned = scanOwlTerms(excerpt);
    const expected = [...scanned]
      .filter(([, term]) => term.kind !== 'AnnotationProperty' && !term.deprecated && term.definitions.length === 0)
      .map(([iri]) => iri).sort();
    const run = runOntocat(['findings', 'edam-owl/1.25', '--search', 'has no definition', '--limit', '1000', '--json'], { root: owlRoot });
    expect(run.code, run.stderr).toBe(0);
    const rows = run.json<{ rule: string; subject: string | null }[]>();
    expect(rows.every((row) => row.rule === 'missing-definition')).toBe(true);
    expect(rows.map((row) => row.subject).sort()).toEqual(expected);
  });
});
