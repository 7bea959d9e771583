/**
 * One ontology in OBO and in OWL (ROBOT's docs/examples/example.obo and example.owl, which
 * its release pipeline writes together; outside truth, test/fixtures/robot/README.md):
 * every term must be the same term, with the same kind, labels and parents, whichever
 * file the index read it from. The OBO file names its relations by shorthands (`part_of`,
 * `xref: BFO:0000050`); the OWL file by the xrefs' IRIs, each with an oboInOwl:shorthand.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanOntologyFile } from '../../../electron/ingest/parsers/extract-terms.js';
import type { TermHistory, TermSearchResult, VersionTermDelta } from '../../../electron/shared/contract/terms.js';
import { termIdent } from '../../../electron/shared/curie.js';
import { projectRoot, runOntocat } from '../../helpers/run-cli.js';
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
    expect(fromObo.length).toBe(34);
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
