/**
 * RDF/XML's own names are not properties: rdf:about, rdf:resource, rdf:datatype,
 * rdf:parseType, rdf:li, rdf:Description and rdf:RDF may stand as attributes only where the
 * grammar puts them (RDF/XML Syntax §7.2.11, §7.2.14–7.2.21; propertyAttributeURIs exclude
 * them). `<owl:Class rdf:resource="…"/>` for `rdf:about` is a slip of the hand; held to rapper
 * and rdflib, which both refuse it at its line, where a parser that took the attribute for a
 * property gave a blank node with an rdf:resource "property" instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRapper, hasRdflib, rdfxmlVerdicts } from '../../helpers/rdf-references.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-rdfxml-attributes')));
afterAll(() => cleanup());

const document = (body: string): string => '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n' +
  `${body}</rdf:RDF>\n`;

const verdicts = (name: string, body: string) => rdfxmlVerdicts(dir, name, document(body));

describe.skipIf(!(hasRapper && hasRdflib) && !process.env.CI)('RDF/XML syntax names as attributes', () => {
  it.each([
    ['class-resource.owl', '<owl:Class rdf:resource="http://example.org/B">\n  <rdfs:label>B</rdfs:label>\n</owl:Class>\n'],
    ['property-about.owl', '<owl:Class rdf:about="http://example.org/A">\n  <rdfs:subClassOf rdf:about="http://example.org/B"/>\n</owl:Class>\n'],
    ...['datatype', 'parseType', 'li', 'Description', 'RDF'].map((name) => [`node-${name}.owl`, `<owl:Class rdf:about="http://example.org/A" rdf:${name}="Literal"/>\n`]),
    ...['li', 'Description', 'RDF'].map((name) => [`property-${name}.owl`, `<owl:Class rdf:about="http://example.org/A">\n  <rdfs:label rdf:${name}="x">A</rdfs:label>\n</owl:Class>\n`]),
  ])('%s: refused at the line both references name', async (name, body) => {
    const { ontocat, rapper, rdflib } = await verdicts(name, body);
    expect(rapper.ok, 'rapper').toBe(false);
    expect(rdflib.ok, 'rdflib').toBe(false);
    expect(rdflib.line, rdflib.message).toBe(rapper.line);
    expect(ontocat, String(ontocat.message)).toMatchObject({ passed: false, severity: 'ERROR', line: rapper.line });
  });

  it('the names where the grammar puts them, and rdf:type and rdf:value as properties, parse to the references\' count', async () => {
    const body = '<owl:Class rdf:about="http://example.org/A" rdf:type="http://example.org/T">\n' +
      '  <rdfs:subClassOf rdf:resource="http://example.org/B"/>\n  <rdfs:label rdf:datatype="http://www.w3.org/2001/XMLSchema#string" rdf:ID="s1">A</rdfs:label>\n' +
      '  <rdfs:comment rdf:parseType="Literal"><b>bold</b></rdfs:comment>\n  <rdfs:seeAlso rdf:nodeID="n" rdf:value="v"/>\n</owl:Class>\n' +
      '<rdf:Seq rdf:about="http://example.org/S"><rdf:li>one</rdf:li></rdf:Seq>\n';
    const { ontocat, triples, rapper, rdflib } = await verdicts('allowed.owl', body);
    expect([rapper.ok, rdflib.ok]).toEqual([true, true]);
    expect(ontocat, String(ontocat.message)).toMatchObject({ passed: true });
    expect(triples).toBe(rapper.triples);
    expect(triples).toBe(rdflib.triples);
  });
});
