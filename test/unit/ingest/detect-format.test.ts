import { closeSync, existsSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, sniffFormat } from '../../../electron/ingest/detect-format.js';
import { formatMismatchFinding } from '../../../electron/ingest/validate/format-mismatch.js';
import { formatContradicts } from '../../../electron/shared/formats.js';
import { projectRoot } from '../../helpers/run-cli.js';

const b = (text: string): Buffer => Buffer.from(text);
const formatOf = (name: string, text: string): string => detectFormat(name, b(text)).format;
const sniffed = (text: string): string | null => sniffFormat(b(text));

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
// Shapes from the W3C RDF 1.1 suites that content sniffing used to get wrong.
const relativeTurtle = '<s> a <o> .\n';
const defaultGraphTrig = '{ <http://example/s> <http://example/p> <http://example/o> }\n';
const anonymousSubject = '[] <http://example/p> <http://example/o> .\n';

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
    expect(formatOf(name, content)).toBe(expected);
  });

  it('lets the content decide behind an ambiguous or unknown extension', () => {
    expect(formatOf('go.ontology', turtle)).toBe('turtle');
    expect(formatOf('notes.txt', sparqlTurtle)).toBe('turtle');
    expect(formatOf('vocab.owl', `# a comment first\n${turtle}`)).toBe('turtle');
    expect(formatOf('vocab.xml', turtle)).toBe('turtle');
    expect(formatOf('dump.json', trig)).toBe('trig');
  });

  it('sniffs content without any extension', () => {
    expect(formatOf('data/dump', ntriples)).toBe('ntriples');
    expect(formatOf('data/dump', nquads)).toBe('nquads');
    expect(formatOf('data/dump', trig)).toBe('trig');
    expect(formatOf('data/dump', rdfxml)).toBe('rdfxml');
    expect(formatOf('data/dump', owlxml)).toBe('owlxml');
    expect(formatOf('data/dump', obo)).toBe('obo');
    expect(formatOf('data/dump', jsonld)).toBe('jsonld');
    expect(formatOf('data/dump', json)).toBe('json');
    expect(formatOf('data/dump', '<catalog><item id="1"/></catalog>\n')).toBe('xml');
    expect(formatOf('data/dump', `\uFEFF${turtle}`)).toBe('turtle');
  });

  it('keeps a registered extension and records what the content looks like', () => {
    // The cases of issue 12: each was recorded as the sniffed format and validated as that.
    expect(detectFormat('a.ttl', b(relativeTurtle))).toEqual({ format: 'turtle', sniffed: 'turtle' });
    expect(detectFormat('a.trig', b(defaultGraphTrig))).toEqual({ format: 'trig', sniffed: 'trig' });
    expect(detectFormat('a.ttl', b(nquads))).toEqual({ format: 'turtle', sniffed: 'nquads' });
    expect(detectFormat('a.nt', b(turtle))).toEqual({ format: 'ntriples', sniffed: 'turtle' });
    expect(detectFormat('a.nq', b(turtle))).toEqual({ format: 'nquads', sniffed: 'turtle' });
    expect(detectFormat('a.ttl', b(json))).toEqual({ format: 'turtle', sniffed: 'json' });
    expect(detectFormat('a.obo', b(turtle))).toEqual({ format: 'obo', sniffed: 'turtle' });
    expect(detectFormat('a.rdf', b(turtle))).toEqual({ format: 'rdfxml', sniffed: 'turtle' });
    expect(detectFormat('a.jsonld', b(xml))).toEqual({ format: 'jsonld', sniffed: 'xml' });
  });

  it('keeps the extension when the content is a subset of that format', () => {
    expect(detectFormat('a.ttl', b(ntriples))).toEqual({ format: 'turtle', sniffed: 'ntriples' });
    expect(formatOf('a.trig', turtle)).toBe('trig');
    expect(formatOf('a.rdf', xml)).toBe('rdfxml');
    expect(formatOf('a.owl', xml)).toBe('rdfxml');
  });

  it('does not call OWL functional syntax RDF/XML just because it ends in .owl', () => {
    expect(formatOf('a.owl', 'Prefix(:=<http://example.org/>)\nOntology(<http://example.org/o>)\n')).toBe('other');
  });

  it('copes with a head cut off mid-line or mid-string', () => {
    expect(formatOf('x', ntriples + ntriples.slice(0, 30))).toBe('ntriples');
    expect(formatOf('x', `${turtle}ex:a ex:comment """a long\nstring cut`)).toBe('turtle');
  });
});

describe('sniffFormat', () => {
  it('reads relative IRIs, anonymous nodes and abbreviations as Turtle, not XML or JSON', () => {
    expect(sniffed(relativeTurtle)).toBe('turtle');
    expect(sniffed('<http://a.example/s> <http://a.example/p> <o> .\n')).toBe('turtle');
    expect(sniffed(anonymousSubject)).toBe('turtle');
    expect(sniffed('<http://a/s> <http://a/p> 1.\n')).toBe('turtle');
    expect(sniffed('<http://a/s> <http://a/p> "x", "y" ; <http://a/q> ( 1 2.5 -3e4 ) .\n')).toBe('turtle');
    expect(sniffed("@prefix p: <http://a.example/> .\np:s p:p p:\\_\\~\\.-\\!\\$\\&\\'\\(\\)\\*\\+\\,\\;\\=\\/\\?\\#\\@\\%00 .\n")).toBe('turtle');
  });

  it('tells TriG by its graph blocks, N-Quads by a fourth term, N-Triples by plain triples', () => {
    expect(sniffed(defaultGraphTrig)).toBe('trig');
    expect(sniffed('GRAPH <http://a/g> { <http://a/s> <http://a/p> <http://a/o> }\n')).toBe('trig');
    expect(sniffed('<http://a/s> <http://a/p> "x"^^<http://a/dt> _:g .\n')).toBe('nquads');
    expect(sniffed('<http://a/s> <http://a/p> "x"^^<http://a/dt> .\n_:b <http://a/p> "y"@en-GB .\n')).toBe('ntriples');
  });

  it('still tells XML and JSON apart from the Turtle family', () => {
    expect(sniffed('<root>\n  <child>text</child>\n</root>\n')).toBe('xml');
    expect(sniffed('[1, 2, 3]')).toBe('json');
    expect(sniffed('{}')).toBe('json');
    expect(sniffed('Just some words.\n')).toBeNull();
  });

  it('says what a broken file looks like up to the break', () => {
    expect(sniffed(`${turtle}ex:a ex:b "unterminated .\n`)).toBe('turtle');
    expect(sniffed('<s> <p> "unterminated .\n')).toBeNull();
  });
});

describe('formatContradicts and the format-mismatch finding', () => {
  it('contradicts only where the sniffed format is not contained in the declared one', () => {
    expect(formatContradicts('turtle', 'nquads')).toBe(true);
    expect(formatContradicts('ntriples', 'turtle')).toBe(true);
    expect(formatContradicts('turtle', 'xml')).toBe(true);
    expect(formatContradicts('turtle', 'ntriples')).toBe(false);
    expect(formatContradicts('trig', 'turtle')).toBe(false);
    expect(formatContradicts('rdfxml', 'xml')).toBe(false);
    expect(formatContradicts('turtle', null)).toBe(false);
  });

  it('is a WARN under the syntax validator of the declared format, saying what the content looks like', () => {
    expect(formatMismatchFinding({ relpath: 'a/quad.ttl', format: 'turtle', sniffed_format: 'nquads' })).toEqual({
      relpath: 'a/quad.ttl', validator: 'turtle', rule: 'format-mismatch', severity: 'WARN', passed: false,
      message: 'The content looks like N-Quads, not Turtle as its extension .ttl says; it was checked as Turtle.',
      line: null, col: null, subject: null, details: { declared_format: 'turtle', sniffed_format: 'nquads' },
    });
    expect(formatMismatchFinding({ relpath: 'ok.ttl', format: 'turtle', sniffed_format: 'ntriples' })).toBeNull();
    expect(formatMismatchFinding({ relpath: 'blob.bin', format: 'other', sniffed_format: 'turtle' })).toBeNull();
  });
});

/** The first bytes of a file, as many as ingest hands to detection. */
function headOf(file: string, bytes = 8192): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(bytes);
    return head.subarray(0, readSync(fd, head, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** Detection of every file in a folder, as `format/sniffed` counts. */
function detectAll(folder: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of readdirSync(folder)) {
    const { format, sniffed } = detectFormat(name, headOf(path.join(folder, name)));
    const key = `${format}/${formatContradicts(format, sniffed) ? `CONTRADICTS:${sniffed}` : 'ok'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('detectFormat on real releases', () => {
  it.each(['2019', '2020', '2021'])('@zazuko/rdf-vocabularies %s: every N-Quads file is N-Quads, no contradiction', (year) => {
    const folder = path.join(projectRoot, 'node_modules', `rdf-vocabularies-${year}`, 'ontologies');
    const files = readdirSync(folder).length;
    expect(files).toBeGreaterThan(50);
    expect(detectAll(folder)).toEqual({ 'nquads/ok': files });
  });

  const debianObo = '/usr/share/EMBOSS/data/OBO';
  it.skipIf(!existsSync(debianObo))("Debian's emboss-data OBO files are OBO (skipped where emboss-data is not installed)", () => {
    const files = readdirSync(debianObo).filter((name) => name.endsWith('.obo')).length;
    expect(files).toBeGreaterThan(0);
    expect(detectAll(debianObo)).toEqual({ 'obo/ok': files });
  });
});
