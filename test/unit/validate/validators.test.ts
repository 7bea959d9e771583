import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTerms } from '../../../electron/ingest/parsers/extract-terms.js';
import { validateFile, type FileValidation } from '../../../electron/ingest/validate/validate-file.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-validators')));
afterAll(() => cleanup());

async function check(name: string, format: string, text: string): Promise<FileValidation> {
  const absPath = path.join(dir, name);
  writeFileSync(absPath, text);
  return validateFile({ absPath, relpath: name, format, size_bytes: Buffer.byteLength(text) });
}

function syntaxRow(result: FileValidation) {
  const row = result.rows.find((r) => r.rule === 'syntax');
  if (!row) throw new Error(`no syntax row for ${result.relpath}`);
  return row;
}

const TTL_PREFIXES = '@prefix ex: <http://example.org/> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n';

describe('syntax validators, one good and one broken file per format', () => {
  it('turtle: counts triples and terms; a broken literal fails on its line', async () => {
    const good = await check('good.ttl', 'turtle', `${TTL_PREFIXES}ex:A a owl:Class ; rdfs:label "A" .\nex:p a owl:ObjectProperty .\n_:x a owl:Class .\n`);
    expect(syntaxRow(good)).toMatchObject({ validator: 'turtle', passed: true, severity: 'INFO', line: null });
    expect(syntaxRow(good).details).toMatchObject({ triples: 4, terms: 2 });
    const bad = await check('bad.ttl', 'turtle', `${TTL_PREFIXES}ex:A a owl:Class .\nex:B a owl:Class ;\n  rdfs:label "unterminated .\n`);
    expect(syntaxRow(bad)).toMatchObject({ validator: 'turtle', passed: false, severity: 'ERROR', line: 6 });
    expect(bad.rows.filter((r) => r.validator === 'quality')).toEqual([]);
  });

  it('ntriples: a missing dot fails on its line', async () => {
    const good = await check('good.nt', 'ntriples', '<http://x/a> <http://x/p> "1" .\n<http://x/a> <http://x/p> <http://x/b> .\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'ntriples', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ triples: 2 });
    const bad = await check('bad.nt', 'ntriples', '<http://x/a> <http://x/p> "1" .\n\n<http://x/a> <http://x/p> <http://x/b>\n<http://x/c> <http://x/p> "2" .\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 4 });
  });

  it('nquads: quads in named graphs count; a bad graph term fails', async () => {
    const good = await check('good.nq', 'nquads', '<http://x/a> <http://x/p> "1" <http://x/g> .\n<http://x/a> <http://x/p> "2" .\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'nquads', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ triples: 2 });
    const bad = await check('bad.nq', 'nquads', '<http://x/a> <http://x/p> "1" <http://x/g> .\n<http://x/a> <http://x/p> "2" "graph" .\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 2 });
  });

  it('trig: graphs parse; an unclosed graph block fails', async () => {
    const good = await check('good.trig', 'trig', '@prefix ex: <http://x/> .\nex:g { ex:a ex:p ex:b . ex:a ex:p ex:c . }\nex:d ex:p ex:e .\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'trig', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ triples: 3 });
    const bad = await check('bad.trig', 'trig', '@prefix ex: <http://x/> .\nex:g {\n ex:a ex:p ex:b .\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 4 });
    expect(syntaxRow(bad).message).toMatch(/unclosed graph/i);
  });

  it('rdfxml: counts triples and terms; a mismatched tag fails with line and column', async () => {
    const rdf = '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:owl="http://www.w3.org/2002/07/owl#">\n';
    const good = await check('good.rdf', 'rdfxml', `${rdf}<owl:Class rdf:about="http://x/A"><rdfs:label>A</rdfs:label></owl:Class>\n<owl:Class rdf:about="http://x/B"><rdfs:label>B</rdfs:label></owl:Class>\n</rdf:RDF>\n`);
    expect(syntaxRow(good)).toMatchObject({ validator: 'rdfxml', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ triples: 4, terms: 2 });
    const relative = await check('relative.rdf', 'rdfxml', `${rdf}<owl:Class rdf:about="#A"/>\n</rdf:RDF>\n`);
    expect(syntaxRow(relative)).toMatchObject({ passed: true });
    expect((await extractTerms(path.join(dir, 'relative.rdf'), 'rdfxml')).map((t) => t.id)).toEqual(['file:///relative.rdf#A']);
    const bad = await check('bad.rdf', 'rdfxml', `${rdf}<owl:Class rdf:about="http://x/A">\n  <rdfs:label>A</rdfs:comment>\n</owl:Class>\n</rdf:RDF>\n`);
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 4 });
    expect(syntaxRow(bad).col).toBeGreaterThan(1);
  });

  it('owlxml: declarations and annotations become terms; a wrong root and an undeclared prefix fail', async () => {
    const head = '<?xml version="1.0"?>\n<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://x/o">\n<Prefix name="ex" IRI="http://x/"/>\n';
    const good = await check('good.owx', 'owlxml', `${head}<Declaration><Class abbreviatedIRI="ex:A"/></Declaration>\n<Declaration><ObjectProperty IRI="http://x/p"/></Declaration>\n<AnnotationAssertion><AnnotationProperty abbreviatedIRI="rdfs:label"/><AbbreviatedIRI>ex:A</AbbreviatedIRI><Literal xml:lang="en">A</Literal></AnnotationAssertion>\n</Ontology>\n`);
    expect(syntaxRow(good)).toMatchObject({ validator: 'owlxml', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ triples: 3, terms: 2 });
    const terms = await extractTerms(path.join(dir, 'good.owx'), 'owlxml');
    expect(terms.map((t) => [t.id, t.kind, t.labels])).toEqual([
      ['http://x/A', 'class', [{ value: 'A', lang: 'en' }]],
      ['http://x/p', 'object_property', []],
    ]);
    const wrongRoot = await check('root.owx', 'owlxml', '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n');
    expect(syntaxRow(wrongRoot)).toMatchObject({ passed: false, line: 2 });
    expect(syntaxRow(wrongRoot).message).toMatch(/root element must be Ontology/);
    const badPrefix = await check('prefix.owx', 'owlxml', `${head}<Declaration>\n<Class abbreviatedIRI="nope:A"/></Declaration>\n</Ontology>\n`);
    expect(syntaxRow(badPrefix)).toMatchObject({ passed: false, line: 5 });
    expect(syntaxRow(badPrefix).message).toMatch(/Undeclared prefix 'nope'/);
  });

  it('jsonld: expands an inline context to triples; broken JSON fails with line and column', async () => {
    const good = await check('good.jsonld', 'jsonld', JSON.stringify({
      '@context': { label: 'http://www.w3.org/2000/01/rdf-schema#label', owl: 'http://www.w3.org/2002/07/owl#' },
      '@graph': [{ '@id': 'http://x/A', '@type': 'owl:Class', label: 'A' }, { '@id': 'http://x/B', '@type': 'owl:Class', label: 'B' }],
    }, null, 2));
    expect(syntaxRow(good)).toMatchObject({ validator: 'jsonld', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ triples: 4, terms: 2 });
    const bad = await check('bad.jsonld', 'jsonld', '{\n  "@id": "http://x/A",\n  "label": "A"\n  "x": 1\n}\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 4, col: 3 });
    const invalid = await check('invalid.jsonld', 'jsonld', '{"@context": {"@version": 2.0}, "@id": "http://x/a"}');
    expect(syntaxRow(invalid)).toMatchObject({ passed: false, line: null });
  });

  it('obo: stanzas become terms; a line that is not tag: value is a WARN on its line, a broken clause fails', async () => {
    const good = await check('good.obo', 'obo', 'format-version: 1.2\nontology: x\n\n[Term]\nid: X:1\nname: one\ndef: "The first." []\n\n[Typedef]\nid: part_of\nname: part of\ndef: "Parthood." []\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'obo', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ terms: 2, stanzas: 2, term_stanzas: 1, typedefs: 1, header_tags: 2 });
    const bad = await check('bad.obo', 'obo', 'format-version: 1.2\n\n[Term]\nid: X:1\nname: one\nthis line has no colon\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: true });
    expect(bad.rows.find((row) => row.rule === 'malformed-line')).toMatchObject({ severity: 'WARN', passed: false, line: 6, col: 1 });
    const badDef = await check('def.obo', 'obo', '[Term]\nid: X:1\nname: one\ndef: "never closed []\n');
    expect(syntaxRow(badDef)).toMatchObject({ passed: false, line: 4 });
    const noId = await check('noid.obo', 'obo', '[Term]\nname: one\n\n[Term]\nid: X:2\n');
    expect(syntaxRow(noId)).toMatchObject({ passed: false, line: 1 });
    expect(syntaxRow(noId).message).toMatch(/no 'id'/);
    const tolerant = await check('tolerant.obo', 'obo', '[Term]\r\nid: X:1 ! the id\r\nname: one\r\ncomment: he said "hi\r\ndef: "A \\"quoted\\" ! not a comment." [X:ref] {source="x"}\r\nis_a: X:0 ! parent\r\n');
    expect(syntaxRow(tolerant)).toMatchObject({ passed: true });
    const [term] = await extractTerms(path.join(dir, 'tolerant.obo'), 'obo');
    expect(term).toMatchObject({ id: 'X:1', labels: [{ value: 'one', lang: null }], definitions: [{ value: 'A "quoted" ! not a comment.', lang: null }] });
    const stanza = await check('stanza.obo', 'obo', '[Term]\nid: X:1\n\n[Terms]\nid: X:2\n');
    expect(syntaxRow(stanza)).toMatchObject({ passed: false, line: 4 });
  });

  it('obo: a relation whose xref id another stanza has, or another relation maps to as well, keeps its written id', async () => {
    const text = 'format-version: 1.2\n\n[Typedef]\nid: part_of\nxref: BFO:0000050\n\n[Typedef]\nid: partof\nxref: BFO:0000050\n\n'
      + '[Typedef]\nid: has_part\nxref: BFO:0000051\n\n[Typedef]\nid: BFO:0000051\nname: has part\n\n'
      + '[Typedef]\nid: overlaps\nxref: RO:0002131\nis_a: part_of\n';
    await check('clash.obo', 'obo', text);
    const ids = (await extractTerms(path.join(dir, 'clash.obo'), 'obo')).map((term) => [term.id, term.parents, term.aliases ?? []]);
    // One term per id; only the relation whose xref no other stanza claims takes it.
    expect(ids).toEqual([
      ['part_of', [], []], ['partof', [], []], ['has_part', [], []], ['BFO:0000051', [], []], ['RO:0002131', ['part_of'], ['overlaps']],
    ]);
  });

  it("obo: as the OWL API reads it, bare relations and header names are in the header's ontology, and alt_ids are deprecated terms", async () => {
    const body = '\n[Term]\nid: X:1\nname: one\nalt_id: X:9\nalt_id: X:2\nalt_id: old1\n\n[Term]\nid: X:2\nname: two\nalt_id: X:9\n\n'
      + '[Typedef]\nid: a/b\nalt_id: ab_old\n\n[Typedef]\nid: note\nis_metadata_tag: true\nalt_id: note_old\n\n[Instance]\nid: X:i\ninstance_of: X:1\nalt_id: X:j\n';
    const header = 'format-version: 1.2\nsubsetdef: slim "A slim"\nsubsetdef: P:s "Prefixed"\nsynonymtypedef: abbr "Abbreviation" EXACT\n';
    const read = async (name: string, ontology: string) => {
      await check(name, 'obo', `${header}${ontology}${body}`);
      return (await extractTerms(path.join(dir, name), 'obo')).map((t) => [t.id, t.kind, t.labels.map((l) => l.value), t.deprecated, t.replaced_by, t.parents, t.aliases ?? []]);
    };
    const o = 'http://purl.obolibrary.org/obo/x#';
    const subset = 'http://www.geneontology.org/formats/oboInOwl#SubsetProperty';
    const synonymType = 'http://www.geneontology.org/formats/oboInOwl#SynonymTypeProperty';
    expect(await read('named.obo', 'ontology: x\n')).toEqual([
      [`${o}slim`, 'annotation_property', [], false, [], [subset], []],
      ['P:s', 'annotation_property', [], false, [], [subset], []],
      [`${o}abbr`, 'annotation_property', ['Abbreviation'], false, [], [synonymType], []],
      ['X:1', 'class', ['one'], false, [], [], []],
      // X:2 is a stanza's id; X:9, given by two terms, is one term replaced by both.
      ['X:9', 'class', [], true, ['X:1', 'X:2'], [], []],
      [`${o}old1`, 'class', [], true, ['X:1'], [], []],
      ['X:2', 'class', ['two'], false, [], [], []],
      [`${o}a%2Fb`, 'object_property', [], false, [], [], ['a/b']],
      [`${o}ab_old`, 'object_property', [], true, [`${o}a%2Fb`], [], []],
      // A metadata tag's alt_id and an instance's are annotations, not terms (OWLAPIObo2Owl).
      [`${o}note`, 'annotation_property', [], false, [], [], ['note']],
      ['X:i', 'individual', [], false, [], [], []],
    ]);
    // An ontology named by an IRI (EDAM's) or none gives bare names no id: they stay as
    // written, and a header name is no term. A bare alt_id is none under no ontology, and
    // under an IRI one in its namespace, as EDAM's OWL release of 1.2 writes its alt_ids.
    expect((await read('none.obo', '')).map(([id]) => id)).toEqual(['P:s', 'X:1', 'X:9', 'X:2', 'a/b', 'ab_old', 'note', 'X:i']);
    expect((await read('iri.obo', 'ontology: http://example.org/x\n')).map(([id]) => id))
      .toEqual(['P:s', 'X:1', 'X:9', 'http://example.org/x/old1', 'X:2', 'a/b', 'ab_old', 'note', 'X:i']);
  });

  it('rdf: an oboInOwl:hasAlternativeId that is an id is a deprecated term replaced by its term, unless a term has that id', async () => {
    const ttl = `${TTL_PREFIXES}@prefix oio: <http://www.geneontology.org/formats/oboInOwl#> .
ex:A a owl:Class ; oio:hasAlternativeId "X:9", "http://example.org/old", "not an id", "X:5" .
ex:B a owl:Class ; oio:hasAlternativeId "X:9" .
<http://purl.obolibrary.org/obo/X_5> a owl:Class .
ex:p a owl:AnnotationProperty ; oio:hasAlternativeId "X:7" .
`;
    await check('alt.ttl', 'turtle', ttl);
    const terms = await extractTerms(path.join(dir, 'alt.ttl'), 'turtle');
    const alts = terms.filter((t) => t.deprecated).map((t) => [t.id, t.kind, t.replaced_by]);
    // X:5 is the class …/obo/X_5 already; an annotation property's alternative id is none.
    expect(alts).toEqual([['X:9', 'class', ['http://example.org/A', 'http://example.org/B']], ['http://example.org/old', 'class', ['http://example.org/A']]]);
  });

  it('xml: well-formed passes with an element count; a mismatched tag fails with position', async () => {
    const good = await check('good.xml', 'xml', '<?xml version="1.0"?>\n<a><b/><c>text</c></a>\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'xml', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ elements: 3 });
    const bad = await check('bad.xml', 'xml', '<a>\n  <b>\n  </c>\n</a>\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 3 });
    const unbound = await check('ns.xml', 'xml', '<a>\n<x:b/></a>');
    expect(syntaxRow(unbound)).toMatchObject({ passed: false, line: 2 });
  });

  it('csv: consistent rows pass with counts; a row with an extra column fails on its line', async () => {
    const good = await check('good.csv', 'csv', 'id,label\n1,"one, with comma"\n2,two\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'csv', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ records: 3, columns: 2 });
    const bad = await check('bad.csv', 'csv', 'id,label\n1,one\n2,two,extra\n3,three\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 3 });
    expect(syntaxRow(bad).message).toMatch(/expected 2 columns, found 3/);
    const quote = await check('quote.csv', 'csv', 'id,label\n1,"open\n');
    expect(syntaxRow(quote)).toMatchObject({ passed: false });
  });

  it('tsv: quotes are data; a short row fails on its line', async () => {
    const good = await check('good.tsv', 'tsv', 'id\tlabel\n1\t5" wide\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'tsv', passed: true });
    expect(syntaxRow(good).details).toMatchObject({ records: 2, columns: 2 });
    const bad = await check('bad.tsv', 'tsv', 'id\tlabel\n1\tone\n2\n');
    expect(syntaxRow(bad)).toMatchObject({ passed: false, line: 3 });
  });

  it('json: well-formed passes; errors report line and column (trailing comma, bad literal, truncation)', async () => {
    const good = await check('good.json', 'json', '{"a": [1, 2.5e3, -0, true, null, "x\\u00e9"], "b": {}}\n');
    expect(syntaxRow(good)).toMatchObject({ validator: 'json', passed: true });
    const comma = await check('comma.json', 'json', '{\n  "a": 1,\n}\n');
    expect(syntaxRow(comma)).toMatchObject({ passed: false, line: 3, col: 1 });
    const literal = await check('literal.json', 'json', '[\n  1,\n  tru\n]');
    expect(syntaxRow(literal)).toMatchObject({ passed: false, line: 3, col: 3 });
    const truncated = await check('truncated.json', 'json', '{"a": [1, 2');
    expect(syntaxRow(truncated)).toMatchObject({ passed: false, line: 1 });
    expect(syntaxRow(truncated).message).toMatch(/end of input/);
    const leadingZero = await check('zero.json', 'json', '{"n": 012}');
    expect(syntaxRow(leadingZero)).toMatchObject({ passed: false });
  });

  it('other: no validator, no rows', async () => {
    const result = await check('notes.bin', 'other', 'whatever');
    expect(result.rows).toEqual([]);
  });
});

describe('extractTerms', () => {
  it('returns typed IRIs with labels, deprecation and replacements, never blank nodes', async () => {
    const file = path.join(dir, 'terms.ttl');
    writeFileSync(file, `${TTL_PREFIXES}@prefix obo: <http://purl.obolibrary.org/obo/> .
ex:A a owl:Class ; rdfs:label "a"@en ; obo:IAO_0000115 "An A." .
ex:B a owl:Class , owl:NamedIndividual ; owl:deprecated true ; obo:IAO_0100001 ex:A .
ex:p a owl:DatatypeProperty .
ex:notATerm rdfs:label "no type" .
_:b a owl:Class ; rdfs:label "blank" .
`);
    const terms = await extractTerms(file, 'turtle');
    expect(terms.map((t) => t.id)).toEqual(['http://example.org/A', 'http://example.org/B', 'http://example.org/p']);
    expect(terms[0]).toMatchObject({ kind: 'class', labels: [{ value: 'a', lang: 'en' }], definitions: [{ value: 'An A.', lang: null }], deprecated: false });
    expect(terms[1]).toMatchObject({ kind: 'class', deprecated: true, replaced_by: ['http://example.org/A'] });
    expect(terms[2]).toMatchObject({ kind: 'datatype_property', labels: [] });
  });

  it('fails with the line of a syntax error', async () => {
    const file = path.join(dir, 'broken-terms.obo');
    writeFileSync(file, '[Term]\nid: X:1\ndef: "never closed []\n');
    await expect(extractTerms(file, 'obo')).rejects.toThrow(/line 3/);
  });

  it('refuses a format without terms', async () => {
    await expect(extractTerms(path.join(dir, 'good.csv'), 'csv')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('is cancelled by its signal', async () => {
    const file = path.join(dir, 'cancel.nt');
    writeFileSync(file, '<http://x/a> <http://x/p> "1" .\n'.repeat(200_000));
    const controller = new AbortController();
    controller.abort();
    await expect(extractTerms(file, 'ntriples', { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
