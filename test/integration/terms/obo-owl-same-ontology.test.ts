/**
 * One ontology in OBO and in OWL, whichever file the index read it from: every term must be
 * the same term, with the same kind, labels and parents. Outside truth, two pairs that
 * their projects' release pipelines write together:
 *
 * - ROBOT's docs/examples/example.obo and example.owl (test/fixtures/robot/README.md). The
 *   OBO file names its relations by shorthands (`part_of`, `xref: BFO:0000050`); the OWL
 *   file by the xrefs' IRIs, each with an oboInOwl:shorthand.
 * - SO's release of 2024-11-18, so.obo and so.owl (test/fixtures/so/README.md). The OBO
 *   file names its fifty relations bare (`part_of`, no xref); the OWL file puts them in the
 *   ontology's namespace (`…/obo/so#part_of`). Its 132 alt_ids are deprecated classes of the
 *   OWL file, replaced by the term that names them, and its subset and synonym type names
 *   annotation properties.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../electron/catalog/open-catalog.js';
import { searchTerms, termHistory, termIndexStatus, termSearchQuery, versionTermDelta } from '../../../electron/catalog/term-index-queries.js';
import { VALIDATOR_VERSION } from '../../../electron/ingest/validate/validators.js';
import { extractTerms, scanOntologyFile } from '../../../electron/ingest/parsers/extract-terms.js';
import type { TermBackfillResult, TermHistory, TermIndexStatus, TermSearchResult, VersionTermDelta } from '../../../electron/shared/contract/terms.js';
import { termIdent } from '../../../electron/shared/curie.js';
import type { TermDelta } from '../../../electron/shared/models.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
import { recordUnderOlderRules } from '../../helpers/older-term-index.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const fixtures = path.join(projectRoot, 'test', 'fixtures', 'robot');
const oboFile = path.join(fixtures, 'example.obo');
const owlFile = path.join(fixtures, 'example.owl');

/** The OWL file's properties with an oboInOwl:shorthand, by a line scan: shorthand → IRI. */
function scanShorthands(): Map<string, string> {
  const shorthands = new Map<string, string>();
  const blocks = readFileSync(owlFile, 'utf8').split(/<owl:(?:ObjectProperty|AnnotationProperty) rdf:about="/).slice(1);
  for (const block of blocks) {
    const iri = block.slice(0, block.indexOf('"'));
    const body = block.slice(0, block.search(/<\/owl:(?:ObjectProperty|AnnotationProperty)>/));
    const shorthand = /<oboInOwl:shorthand[^>]*>([^<]+)</.exec(body)?.[1];
    if (shorthand) shorthands.set(shorthand, iri);
  }
  return shorthands;
}

/** The OBO file's typedef ids, by a line scan. */
function scanTypedefIds(): string[] {
  const lines = readFileSync(oboFile, 'utf8').split('\n');
  return lines.flatMap((line, i) => (line.startsWith('id: ') && lines[i - 1] === '[Typedef]' ? [line.slice(4).trim()] : []));
}

describe('one ontology in OBO and OWL (ROBOT example.obo / example.owl)', () => {
  it('every OBO term is the OWL term of the same identity, kind, labels and parents', async () => {
    const fromObo = (await scanOntologyFile(oboFile, 'obo')).terms;
    const fromOwl = new Map((await scanOntologyFile(owlFile, 'rdfxml')).terms.map((term) => [termIdent(term.id), term]));
    const shape = (term: (typeof fromObo)[number]) => ({
      id: termIdent(term.id), kind: term.kind, labels: term.labels.map((label) => label.value).sort(),
      deprecated: term.deprecated, parents: [...new Set(term.parents.map(termIdent))].sort(),
    });
    // 34 stanzas and the one alt_id (UBERON:MIAA_0000021), which the OWL file gives as the
    // same class's oboInOwl:hasAlternativeId.
    expect(fromObo.length).toBe(35);
    for (const term of fromObo) {
      const other = fromOwl.get(termIdent(term.id));
      expect({ id: term.id, found: other !== undefined }).toEqual({ id: term.id, found: true });
      expect(shape(other!)).toEqual(shape(term));
    }
    // The ten relations, as the OWL file's shorthands name them: each typedef id of the
    // OBO file is the shorthand of the IRI the OBO reader gives it.
    const shorthands = scanShorthands();
    const typedefs = scanTypedefIds();
    expect(typedefs).toHaveLength(10);
    const relations = new Map(fromObo.filter((term) => term.kind !== 'class').map((term) => [term.line, term]));
    expect(relations.size).toBe(10);
    expect(typedefs.map((id) => termIdent(shorthands.get(id)!)).sort())
      .toEqual([...relations.values()].map((term) => termIdent(term.id)).sort());
  });

  describe('in the term index, as two versions', () => {
    const temp = makeTempRoot('ontocat-obo-owl-same');
    const root = path.join(temp.root, 'root');
    beforeAll(() => {
      for (const [version, file] of [['1-obo', oboFile], ['2-owl', owlFile]] as const) {
        const dir = path.join(temp.root, 'src', version);
        mkdirSync(dir, { recursive: true });
        copyFileSync(file, path.join(dir, path.basename(file)));
        const run = runOntocat(['ingest', dir, '--service', 'uberon-example', '--version', version, '--json'], { root });
        expect(run.code, run.stderr).toBe(0);
      }
    }, 300_000);
    afterAll(() => temp.cleanup());

    it('the move from OBO to OWL removes, relabels and re-parents nothing', () => {
      const run = runOntocat(['terms', 'delta', 'uberon-example/1-obo', 'uberon-example/2-owl', '--json', '--limit', '100'], { root });
      expect(run.code, run.stderr).toBe(0);
      const delta = run.json<VersionTermDelta>();
      expect(delta.summary).toMatchObject({ removed: 0, relabelled: 0, reparented: 0, deprecated: 0 });
      // What OWL adds is what OBO writes as built-in tags (oboInOwl's vocabulary, IAO:0000115 for def).
      expect(delta.changes.items.map((change) => change.ident).filter((ident) => !/^(oboInOwl|foaf):|^IAO:0000115$/.test(ident))).toEqual([]);
    });

    it("finds a relation by the OBO file's shorthand, in both versions", () => {
      const history = runOntocat(['terms', 'history', 'part_of', '--service', 'uberon-example', '--json'], { root });
      expect(history.code, history.stderr).toBe(0);
      const result = history.json<TermHistory>();
      expect(result.idents).toEqual(['BFO:0000050']);
      expect(result.timelines[0]!.versions.map((state) => state.present)).toEqual([true, true]);
      const search = runOntocat(['terms', 'search', 'part_of', '--match', 'exact', '--json'], { root }).json<TermSearchResult>();
      expect(search.items.map((hit) => [hit.ident, hit.versions])).toEqual([['BFO:0000050', ['1-obo', '2-owl']]]);
    });
  });
});

describe("one ontology in OBO and OWL (SO's release of 2024-11-18)", () => {
  const temp = makeTempRoot('ontocat-so-obo-owl');
  const dir = path.join(temp.root, 'src');
  const soObo = path.join(dir, '1-obo', 'so.obo');
  const soOwl = path.join(dir, '2-owl', 'so.owl');
  const root = path.join(temp.root, 'root');
  /** What OWL adds to OBO: the vocabulary OBO writes as built-in tags (oboInOwl's, IAO's def, root and obsolescence properties). */
  const builtInTag = /^(oboInOwl|dc|rdfs|owl):|^IAO:(0000115|0000231|0000700|0100001)$/;
  beforeAll(() => {
    for (const [file, gz] of [[soObo, 'so.obo.gz'], [soOwl, 'so.owl.gz']] as const) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, gunzipSync(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'so', gz))));
    }
  });
  afterAll(() => temp.cleanup());

  it('every OBO term is the OWL term of the same identity, kind, labels, deprecation, replacements and parents', async () => {
    const fromObo = (await scanOntologyFile(soObo, 'obo')).terms;
    const owlTerms = (await scanOntologyFile(soOwl, 'rdfxml')).terms;
    const fromOwl = new Map(owlTerms.map((term) => [termIdent(term.id), term]));
    const idents = (values: readonly string[]): string[] => [...new Set(values.map(termIdent))].sort();
    const shape = (term: (typeof fromObo)[number]) => ({
      id: termIdent(term.id), kind: term.kind, labels: term.labels.map((label) => label.value).sort(), deprecated: term.deprecated,
      replaced_by: idents(term.replaced_by), consider: idents(term.consider), parents: idents(term.parents),
    });
    for (const term of fromObo) {
      const other = fromOwl.get(termIdent(term.id));
      expect({ id: term.id, found: other !== undefined }).toEqual({ id: term.id, found: true });
      expect(shape(other!)).toEqual(shape(term));
    }
    const oboIdents = new Set(fromObo.map((term) => termIdent(term.id)));
    expect(owlTerms.map((term) => termIdent(term.id)).filter((ident) => !oboIdents.has(ident) && !builtInTag.test(ident))).toEqual([]);

    // By line scans of the two files: the OWL file's object properties are the fifty
    // [Typedef]s, and its deprecated classes with a replacement are the alt_ids.
    const owlText = readFileSync(soOwl, 'utf8');
    const oboText = readFileSync(soObo, 'utf8');
    const declared = [...owlText.matchAll(/<owl:ObjectProperty rdf:about="([^"]+)"/g)].map((match) => match[1]!).sort();
    const typedefIds = [...oboText.matchAll(/^\[Typedef\]\nid: (\S+)/gm)].map((match) => `http://purl.obolibrary.org/obo/so#${match[1]}`).sort();
    expect(declared).toHaveLength(50);
    expect(typedefIds).toEqual(declared);
    expect(fromObo.filter((term) => term.kind === 'object_property').map((term) => term.id).sort()).toEqual(declared);
    const altIds = new Set([...oboText.matchAll(/^alt_id: (\S+)/gm)].map((match) => match[1]!));
    expect(altIds.size).toBe(132);
    const mergedClasses = owlText.split(/<owl:Class rdf:about="/).slice(1)
      .filter((block) => /<obo:IAO_0000231 rdf:resource="http:\/\/purl\.obolibrary\.org\/obo\/IAO_0000227"\/>/.test(block.slice(0, block.indexOf('</owl:Class>'))))
      .map((block) => termIdent(block.slice(0, block.indexOf('"'))));
    expect(new Set(mergedClasses)).toEqual(altIds);
    expect(fromObo.filter((term) => altIds.has(term.id)).every((term) => term.deprecated && term.replaced_by.length === 1 && term.labels.length === 0)).toBe(true);
    expect(fromObo.find((term) => term.id === 'BS:00003')?.replaced_by).toEqual(['SO:0001078']);
  });

  describe('in the term index, as two versions', () => {
    beforeAll(() => {
      for (const file of [soObo, soOwl]) {
        const folder = path.dirname(file);
        const run = runOntocat(['ingest', folder, '--service', 'so', '--version', path.basename(folder), '--json'], { root });
        expect(run.code, run.stderr).toBe(0);
      }
    }, 300_000);

    it('the move from OBO to OWL removes, relabels, re-parents and deprecates nothing', () => {
      const run = runOntocat(['terms', 'delta', 'so/1-obo', 'so/2-owl', '--json', '--limit', '100'], { root });
      expect(run.code, run.stderr).toBe(0);
      const delta = run.json<VersionTermDelta>();
      expect(delta.summary).toMatchObject({ removed: 0, relabelled: 0, reparented: 0, deprecated: 0 });
      expect(delta.changes.items.map((change) => change.ident).filter((ident) => !builtInTag.test(ident))).toEqual([]);
    });

    it("the file's own term delta, so.obo to so.owl, says what the whole-version delta says", () => {
      const whole = runOntocat(['terms', 'delta', 'so/1-obo', 'so/2-owl', '--json', '--limit', '1000'], { root });
      const file = runOntocat(['delta', 'terms', 'so/1-obo', 'so/2-owl', 'so.owl', '--old-path', 'so.obo', '--json', '--limit', '1000'], { root });
      expect(file.code, file.stderr).toBe(0);
      const [byIndex, byFile] = [whole.json<VersionTermDelta>(), file.json<TermDelta>()];
      // Every OBO id and its PURL are one term: nothing removed and added again.
      expect(byFile.summary).toEqual(byIndex.summary);
      expect(byFile.summary.removed).toBe(0);
      expect(byFile.changes.items.map((change) => `${change.change} ${termIdent(change.term)}`).sort())
        .toEqual(byIndex.changes.items.map((change) => `${change.change} ${change.ident}`).sort());
    });

    it('an alt_id is found, deprecated and replaced by the term that names it; a bare relation by its name', () => {
      const history = runOntocat(['terms', 'history', 'BS:00003', '--json'], { root });
      expect(history.code, history.stderr).toBe(0);
      const timeline = history.json<TermHistory>().timelines[0]!;
      expect(timeline.versions.map((state) => [state.version, state.present, state.deprecated, state.replaced_by]))
        .toEqual([['1-obo', true, true, ['SO:0001078']], ['2-owl', true, true, ['SO:0001078']]]);
      const relation = runOntocat(['terms', 'history', 'part_of', '--service', 'so', '--json'], { root });
      expect(relation.code, relation.stderr).toBe(0);
      expect(relation.json<TermHistory>().idents).toEqual(['http://purl.obolibrary.org/obo/so#part_of']);
    });

    it('finds a term by its PURL and its `obo:` CURIE in the OBO release too, each hit listing both versions', async () => {
      // SO:0000704 (gene) is `SO:0000704` in so.obo and its PURL in so.owl.
      for (const query of ['http://purl.obolibrary.org/obo/SO_0000704', 'obo:SO_0000704', 'SO:0000704']) {
        for (const match of ['exact', 'prefix', 'contains'] as const) {
          const run = runOntocat(['terms', 'search', query, '--match', match, '--json'], { root });
          expect(run.code, run.stderr).toBe(0);
          const hit = run.json<TermSearchResult>().items.find((item) => item.ident === 'SO:0000704');
          expect({ query, match, hit: hit && [hit.label, hit.versions, hit.ids] })
            .toEqual({ query, match, hit: ['gene', ['1-obo', '2-owl'], ['SO:0000704', 'http://purl.obolibrary.org/obo/SO_0000704']] });
        }
        const history = runOntocat(['terms', 'history', query, '--json'], { root });
        expect(history.code, history.stderr).toBe(0);
        expect(history.json<TermHistory>().timelines[0]!.versions.map((state) => [state.version, state.present])).toEqual([['1-obo', true], ['2-owl', true]]);
      }
      // A PURL's prefix matches the OWL file's keys alone, a few (hits grouped in JS) or
      // thousands (a page ranked in SQL, and the CSV export): each hit still lists the OBO
      // release, where the term is written as its OBO id.
      const catalog = await openCatalog({ root });
      try {
        await catalog.read(async (conn) => {
          for (const [query, match] of [['http://purl.obolibrary.org/obo/SO_000070', 'prefix'], ['purl.obolibrary.org/obo/SO_', 'contains']] as const) {
            const result = await searchTerms(conn, { query, match, limit: 50, offset: 0 });
            const spec = await termSearchQuery(conn, { query, match }, { offset: 0, limit: 50 });
            const exported = await conn.all<{ ident: string; versions: string[] }>(spec.sql, spec.params);
            expect(result.items.length, query).toBeGreaterThan(5);
            for (const items of [result.items, exported]) {
              const classes = items.filter((hit) => /^SO:\d+$/.test(hit.ident));
              expect(classes.length, query).toBeGreaterThan(5);
              expect(classes.filter((hit) => hit.versions.join() !== '1-obo,2-owl').map((hit) => hit.ident), query).toEqual([]);
            }
          }
        });
      } finally {
        await catalog.close();
      }
    });

    /** What a curator reads: the delta, the alt_id's and a relation's histories, searches, the status. */
    async function answers(): Promise<unknown> {
      const catalog = await openCatalog({ root });
      try {
        return await catalog.read(async (conn) => ({
          delta: await versionTermDelta(conn, { service: 'so', version: '1-obo' }, { service: 'so', version: '2-owl' }, { limit: 1000 }),
          histories: await Promise.all(['BS:00003', 'part_of', 'http://purl.obolibrary.org/obo/so#part_of', 'SO:0001078']
            .map((id) => termHistory(conn, id, 'so').catch((error: Error) => error.message))),
          searches: [
            await searchTerms(conn, { query: 'part_of', match: 'exact', limit: 50, offset: 0 }),
            await searchTerms(conn, { query: 'BS:0001', match: 'prefix', limit: 50, offset: 0 }),
          ],
          status: await termIndexStatus(conn, VALIDATOR_VERSION),
        }));
      } finally {
        await catalog.close();
      }
    }

    it('a catalog recorded under the rules before migration 0027 gives the same answers after one backfill', async () => {
      const fresh = await answers();
      // The OBO release as the reader before 0027 recorded it: relations by their bare ids,
      // no alt_id and no header name a term; the OWL release already had its alt_id classes.
      const altIds = new Set([...readFileSync(soObo, 'utf8').matchAll(/^alt_id: (\S+)/gm)].map((match) => match[1]!));
      const bare = (id: string): string => id.replace(/^http:\/\/purl\.obolibrary\.org\/obo\/so#/, '');
      const before = (await extractTerms(soObo, 'obo'))
        .filter((term) => !altIds.has(term.id) && !term.parents.some((parent) => /oboInOwl#(SubsetProperty|SynonymTypeProperty)$/.test(parent)))
        .map(({ aliases: _aliases, ...term }) => (term.kind === 'class' ? term
          : { ...term, id: bare(term.id), parents: term.parents.map(bare), replaced_by: term.replaced_by.map(bare), consider: term.consider.map(bare) }));
      expect(before.filter((term) => term.kind === 'object_property' && !term.id.includes('/'))).toHaveLength(50);
      // The migration itself marks which contents to re-read: both hold terms.
      await recordUnderOlderRules(root, [
        { file: soObo, format: 'obo', terms: before }, { file: soOwl, format: 'rdfxml', terms: await extractTerms(soOwl, 'rdfxml') },
      ], 5, '0027_term_alt_ids_and_ontology_relations.sql');
      const aged = await answers();
      expect(aged).not.toEqual(fresh);
      expect((aged as { status: TermIndexStatus }).status).toMatchObject({ contents: 2, contents_outdated: 2 });
      // The old answer a curator caught: every relation removed, and added again with the
      // alt_ids and header names, when the release moved from OBO to OWL.
      expect((aged as { delta: VersionTermDelta }).delta.summary).toMatchObject({ removed: 50 });
      expect((aged as { delta: VersionTermDelta }).delta.summary.added).toBeGreaterThanOrEqual(50 + 132 + 14);

      const run = runOntocat(['terms', 'backfill', '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
      expect(run.json<TermBackfillResult>()).toMatchObject({ contents: 2, indexed: 2, unparsable: 0, unreadable: 0, failed: [] });
      expect(await answers()).toEqual(fresh);
    }, 300_000);
  });
});

describe('one relation name in two services (ROBOT example and SO)', () => {
  const temp = makeTempRoot('ontocat-relation-names');
  const root = path.join(temp.root, 'root');
  beforeAll(() => {
    const sources: [string, string, Buffer][] = [
      ['uberon-example', 'example.obo', readFileSync(oboFile)],
      ['so', 'so.obo', gunzipSync(readFileSync(path.join(projectRoot, 'test', 'fixtures', 'so', 'so.obo.gz')))],
    ];
    for (const [service, name, bytes] of sources) {
      const dir = path.join(temp.root, 'src', service);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, name), bytes);
      const run = runOntocat(['ingest', dir, '--service', service, '--version', '1', '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
    }
  }, 300_000);
  afterAll(() => temp.cleanup());

  it('`part_of` is refused as two terms, naming both; a service says which', () => {
    const both = runOntocat(['terms', 'history', 'part_of', '--json'], { root });
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain("'part_of' is an alias of 2 terms: BFO:0000050, http://purl.obolibrary.org/obo/so#part_of. Give one in full, or name its service.");
    for (const [service, ident] of [['so', 'http://purl.obolibrary.org/obo/so#part_of'], ['uberon-example', 'BFO:0000050']] as const) {
      const run = runOntocat(['terms', 'history', 'part_of', '--service', service, '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
      expect(run.json<TermHistory>().idents).toEqual([ident]);
    }
    const lineage = runOntocat(['terms', 'lineage', 'part_of', '--service', 'so', '--json'], { root });
    expect(lineage.code, lineage.stderr).toBe(0);
    expect(lineage.stdout).toContain('so#part_of');

    // A file with no ontology header keeps its bare `part_of` (as Debian's pathway.obo
    // does): that term's id is the name, and a service still picks the others.
    const dir = path.join(temp.root, 'src', 'plain');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'plain.obo'), 'format-version: 1.2\n\n[Typedef]\nid: part_of\nname: part of\n');
    expect(runOntocat(['ingest', dir, '--service', 'plain', '--version', '1', '--json'], { root }).code).toBe(0);
    for (const [service, ident] of [[null, 'part_of'], ['plain', 'part_of'], ['so', 'http://purl.obolibrary.org/obo/so#part_of'], ['uberon-example', 'BFO:0000050']] as const) {
      const run = runOntocat(['terms', 'history', 'part_of', ...(service ? ['--service', service] : []), '--json'], { root });
      expect(run.code, run.stderr).toBe(0);
      expect({ service, idents: run.json<TermHistory>().idents }).toEqual({ service, idents: [ident] });
    }
  });
});
