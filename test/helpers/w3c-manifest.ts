/**
 * The entries of a W3C RDF test suite's `manifest.ttl`, read with N3 as RDF (not by the
 * manifest's layout): what the conformance tests hold the validators and readers to.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DataFactory, Parser, Store, type Term } from 'n3';

const { namedNode } = DataFactory;
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const MF = 'http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#';
const RDFT = 'http://www.w3.org/ns/rdftest#';

/** One test of a manifest, its files relative to the manifest's folder. */
export interface ManifestEntry {
  readonly name: string;
  /** `TestNTriplesNegativeSyntax`, `TestTurtleEval`, … */
  readonly type: string;
  readonly action: string;
  readonly result: string | null;
  /** Positive syntax and evaluation tests must parse; negative ones must not. */
  readonly mustParse: boolean;
}

/**
 * Every entry of the manifest in `folder`, in `mf:entries` order. `base` is the IRI the
 * suite publishes the folder at (`https://w3c.github.io/rdf-tests/rdf/rdf11/rdf-turtle/`),
 * against which its relative IRIs resolve. Throws on a test type or a file outside the folder.
 */
export function manifestEntries(folder: string, base: string): ManifestEntry[] {
  const store = new Store(new Parser({ baseIRI: `${base}manifest.ttl` }).parse(readFileSync(path.join(folder, 'manifest.ttl'), 'utf8')));
  const one = (subject: Term, predicate: string): Term | null => store.getObjects(subject, namedNode(predicate), null)[0] ?? null;
  const relative = (term: Term): string => {
    if (!term.value.startsWith(base)) throw new Error(`${term.value} lies outside the suite at ${base}`);
    return term.value.slice(base.length);
  };
  const entries: ManifestEntry[] = [];
  // The one subject typed mf:Manifest (`<>` in RDF 1.1's manifests, `trs:manifest` in 1.2's).
  const manifests = store.getSubjects(namedNode(`${RDF}type`), namedNode(`${MF}Manifest`), null);
  if (manifests.length !== 1) throw new Error(`${folder}/manifest.ttl names ${manifests.length} manifests, not one`);
  let list = one(manifests[0]!, `${MF}entries`);
  while (list && list.value !== `${RDF}nil`) {
    const test = one(list, `${RDF}first`)!;
    const type = one(test, `${RDF}type`)!.value.replace(RDFT, '');
    const result = one(test, `${MF}result`);
    if (!/^Test\w+(PositiveSyntax|NegativeSyntax|Eval|NegativeEval)$/.test(type)) throw new Error(`Unknown test type ${type} in ${folder}`);
    entries.push({
      name: one(test, `${MF}name`)!.value, type, action: relative(one(test, `${MF}action`)!), result: result ? relative(result) : null,
      mustParse: !/Negative/.test(type),
    });
    list = one(list, `${RDF}rest`);
  }
  return entries;
}
