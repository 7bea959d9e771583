/**
 * An RDF/XML property element has one object: a single node element inside it
 * (resourcePropertyElt), or, when rdf:resource, rdf:nodeID or property attributes give it,
 * nothing inside at all (emptyPropertyElt); only rdf:parseType="Collection" holds a list
 * (RDF/XML Syntax §7.2.15, §7.2.19, §7.2.21). Held to rapper and rdflib, which both refuse
 * the first two at the property element, and both read the last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRapper, hasRdflib, rdfxmlVerdicts } from '../../helpers/rdf-references.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-rdfxml-objects')));
afterAll(() => cleanup());

const document = (body: string): string => '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n' +
  `<owl:Class rdf:about="http://example.org/A">\n${body}</owl:Class>\n</rdf:RDF>\n`;

const verdicts = (name: string, body: string) => rdfxmlVerdicts(dir, name, document(body));

describe.skipIf(!(hasRapper && hasRdflib) && !process.env.CI)('the object of an RDF/XML property element', () => {
  it.each([
    ['two-objects.owl', '  <rdfs:subClassOf>\n    <owl:Class rdf:about="http://example.org/B"/>\n    <owl:Class rdf:about="http://example.org/C"/>\n  </rdfs:subClassOf>\n'],
    ['resource-and-object.owl', '  <rdfs:subClassOf rdf:resource="http://example.org/B">\n    <owl:Class rdf:about="http://example.org/C"/>\n  </rdfs:subClassOf>\n'],
    ['node-id-and-object.owl', '  <rdfs:subClassOf rdf:nodeID="b">\n    <owl:Class rdf:about="http://example.org/C"/>\n  </rdfs:subClassOf>\n'],
  ])('%s: refused at the line of the node element too many, where both references refuse it', async (name, body) => {
    const { ontocat, rapper, rdflib } = await verdicts(name, body);
    expect(rapper.ok, 'rapper').toBe(false);
    expect(rdflib.ok, 'rdflib').toBe(false);
    expect(rapper.line, rapper.message).not.toBeNull();
    expect(rdflib.line, rdflib.message).toBe(rapper.line);
    expect(ontocat, String(ontocat.message)).toMatchObject({ passed: false, severity: 'ERROR', line: rapper.line });
  });

  it('a collection of two, and one object each in two property elements, parse with the references\' count', async () => {
    for (const [name, body] of [
      ['collection.owl', '  <owl:unionOf rdf:parseType="Collection">\n    <owl:Class rdf:about="http://example.org/B"/>\n    <owl:Class rdf:about="http://example.org/C"/>\n  </owl:unionOf>\n'],
      ['two-properties.owl', '  <rdfs:subClassOf>\n    <owl:Class rdf:about="http://example.org/B"/>\n  </rdfs:subClassOf>\n  <rdfs:subClassOf rdf:resource="http://example.org/C"/>\n'],
    ] as const) {
      const { ontocat, triples, rapper, rdflib } = await verdicts(name, body);
      expect([rapper.ok, rdflib.ok], name).toEqual([true, true]);
      expect(ontocat, `${name}: ${ontocat.message}`).toMatchObject({ passed: true });
      expect(triples, name).toBe(rapper.triples);
      expect(triples, name).toBe(rdflib.triples);
    }
  });
});
