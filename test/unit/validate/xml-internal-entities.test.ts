/**
 * Entities an XML document declares in its DOCTYPE are its own to use: `&xsd;string` in an
 * OWL/XML document that declares `<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">` is
 * well-formed, as libxml2's xmllint and Python's expat both read it, and the term it names
 * is the expanded IRI (what `xmllint --noent` writes). A document with an external DTD may
 * use entities only that DTD declares (XML 1.0 §4.1, WFC Entity Declared binds only without
 * one); a document with no DTD may not.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import { parseRdfFile } from '../../../electron/ingest/parsers/parse-rdf.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasTools = spawnSync('xmllint', ['--version']).status === 0 && spawnSync('python3', ['--version']).status === 0;

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-xml-entities')));
afterAll(() => cleanup());

/** Whether xmllint and expat (Python's pyexpat) both read the file as well-formed; they must agree. */
function wellFormedByReferences(file: string): boolean {
  const xmllint = spawnSync('xmllint', ['--noout', file]).status === 0;
  const expat = spawnSync('python3', ['-c', 'import sys, xml.parsers.expat as E\nE.ParserCreate().ParseFile(open(sys.argv[1], "rb"))', file]).status === 0;
  expect(expat, `xmllint and expat disagree on ${file}`).toBe(xmllint);
  return xmllint;
}

/** An OWL/XML ontology written the way the OWL API's older writers did: entities declared, then used. */
const owlXml = `<?xml version="1.0"?>
<!DOCTYPE Ontology [
    <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#" >
    <!ENTITY rdfs "http://www.w3.org/2000/01/rdf-schema#" >
    <!ENTITY o "http://example.org/o#" >
]>
<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://example.org/o">
    <Declaration>
        <Class IRI="&o;Heart"/>
    </Declaration>
    <AnnotationAssertion>
        <AnnotationProperty IRI="&rdfs;label"/>
        <IRI>&o;Heart</IRI>
        <Literal datatypeIRI="&xsd;string">heart</Literal>
    </AnnotationAssertion>
</Ontology>
`;

describe.skipIf(!hasTools && !process.env.CI)('entities declared in the internal subset', () => {
  async function check(name: string, format: string, text: string) {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    const result = await validateFile({ absPath: file, relpath: name, format, size_bytes: Buffer.byteLength(text) });
    return { file, syntax: result.rows.find((row) => row.rule === 'syntax')! };
  }

  it('an OWL/XML ontology using its own entities parses, as XML and OWL/XML, to the expanded IRIs', async () => {
    for (const [name, format] of [['heart.owx', 'owlxml'], ['heart.xml', 'xml']] as const) {
      const { file, syntax } = await check(name, format, owlXml);
      expect(wellFormedByReferences(file)).toBe(true);
      expect(syntax, `${format}: ${syntax.message}`).toMatchObject({ passed: true });
    }
    const expanded = spawnSync('xmllint', ['--noent', path.join(dir, 'heart.owx')], { encoding: 'utf8' }).stdout;
    expect(expanded).toContain('<Class IRI="http://example.org/o#Heart"/>');
    const terms = await extractTerms(path.join(dir, 'heart.owx'), 'owlxml');
    expect(terms.map((term) => [term.id, term.labels.map((label) => label.value)])).toEqual([['http://example.org/o#Heart', ['heart']]]);
  });

  it('an entity whose value names another, declared after it, is expanded at its use', async () => {
    const text = '<?xml version="1.0"?>\n<!DOCTYPE r [ <!ENTITY a "x&b;y"> <!ENTITY b "B"> ]>\n<r at="&a;">&a;</r>\n';
    const { file, syntax } = await check('nested.xml', 'xml', text);
    expect(wellFormedByReferences(file)).toBe(true);
    expect(syntax).toMatchObject({ passed: true });
  });

  it('RDF/XML reads an entity that names another at the IRI xmllint --noent expands it to', async () => {
    const text = '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY a "http://example.org/&b;"> <!ENTITY b "x"> ]>\n' +
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"><rdf:Description rdf:about="&a;"><ex:p rdf:resource="&a;y"/></rdf:Description></rdf:RDF>\n';
    const { file, syntax } = await check('nested.rdf', 'rdfxml', text);
    expect(wellFormedByReferences(file)).toBe(true);
    expect(syntax).toMatchObject({ passed: true });
    const expanded = spawnSync('xmllint', ['--noent', file], { encoding: 'utf8' }).stdout;
    const about = /rdf:about="([^"]+)"/.exec(expanded)![1]!;
    const resource = /rdf:resource="([^"]+)"/.exec(expanded)![1]!;
    const triples: string[][] = [];
    await parseRdfFile(file, 'rdfxml', (s, _p, o) => triples.push([s.value, o.value]));
    expect(triples).toEqual([[about, resource]]);
  });

  it('an external DTD may declare what the document uses; with no DTD an undeclared entity is an error at its line', async () => {
    const external = '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a&nbsp;b</p></body></html>\n';
    const withDtd = await check('external.xml', 'xml', external);
    expect(wellFormedByReferences(withDtd.file)).toBe(true);
    expect(withDtd.syntax, String(withDtd.syntax.message)).toMatchObject({ passed: true });
    const without = await check('none.xml', 'xml', '<?xml version="1.0"?>\n<r>a&nbsp;b</r>\n');
    expect(wellFormedByReferences(without.file)).toBe(false);
    expect(without.syntax).toMatchObject({ passed: false, line: 2 });
  });
});
