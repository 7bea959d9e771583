/**
 * Format detection held to references nobody here wrote: Raptor's `rapper` (Debian
 * raptor2-utils) reads a file as the format Ontocat detects, with the triples Ontocat's
 * validator of that format reads. A wrong format is a wrong verdict: the file is checked by
 * the wrong parser and its terms go missing.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../../electron/ingest/detect-format.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { hasRapper, rapperVerdict } from '../../helpers/rdf-references.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-detect-format-references')));
afterAll(() => cleanup());

const ns = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"';

/** Writes `text` as `name` and reads it as Ontocat detects and validates it. */
async function ontocatReading(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { format } = detectFormat(name, Buffer.from(text));
  const result = await validateFile({ absPath: file, relpath: name, format, size_bytes: Buffer.byteLength(text) });
  return { file, format, triples: result.triples, syntax: result.rows.find((row) => row.rule === 'syntax') };
}

// RDF/XML Syntax §2.6/§7.2.11: rdf:RDF is optional where the document is one node element.
// An ontology header alone as the root (what some tools write for an empty ontology) is a
// typed node element in OWL's namespace, not OWL/XML's Ontology element (which carries
// ontologyIRI, never rdf:about).
const typedNodeRoots: readonly (readonly [string, string])[] = [
  ['ontology-header', `<?xml version="1.0"?>\n<owl:Ontology rdf:about="http://example.org/onto" ${ns}>\n  <rdfs:label>An ontology</rdfs:label>\n</owl:Ontology>\n`],
  ['empty-ontology', `<?xml version="1.0"?>\n<owl:Ontology ${ns} rdf:about="http://example.org/onto"/>\n`],
  ['class-root', `<?xml version="1.0"?>\n<owl:Class rdf:about="http://example.org/A" ${ns}>\n  <rdfs:subClassOf rdf:resource="http://example.org/B"/>\n</owl:Class>\n`],
  ['description-root', `<?xml version="1.0"?>\n<rdf:Description rdf:about="http://example.org/a" ${ns}>\n  <rdfs:label>a</rdfs:label>\n</rdf:Description>\n`],
];

describe.skipIf(!hasRapper && !process.env.CI)('an RDF/XML document whose root is a node element, not rdf:RDF (skipped without rapper, Debian raptor2-utils)', () => {
  it.each(typedNodeRoots.flatMap(([base, text]) => ['.owl', '.xml', '.OWL', ''].map((ext) => [`${base}${ext}`, text] as const)))(
    '%s is RDF/XML, read with rapper\'s triples', async (name, text) => {
      const ontocat = await ontocatReading(name, text);
      const rapper = rapperVerdict(ontocat.file, 'rdfxml');
      expect(rapper.ok, rapper.message).toBe(true);
      expect(rapper.triples).toBeGreaterThan(0);
      expect(ontocat.format).toBe('rdfxml');
      expect(ontocat.syntax?.passed, ontocat.syntax?.message ?? '').toBe(true);
      expect(ontocat.triples).toBe(rapper.triples);
    });
});

describe('OWL/XML stays OWL/XML', () => {
  it('an Ontology root with ontologyIRI, prefixed or not, is OWL/XML', () => {
    expect(detectFormat('a.owl', Buffer.from('<?xml version="1.0"?>\n<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://example.org/o">\n<Declaration><Class IRI="#A"/></Declaration>\n</Ontology>\n')).format).toBe('owlxml');
    expect(detectFormat('a.owl', Buffer.from('<?xml version="1.0"?>\n<owl:Ontology xmlns:owl="http://www.w3.org/2002/07/owl#" ontologyIRI="http://example.org/o">\n<owl:Declaration><owl:Class IRI="#A"/></owl:Declaration>\n</owl:Ontology>\n')).format).toBe('owlxml');
  });
});
