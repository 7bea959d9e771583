/**
 * `terms search --latest` (the Terms page's "in latest only", the same channel) keeps the
 * terms that match in the latest release: by an id, IRI or CURIE (they do not change
 * between releases), or by a label the latest release gives the term. A label only an
 * older release gave it does not make it a hit, and a hit ranks by the latest release's
 * labels. Without --latest a term is found by any label it ever had, as before.
 *
 * Outside truth: three real EDAM releases (1.0, 1.1, 1.2), ingested and indexed by the
 * real CLI, held to a plain line scan of the files (test/helpers/obo-stanza-scan.ts), not
 * the OBO parser. EDAM 1.2 renamed `EDAM_format:1963` from "Swiss-Prot format" to
 * "UniProtKB format" and `EDAM_format:2001` from "simple" to "EMBOSS simple format";
 * 1.1 renamed `EDAM_topic:0204` from "Gene regulation resources" to "Gene regulation",
 * keeping the old name as an EXACT synonym.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termSearchQuery } from '../../../electron/catalog/term-index-queries.js';
import { searchTextLimits } from '../../../electron/catalog/term-search-text.js';
import type { TermMatch, TermSearchHit, TermSearchResult } from '../../../electron/shared/contract/terms.js';
import type { ScannedTerm } from '../../helpers/obo-stanza-scan.js';
import { ingestEdamReleases } from '../../helpers/edam-releases.js';
import { runOntocat } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const releases = ['1.0', '1.1', '1.2'] as const;
const temp = makeTempRoot('ontocat-term-search-latest');
const root = path.join(temp.root, 'root');
let scans: Map<string, Map<string, ScannedTerm>>;

beforeAll(() => {
  scans = ingestEdamReleases(temp.root, root, releases);
  setLatest('1.2');
}, 600_000);
afterAll(() => temp.cleanup());

function setLatest(version: string, service = 'edam'): void {
  const run = runOntocat(['latest', 'set', service, version], { root });
  expect(run.code, run.stderr).toBe(0);
}

/** `ontocat terms search` as JSON. */
function search(query: string, match: TermMatch, latest: boolean): TermSearchResult {
  const run = runOntocat(['terms', 'search', query, '--match', match, '--service', 'edam', ...(latest ? ['--latest'] : []), '--json'], { root });
  expect(run.code, run.stderr).toBe(0);
  return run.json<TermSearchResult>();
}

function hitOf(result: TermSearchResult, ident: string): TermSearchHit | undefined {
  return result.items.find((item) => item.ident === ident);
}

/** What the scan of `version` says a term is named. */
const nameIn = (version: string, id: string): string | null | undefined => scans.get(version)!.get(id)?.name;

/** The releases whose scan holds `id`. */
const holding = (id: string): string[] => releases.filter((version) => scans.get(version)!.has(id));

/** 0 exact, 1 prefix, 2 contains: how close a name is to `q`, as a search ranks its hits. */
function closeness(q: string, name: string | null | undefined): number {
  const text = name?.toLowerCase() ?? '';
  return text === q ? 0 : text.startsWith(q) ? 1 : text.includes(q) ? 2 : Infinity;
}

/**
 * The terms the scans of `versions` name with a name containing `q` (no EDAM id holds the
 * words searched here), in the order a search lists them: closest name first, then by id.
 */
function ranked(q: string, versions: readonly string[]): string[] {
  return rankedIn(q, [['', versions]]).map((hit) => hit.split(' ')[0]!);
}

/** ranked over several services' releases: `id service`, closest first, then by id, then by service. */
function rankedIn(q: string, services: readonly (readonly [string, readonly string[]])[]): string[] {
  const best = new Map<string, { id: string; service: string; c: number }>();
  for (const [service, versions] of services) {
    for (const version of versions) {
      for (const term of scans.get(version)!.values()) {
        const c = closeness(q, term.name);
        const key = `${term.id} ${service}`;
        if (c < (best.get(key)?.c ?? Infinity)) best.set(key, { id: term.id, service, c });
      }
    }
  }
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...best].sort(([, x], [, y]) => x.c - y.c || order(x.id, y.id) || order(x.service, y.service)).map(([key]) => key.trim());
}

describe('terms search --latest matches what the latest release says', () => {
  it('a term renamed in the latest release is found by its new name only; without --latest by either', () => {
    const id = 'EDAM_format:1963';
    expect([nameIn('1.1', id), nameIn('1.2', id)]).toEqual(['Swiss-Prot format', 'UniProtKB format']);
    // No term of 1.2 is named "Swiss-Prot format", in any letter case.
    expect([...scans.get('1.2')!.values()].filter((term) => term.name?.toLowerCase() === 'swiss-prot format')).toEqual([]);

    const byOld = search('Swiss-Prot format', 'exact', true);
    expect(byOld).toMatchObject({ total: 0, items: [] });
    const byNew = search('UniProtKB format', 'exact', true);
    expect(byNew.total).toBe(1);
    expect(hitOf(byNew, id)).toMatchObject({ label: 'UniProtKB format', matched_on: 'label', in_latest: true, versions: holding(id) });
    expect(hitOf(byNew, id)!.matched_label).toBeUndefined();

    // Without --latest: found by the old name, shown by the new one, saying which matched.
    const anyRelease = search('Swiss-Prot format', 'exact', false);
    expect(hitOf(anyRelease, id)).toMatchObject({ label: 'UniProtKB format', matched_label: 'Swiss-Prot format', in_latest: true, versions: holding(id) });

    // The export of the same search (the Terms page's Export buttons) agrees.
    const csv = runOntocat(['terms', 'search', 'Swiss-Prot format', '--match', 'exact', '--service', 'edam', '--latest', '--format', 'csv'], { root });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).not.toContain(id);
    const csvAll = runOntocat(['terms', 'search', 'Swiss-Prot format', '--match', 'exact', '--service', 'edam', '--format', 'csv'], { root });
    expect(csvAll.stdout).toContain(id);
  });

  it('prefix and contains compare the latest release\'s name ("simple" → "EMBOSS simple format")', () => {
    const id = 'EDAM_format:2001';
    expect([nameIn('1.1', id), nameIn('1.2', id)]).toEqual(['simple', 'EMBOSS simple format']);
    expect(hitOf(search('simple', 'prefix', false), id)).toMatchObject({ label: 'EMBOSS simple format', matched_label: 'simple' });
    expect(hitOf(search('simple', 'exact', true), id)).toBeUndefined();
    expect(hitOf(search('simple', 'prefix', true), id)).toBeUndefined();
    // Contained in the latest name: a hit, which its shown label explains.
    const contained = hitOf(search('simple', 'contains', true), id);
    expect(contained).toMatchObject({ label: 'EMBOSS simple format', matched_on: 'label' });
    expect(contained!.matched_label).toBeUndefined();
  });

  it('hits rank by the latest release\'s names ("experiment" → "Staden experiment format")', () => {
    const id = 'EDAM_format:1928';
    expect([nameIn('1.1', id), nameIn('1.2', id)]).toEqual(['experiment', 'Staden experiment format']);
    const latest = search('experiment', 'contains', true).items.map((hit) => hit.ident);
    const anyRelease = search('experiment', 'contains', false).items.map((hit) => hit.ident);
    expect(latest).toEqual(ranked('experiment', ['1.2']));
    expect(anyRelease).toEqual(ranked('experiment', releases));
    // First by its 1.1 name, the word itself; among those containing it by its 1.2 one.
    expect(anyRelease[0]).toBe(id);
    expect(latest.indexOf(id)).toBeGreaterThan(0);
  });

  it('a name that changed only its letter case still matches; an id matches whatever the name', () => {
    expect([nameIn('1.1', 'EDAM_format:1196'), nameIn('1.2', 'EDAM_format:1196')]).toEqual(['smiles', 'SMILES']);
    const smiles = hitOf(search('smiles', 'exact', true), 'EDAM_format:1196');
    expect(smiles).toMatchObject({ label: 'SMILES', matched_on: 'label' });
    expect(smiles!.matched_label).toBeUndefined();
    expect(hitOf(search('EDAM_format:1963', 'exact', true), 'EDAM_format:1963')).toMatchObject({ matched_on: 'id', label: 'UniProtKB format' });
  });

  it('a common word: the hits are the terms a scan of 1.2 names, in every page, the total and the export alike', async () => {
    // "protein" is in no EDAM id, so every hit is by name; a few hundred terms, so the
    // search ranks them from the keys' content sets (its many-keys path). 1.2 renamed
    // "Protein interaction format" (EDAM_format:2054) to "Molecular interaction format".
    const q = 'protein';
    const latestNamed = ranked(q, ['1.2']);
    const everNamed = ranked(q, releases);
    expect(latestNamed.length).toBeGreaterThan(300);
    // Terms of 1.2 an older release named so and 1.2 does not.
    const olderOnly = everNamed.filter((id) => scans.get('1.2')!.has(id) && !latestNamed.includes(id));
    expect(olderOnly).toContain('EDAM_format:2054');

    const catalog = await openCatalog({ root });
    try {
      for (const kept of [true, false]) {
        const limits = searchTextLimits.maxKeptRows;
        // The stored tables as well as the copy a read connection keeps.
        if (!kept) searchTextLimits.maxKeptRows = 0;
        try {
          await catalog.read(async (conn) => {
            for (const [latest, expected] of [[true, latestNamed], [false, everNamed]] as const) {
              const pages: TermSearchHit[] = [];
              const totals = new Set<number>();
              for (let offset = 0; ; offset += 50) {
                const page = await searchTerms(conn, { query: q, match: 'contains', service: 'edam', latest_only: latest, offset, limit: 50 });
                totals.add(page.total);
                pages.push(...page.items);
                if (page.items.length < 50) break;
              }
              const idents = pages.map((hit) => hit.ident);
              expect({ kept, latest, total: [...totals] }).toEqual({ kept, latest, total: [idents.length] });
              expect(new Set(idents).size).toBe(idents.length);
              expect(idents).toEqual(expected);
              if (latest) expect(pages.every((hit) => hit.in_latest)).toBe(true);
              // A hit whose shown label does not contain the word says which label did: in
              // --latest mode, one of the latest release's names for it.
              for (const hit of pages.filter((h) => !h.label?.toLowerCase().includes(q))) {
                const from = latest ? [nameIn('1.2', hit.ident)] : releases.map((version) => nameIn(version, hit.ident));
                expect(from, hit.ident).toContain(hit.matched_label);
              }
              const spec = await termSearchQuery(conn, { query: q, match: 'contains', service: 'edam', latest_only: latest });
              const exported = await conn.all<{ ident: string }>(spec.sql, spec.params);
              expect(exported.map((row) => row.ident)).toEqual(idents);
            }
          });
        } finally {
          searchTextLimits.maxKeptRows = limits;
        }
      }
    } finally {
      await catalog.close();
    }
  });

  it("one file content in two services' releases: its names count in the service whose latest release it is", async () => {
    // edam-b holds 1.1 alone, the same file (one indexed content) as edam's 1.1.
    ingestEdamReleases(temp.root, root, ['1.1'], 'edam-b');
    setLatest('1.1', 'edam-b');
    const id = 'EDAM_format:1963';
    const run = (query: string, latest: boolean): string[] => {
      const result = runOntocat(['terms', 'search', query, '--match', 'exact', ...(latest ? ['--latest'] : []), '--json'], { root });
      expect(result.code, result.stderr).toBe(0);
      return result.json<TermSearchResult>().items.filter((hit) => hit.ident === id).map((hit) => hit.service);
    };
    expect(run('Swiss-Prot format', true)).toEqual(['edam-b']);
    expect(run('UniProtKB format', true)).toEqual(['edam']);
    expect(run('Swiss-Prot format', false)).toEqual(['edam', 'edam-b']);

    // A common word over both services, a page at a time (the many-keys path), and its export.
    const q = 'protein';
    const expected = rankedIn(q, [['edam', ['1.2']], ['edam-b', ['1.1']]]);
    const catalog = await openCatalog({ root });
    try {
      await catalog.read(async (conn) => {
        const hits: string[] = [];
        for (let offset = 0; ; offset += 50) {
          const page = await searchTerms(conn, { query: q, match: 'contains', latest_only: true, offset, limit: 50 });
          expect(page.total).toBe(expected.length);
          hits.push(...page.items.map((hit) => `${hit.ident} ${hit.service}`));
          if (page.items.length < 50) break;
        }
        expect(hits).toEqual(expected);
        const spec = await termSearchQuery(conn, { query: q, match: 'contains', latest_only: true });
        expect((await conn.all<{ ident: string; service: string }>(spec.sql, spec.params)).map((row) => `${row.ident} ${row.service}`)).toEqual(expected);
      });
    } finally {
      await catalog.close();
    }
  }, 120_000);

  describe('with an older release as latest (1.1, while 1.2 is newer)', () => {
    beforeAll(() => setLatest('1.1'), 120_000);
    afterAll(() => setLatest('1.2'), 120_000);

    it("matches 1.1's names; the shown label is the newest release's, the matched label the latest release's", () => {
      const id = 'EDAM_format:1963';
      const byLatestName = hitOf(search('Swiss-Prot format', 'exact', true), id);
      expect(byLatestName).toMatchObject({ label: 'UniProtKB format', matched_label: 'Swiss-Prot format', in_latest: true, versions: holding(id) });
      // 1.2's name is not the latest release's.
      expect(hitOf(search('UniProtKB format', 'exact', true), id)).toBeUndefined();
      expect(hitOf(search('UniProtKB format', 'exact', false), id)).toMatchObject({ label: 'UniProtKB format', in_latest: true });
    });

    it('synonyms are no search text in either mode: a name 1.1 kept only as a synonym does not match with --latest', () => {
      const id = 'EDAM_topic:0204';
      expect([nameIn('1.0', id), nameIn('1.1', id)]).toEqual(['Gene regulation resources', 'Gene regulation']);
      expect(scans.get('1.1')!.get(id)!.synonyms).toContain('Gene regulation resources');
      expect(hitOf(search('Gene regulation resources', 'exact', false), id)).toMatchObject({ label: 'Gene regulation', matched_label: 'Gene regulation resources' });
      expect(hitOf(search('Gene regulation resources', 'exact', true), id)).toBeUndefined();
      // As a synonym no release ever named any term is found by nothing, with or without --latest.
      const everNames = new Set(releases.flatMap((version) => [...scans.get(version)!.values()].flatMap((term) => (term.name ? [term.name.toLowerCase()] : []))));
      const synonym = [...scans.get('1.1')!.values()].flatMap((term) => term.synonyms).find((text) => !everNames.has(text.toLowerCase()) && /^[A-Za-z ]+$/.test(text));
      expect(synonym).toBeDefined();
      expect(search(synonym!, 'exact', false).total).toBe(0);
    });
  });
});
