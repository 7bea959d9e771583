/**
 * Format detection held to references nobody here wrote: Raptor's `rapper` (Debian
 * raptor2-utils) reads a file as the format Ontocat detects, with the triples Ontocat's
 * validator of that format reads. A wrong format is a wrong verdict: the file is checked by
 * the wrong parser and its terms go missing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../../electron/ingest/detect-format.js';
import { formatMismatchFinding } from '../../../electron/ingest/validate/format-mismatch.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { hasRapper, hasRdflib, rapperVerdict } from '../../helpers/rdf-references.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-detect-format-references')));
afterAll(() => cleanup());

const ns = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"';

/** rdflib's triple count of a JSON-LD file (Debian's python3-rdflib, for /usr/bin/python3 where pyenv hides it). */
function rdflibJsonLd(file: string): number | null {
  const python = ['python3', '/usr/bin/python3'].find((candidate) => spawnSync(candidate, ['-c', 'import rdflib']).status === 0) ?? 'python3';
  const run = spawnSync(python, ['-c', 'import sys, rdflib; g = rdflib.Graph(); g.parse(sys.argv[1], format="json-ld"); print(len(g))', file], { encoding: 'utf8' });
  return run.status === 0 ? Number(run.stdout.trim()) : null;
}

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

// Positive tests of the W3C RDF 1.1 suites whose first statement writes an IRI with a numeric
// escape (\u0053, \U00000053: UCHAR, allowed in an IRIREF by all four grammars). Without a
// telling extension they were content no syntax has, recorded as Other and never validated.
const escapedIris: readonly (readonly [string, string])[] = [
  ['rdf-n-triples/nt-syntax-uri-02.nt', 'ntriples'],
  ['rdf-n-triples/nt-syntax-uri-03.nt', 'ntriples'],
  ['rdf-n-quads/nt-syntax-uri-02.nq', 'nquads'],
  ['rdf-turtle/IRI_with_four_digit_numeric_escape.ttl', 'turtle'],
  ['rdf-turtle/IRI_with_eight_digit_numeric_escape.ttl', 'turtle'],
  ['rdf-turtle/localName_with_non_leading_extras.nt', 'ntriples'],
  ['rdf-xml/rdfms-difference-between-ID-and-about/test3.nt', 'ntriples'],
  ['rdf-trig/trig-syntax-uri-03.trig', 'trig'],
];

describe.skipIf(!hasRapper && !process.env.CI)('an IRI with a numeric escape in the first statement (skipped without rapper, Debian raptor2-utils)', () => {
  it.each(escapedIris)('%s without its extension is read as rapper reads it as %s', async (suitePath, suiteFormat) => {
    const text = readFileSync(path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf11', suitePath), 'utf8');
    for (const name of [path.basename(suitePath).replace(/\.\w+$/, ''), `${path.basename(suitePath)}.txt`]) {
      const ontocat = await ontocatReading(name, text);
      const expected = rapperVerdict(ontocat.file, suiteFormat);
      expect(expected.ok, expected.message).toBe(true);
      expect(ontocat.format, name).not.toBe('other');
      const asDetected = rapperVerdict(ontocat.file, ontocat.format);
      expect(asDetected.ok, asDetected.message).toBe(true);
      expect(ontocat.syntax?.passed, ontocat.syntax?.message ?? '').toBe(true);
      expect(ontocat.triples).toBe(expected.triples);
    }
  });
});

const hasFile = spawnSync('file', ['--version']).status === 0;
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

// HTML pages are common among downloads (a server's folder listing, an error page saved under
// the name asked for). HTML is not XML: libmagic calls them text/html and xmllint refuses
// them, so recording one as XML gave it an XML syntax ERROR it never claimed to pass.
const htmlPages: readonly (readonly [string, string])[] = [
  ['listing', '<!DOCTYPE html>\n<html>\n<head><meta charset="utf-8"><title>Index of /ontologies</title></head>\n<body>\n<h1>Index of /ontologies</h1>\n<p>See <a href="edam.owl">edam.owl</a><br>\n</body>\n</html>\n'],
  ['no-doctype', '<html>\n<head><title>Not found</title></head>\n<body><p>The file you asked for is gone.<br></body></html>\n'],
  ['upper-case', '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<HTML>\n<HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><P>Not found<BR></BODY>\n</HTML>\n'],
];

describe.skipIf(!(hasFile && hasXmllint) && !process.env.CI)('an HTML page (skipped without file and xmllint, Debian file and libxml2-utils)', () => {
  it.each(htmlPages.flatMap(([base, text]) => ['.html', ''].map((ext) => [`${base}${ext}`, text] as const)))('%s is not recorded as XML', async (name, text) => {
    const ontocat = await ontocatReading(name, text);
    expect(spawnSync('file', ['--mime-type', '-b', ontocat.file], { encoding: 'utf8' }).stdout.trim()).toBe('text/html');
    expect(spawnSync('xmllint', ['--noout', ontocat.file]).status).not.toBe(0);
    expect(ontocat.format).toBe('other');
    expect(ontocat.syntax).toBeUndefined();
  });

  it('an HTML page under an RDF/XML name fails as RDF/XML, a broken download not hidden', async () => {
    for (const name of ['edam.owl', 'edam.rdf']) {
      const ontocat = await ontocatReading(name, htmlPages[0]![1]);
      expect(ontocat.format).toBe('rdfxml');
      expect(ontocat.syntax?.passed).toBe(false);
    }
  });

  it('XHTML, well-formed XML in the XHTML namespace, stays XML as libmagic and xmllint have it', async () => {
    const ontocat = await ontocatReading('page.html', '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head><title>x</title></head>\n<body><p>hello<br/></p></body></html>\n');
    expect(spawnSync('file', ['--mime-type', '-b', ontocat.file], { encoding: 'utf8' }).stdout.trim()).toBe('text/xml');
    expect(spawnSync('xmllint', ['--noout', ontocat.file]).status).toBe(0);
    expect(ontocat.format).toBe('xml');
    expect(ontocat.syntax?.passed).toBe(true);
  });
});

// XML 1.0 §4.3.3: an entity in UTF-16 starts with its byte order mark. Such RDF/XML had NUL bytes in its head and was called binary: Other without an
// extension, plain XML in a .xml, though libmagic calls it XML and rapper reads its triples.
const utf16RdfXml = `<?xml version="1.0" encoding="UTF-16"?>\n<rdf:RDF ${ns}>\n  <owl:Class rdf:about="http://example.org/A"><rdfs:label>Ä class</rdfs:label></owl:Class>\n</rdf:RDF>\n`;
const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : le.swap16();
};

describe.skipIf(!(hasRapper && hasFile) && !process.env.CI)('RDF/XML in UTF-16 (skipped without rapper and file, Debian raptor2-utils and file)', () => {
  it.each(['le', 'be'] as const)('UTF-16%s with its byte order mark, extensionless and as .xml, is RDF/XML with rapper\'s triples', async (order) => {
    for (const name of [`utf16-${order}`, `utf16-${order}.xml`]) {
      const file = path.join(dir, name);
      const bytes = utf16(utf16RdfXml, order);
      writeFileSync(file, bytes);
      expect(spawnSync('file', ['-b', file], { encoding: 'utf8' }).stdout).toMatch(/^XML 1\.0 document/);
      const rapper = rapperVerdict(file, 'rdfxml');
      expect(rapper.ok, rapper.message).toBe(true);
      const { format } = detectFormat(name, bytes);
      expect(format, name).toBe('rdfxml');
      const result = await validateFile({ absPath: file, relpath: name, format, size_bytes: bytes.length });
      expect(result.triples).toBe(rapper.triples);
    }
  });
});

// JSON-LD in expanded form (what a JSON-LD processor's expand() writes, and some dumps are)
// has no @context and may have no @id: its nodes are told by @type and its values by
// @value. As plain JSON it passed with none of its triples read; rdflib reads them.
const expandedJsonLd: readonly (readonly [string, string])[] = [
  ['typed-node', '[{"@type": ["http://example.org/T"], "http://example.org/p": [{"@value": "x"}]}]\n'],
  ['values-only', '[\n  {\n    "http://xmlns.com/foaf/0.1/name": [{"@value": "Jane", "@language": "en"}],\n    "http://xmlns.com/foaf/0.1/knows": [{"@type": ["http://xmlns.com/foaf/0.1/Person"]}]\n  }\n]\n'],
];

describe.skipIf(!hasRdflib && !process.env.CI)('expanded JSON-LD (skipped without rdflib, Debian python3-rdflib)', () => {
  it.each(expandedJsonLd.flatMap(([base, text]) => ['.json', ''].map((ext) => [`${base}${ext}`, text] as const)))('%s is JSON-LD with rdflib\'s triples', async (name, text) => {
    const ontocat = await ontocatReading(name, text);
    const rdflib = rdflibJsonLd(ontocat.file);
    expect(rdflib).toBeGreaterThan(0);
    expect(ontocat.format).toBe('jsonld');
    expect(ontocat.triples).toBe(rdflib);
  });

  it('plain JSON stays JSON', () => {
    expect(detectFormat('a.json', Buffer.from('{"name": "not linked data", "type": "x", "value": [1, 2]}')).format).toBe('json');
  });
});

// RDF 1.2 N-Triples and N-Quads write a literal's base direction after its language tag
// (LANG_DIR: "Hello"@en--ltr). The W3C RDF 1.2 suites' positive tests of it (and of triple
// terms), without a telling
// extension, were content no syntax has: Other, never validated.
const langDirTests: readonly (readonly [string, string])[] = [
  // And a triple term as object (TRIPLE_TERM: <<( s p o )>>), nested or not.
  ['rdf-n-triples/syntax/ntriples12-syntax-01.nt', 'ntriples'],
  ['rdf-n-triples/syntax/ntriples12-syntax-02.nt', 'ntriples'],
  ['rdf-n-triples/syntax/ntriples12-syntax-03.nt', 'ntriples'],
  ['rdf-n-quads/syntax/nquads12-syntax-01.nq', 'nquads'],
  ['rdf-n-quads/syntax/nquads12-syntax-02.nq', 'nquads'],
  ['rdf-n-quads/syntax/nquads12-syntax-03.nq', 'nquads'],
  ['rdf-n-triples/syntax/ntriples-langdir-1.nt', 'ntriples'],
  ['rdf-n-triples/syntax/ntriples-langdir-2.nt', 'ntriples'],
  ['rdf-n-quads/syntax/nquads-langdir-1.nq', 'nquads'],
  ['rdf-n-quads/syntax/nquads-langdir-2.nq', 'nquads'],
];

describe('a triple term or a literal with a base direction (RDF 1.2, the W3C suite\'s positive syntax tests)', () => {
  it.each(langDirTests)('%s without its extension is %s and passes', async (suitePath, suiteFormat) => {
    const manifest = readFileSync(path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf12', path.dirname(suitePath), 'manifest.ttl'), 'utf8');
    expect(manifest).toMatch(new RegExp(`rdft:Test\\w+PositiveSyntax ;\\s*mf:name[^\\n]*\\n\\s*mf:action\\s*<${path.basename(suitePath)}>`));
    const text = readFileSync(path.join(projectRoot, 'test', 'fixtures', 'w3c-rdf12', suitePath), 'utf8');
    for (const name of [path.basename(suitePath).replace(/\.\w+$/, ''), `${path.basename(suitePath)}.txt`]) {
      const ontocat = await ontocatReading(name, text);
      expect(ontocat.format, name).toBe(suiteFormat);
      expect(ontocat.syntax?.passed, ontocat.syntax?.message ?? '').toBe(true);
      expect(ontocat.triples).toBe(1);
    }
  });
});

// OWL 2 Manchester Syntax §2.4: ontologyDocument ::= { prefixDeclaration } ontology, and
// ontology ::= 'Ontology:' [ ontologyIRI [ versionIRI ] ] … A document without prefix
// declarations starts with `Ontology:`. One that starts with `Prefix:` was already Other (an
// ontology, not an RDF serialisation); one without was RDF/XML in a .owl and failed as that.
describe('OWL Manchester syntax without prefix declarations', () => {
  const manchester = 'Ontology: <http://example.com/owl/families>\n\nClass: <http://example.com/owl/families#Person>\n    SubClassOf: <http://example.com/owl/families#Agent>\n';
  it.each(['families.owl', 'families.omn', 'families'])('%s is Other, as with prefix declarations, not a failed RDF/XML', async (name) => {
    const ontocat = await ontocatReading(name, manchester);
    expect(ontocat.format).toBe(detectFormat(name, Buffer.from(`Prefix: : <http://example.com/owl/families#>\n${manchester}`)).format);
    expect(ontocat.format).toBe('other');
    expect(ontocat.syntax).toBeUndefined();
  });
});

// RDF 1.2 Turtle §2.5 (annotation ::= '{|' predicateObjectList '|}'): an annotation's braces
// are not a TriG graph. A .ttl using one got a format-mismatch WARN saying it looks like TriG,
// though it is Turtle and passes as that.
describe('a Turtle 1.2 annotation', () => {
  const annotated = '@prefix : <http://example.org/> .\n:s :p :o {| :source :e |} .\n:s :q :r .\n';
  it.each(['annotated.ttl', 'annotated'])('%s is Turtle, without a format-mismatch', async (name) => {
    const ontocat = await ontocatReading(name, annotated);
    const { sniffed } = detectFormat(name, Buffer.from(annotated));
    expect(ontocat.format).toBe('turtle');
    expect(sniffed).toBe('turtle');
    expect(formatMismatchFinding({ relpath: name, format: ontocat.format, sniffed_format: sniffed })).toBeNull();
    expect(ontocat.syntax?.passed, ontocat.syntax?.message ?? '').toBe(true);
  });

  it('a graph block is still TriG', () => {
    expect(detectFormat('g', Buffer.from('@prefix : <http://example.org/> .\n:g { :s :p :o {| :source :e |} . }\n')).sniffed).toBe('trig');
  });
});
