import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../electron/ingest/detect-format.js';

const b = (text: string): Buffer => Buffer.from(text);

const turtle = '@prefix ex: <http://example.org/> .\nex:a a ex:B .\n';
const sparqlTurtle = 'PREFIX ex: <http://example.org/>\nex:a a ex:B .\n';
const ntriples = '<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/B> .\n<http://example.org/a> <http://example.org/p> "x"@en .\n';
const nquads = '<http://example.org/a> <http://example.org/p> <http://example.org/o> <http://example.org/g> .\n';
const trig = '@prefix ex: <http://example.org/> .\nex:g {\n  ex:a a ex:B .\n}\n';
const rdfxml = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#">\n<owl:Ontology rdf:about=""/>\n</rdf:RDF>\n';
const owlxml = '<?xml version="1.0"?>\n<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://example.org/o">\n<Declaration><Class IRI="#A"/></Declaration>\n</Ontology>\n';
const obo = 'format-version: 1.2\nontology: go\n\n[Term]\nid: GO:0000001\nname: x\n';
const jsonld = '{\n  "@context": {"ex": "http://example.org/"},\n  "@id": "ex:a"\n}\n';
const json = '{"name": "not linked data", "values": [1, 2]}';
const xml = '<?xml version="1.0"?>\n<catalog><item id="1"/></catalog>\n';

describe('detectFormat', () => {
  it.each([
    ['a.ttl', turtle, 'turtle'],
    ['a.nt', ntriples, 'ntriples'],
    ['a.nq', nquads, 'nquads'],
    ['a.trig', trig, 'trig'],
    ['a.rdf', rdfxml, 'rdfxml'],
    ['a.owl', rdfxml, 'rdfxml'],
    ['a.owl', owlxml, 'owlxml'],
    ['a.owx', owlxml, 'owlxml'],
    ['a.obo', obo, 'obo'],
    ['a.jsonld', jsonld, 'jsonld'],
    ['a.json', json, 'json'],
    ['a.json', jsonld, 'jsonld'],
    ['a.csv', 'id,label\n1,a\n', 'csv'],
    ['a.tsv', 'id\tlabel\n1\ta\n', 'tsv'],
    ['a.xml', xml, 'xml'],
    ['a.xml', rdfxml, 'rdfxml'],
    ['README', 'Just some words.\n', 'other'],
    ['a.bin', '\u0000\u0001\u0002', 'other'],
  ])('%s with %s-like content is %s', (name, content, expected) => {
    expect(detectFormat(name, b(content))).toBe(expected);
  });

  it('sees Turtle behind a misleading or unknown extension', () => {
    expect(detectFormat('go.ontology', b(turtle))).toBe('turtle');
    expect(detectFormat('notes.txt', b(sparqlTurtle))).toBe('turtle');
    expect(detectFormat('vocab.owl', b(`# a comment first\n${turtle}`))).toBe('turtle');
    expect(detectFormat('vocab.xml', b(turtle))).toBe('turtle');
  });

  it('sniffs content without any extension', () => {
    expect(detectFormat('data/dump', b(ntriples))).toBe('ntriples');
    expect(detectFormat('data/dump', b(nquads))).toBe('nquads');
    expect(detectFormat('data/dump', b(trig))).toBe('trig');
    expect(detectFormat('data/dump', b(rdfxml))).toBe('rdfxml');
    expect(detectFormat('data/dump', b(owlxml))).toBe('owlxml');
    expect(detectFormat('data/dump', b(obo))).toBe('obo');
    expect(detectFormat('data/dump', b(jsonld))).toBe('jsonld');
    expect(detectFormat('data/dump', b(`\uFEFF${turtle}`))).toBe('turtle');
  });

  it('keeps the extension when the content is a subset of that format', () => {
    expect(detectFormat('a.ttl', b(ntriples))).toBe('turtle');
    expect(detectFormat('a.trig', b(turtle))).toBe('trig');
    expect(detectFormat('a.rdf', b(xml))).toBe('rdfxml');
  });

  it('does not call OWL functional syntax RDF/XML just because it ends in .owl', () => {
    expect(detectFormat('a.owl', b('Prefix(:=<http://example.org/>)\nOntology(<http://example.org/o>)\n'))).toBe('other');
  });

  it('copes with a head cut off mid-line', () => {
    const cut = ntriples + ntriples.slice(0, 30);
    expect(detectFormat('x', b(cut))).toBe('ntriples');
  });
});
