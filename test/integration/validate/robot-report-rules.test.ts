/**
 * The quality rules that follow ROBOT's report queries (missing_label, missing_definition),
 * on the 82 real vocabularies of `@zazuko/rdf-vocabularies` 2021: every finding the
 * validator gives, and no other, is what the query's filters select, applied here by a
 * line scan of each N-Quads file (nothing shared with the parsers). Deliberate differences
 * from ROBOT, written in quality-checks.ts, are applied by the scan too: only typed terms of
 * the file (not rdf:, rdfs:, owl:, xsd:) are checked, skos:prefLabel counts as a label,
 * skos:definition and oboInOwl:hasDefinition as definitions, and annotation properties
 * need no definition.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { projectRoot } from '../../helpers/run-cli.js';

const dir = path.join(projectRoot, 'node_modules', 'rdf-vocabularies-2021', 'ontologies');
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const OWL = 'http://www.w3.org/2002/07/owl#';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const OBO = 'http://purl.obolibrary.org/obo/';
const OIO = 'http://www.geneontology.org/formats/oboInOwl#';
const TERM_TYPES = [`${OWL}Class`, `${RDFS}Class`, `${OWL}ObjectProperty`, `${OWL}DatatypeProperty`, `${OWL}AnnotationProperty`, `${RDF}Property`, `${OWL}NamedIndividual`];
/** The predicates of ROBOT's `FILTER EXISTS { ?entity ?prop2 ?object … }`, which alone do not make an entity described. */
const DECLARING = new Set([`${RDF}type`, `${OWL}equivalentClass`, `${OWL}disjointWith`, `${OWL}equivalentProperty`, `${OWL}sameAs`, `${OWL}differentFrom`, `${OWL}inverseOf`]);
const BUILT_IN = [RDF, RDFS, OWL, 'http://www.w3.org/2001/XMLSchema#'];

/** Per IRI subject of the file: its term types, label values, definition and elucidation presence, deprecation, described-ness, subset parent. */
function scan(file: string) {
  const subjects = new Map<string, { types: Set<string>; labels: string[]; defined: boolean; elucidated: boolean; deprecated: boolean; described: boolean; subset: boolean }>();
  const get = (s: string) => subjects.get(s) ?? (subjects.set(s, { types: new Set(), labels: [], defined: false, elucidated: false, deprecated: false, described: false, subset: false }), subjects.get(s)!);
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^<([^>]+)> <([^>]+)> (.*)$/.exec(line);
    if (!m) continue;
    const [, s, p, rest] = m as unknown as [string, string, string, string];
    const entry = get(s);
    if (!DECLARING.has(p)) entry.described = true;
    const iri = /^<([^>]+)>/.exec(rest)?.[1];
    const literal = /^("(?:[^"\\]|\\.)*")/.exec(rest)?.[1];
    if (p === `${RDF}type` && iri && TERM_TYPES.includes(iri)) entry.types.add(iri);
    if ((p === `${RDFS}label` || p === `${SKOS}prefLabel`) && literal) entry.labels.push(JSON.parse(literal) as string);
    if ([`${OBO}IAO_0000115`, `${SKOS}definition`, `${OIO}hasDefinition`].includes(p) && literal) entry.defined = true;
    if (p === `${OBO}IAO_0000600`) entry.elucidated = true;
    if (p === `${OWL}deprecated` && literal && /^"(true|1)"/.test(rest)) entry.deprecated = true;
    if (p === `${RDFS}subPropertyOf` && iri === `${OIO}SubsetProperty`) entry.subset = true;
  }
  return subjects;
}

describe("ROBOT's missing_label and missing_definition on @zazuko/rdf-vocabularies 2021", () => {
  it('flags exactly the terms the queries select, in every vocabulary', async () => {
    const expected: string[] = [];
    const flagged: string[] = [];
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.nq'))) {
      const file = path.join(dir, name);
      for (const [iri, s] of scan(file)) {
        if (s.types.size === 0 || BUILT_IN.some((ns) => iri.startsWith(ns))) continue;
        const exempt = s.deprecated || !s.described || s.subset;
        if (!exempt && !s.labels.some((label) => label !== '')) expected.push(`${name} missing-label ${iri}`);
        // Its kind is its strongest type (TERM_TYPES' order: a class stays a class, a property
        // typed both owl:AnnotationProperty and rdf:Property is an annotation property).
        const kind = TERM_TYPES.find((type) => s.types.has(type));
        const needsDefinition = kind !== `${OWL}AnnotationProperty` && kind !== `${OWL}NamedIndividual`;
        if (!exempt && !s.defined && !s.elucidated && needsDefinition) expected.push(`${name} missing-definition ${iri}`);
      }
      const result = await validateFile({ absPath: file, relpath: name, format: 'nquads', size_bytes: statSync(file).size });
      for (const row of result.rows) {
        if (row.rule === 'missing-label' || row.rule === 'missing-definition') flagged.push(`${name} ${row.rule} ${row.subject}`);
      }
    }
    expect(expected.filter((entry) => entry.includes(' missing-label ')).length).toBeGreaterThan(10);
    expect(flagged.sort()).toEqual(expected.sort());
  }, 120_000);
});
