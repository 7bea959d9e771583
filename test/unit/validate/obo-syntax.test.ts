import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OboLineError, parseOboClause } from '../../../electron/ingest/parsers/obo-clause.js';
import { parseOboFile, type OboStanza, type OboTag } from '../../../electron/ingest/parsers/parse-obo.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-obo-syntax')));
afterAll(() => cleanup());

/** Parses one clause line that must be valid. */
function clause(line: string): OboTag {
  const parsed = parseOboClause(line, 1);
  if (!parsed) throw new Error(`no clause in ${line}`);
  return parsed;
}

/** The error a clause line raises: message and 1-based column. */
function lineError(line: string): { message: string; col: number } {
  try {
    parseOboClause(line, 1);
  } catch (error) {
    if (error instanceof OboLineError) return { message: error.message, col: error.col };
    throw error;
  }
  throw new Error(`no error for ${line}`);
}

async function parseText(name: string, text: string) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const header: OboTag[] = [];
  const stanzas: OboStanza[] = [];
  const outcome = await parseOboFile(file, { onHeader: (tags) => header.push(...tags), onStanza: (stanza) => stanzas.push(stanza) });
  return { outcome, header, stanzas };
}

describe('OBO 1.4 escapes', () => {
  it('\\] and \\[ inside a dbxref do not end the list (GO 2013, SO 2013 lines that failed before)', () => {
    const go = clause('def: "Catalysis of the reaction: ATP + [acetyl-CoA carboxylase] = ADP." [EC:2.7.11.27, MetaCyc:[ACETYL-COA-CARBOXYLASE\\]-KINASE-RXN]');
    expect(go.value).toBe('Catalysis of the reaction: ATP + [acetyl-CoA carboxylase] = ADP.');
    expect(go.xrefs.map((x) => x.id)).toEqual(['EC:2.7.11.27', 'MetaCyc:[ACETYL-COA-CARBOXYLASE]-KINASE-RXN']);
    const so = clause('def: "A double-stranded DNA." [http:/www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=search&db=pubmed&term=SILVERMAN+SK[au\\]&dispmax=50]');
    expect(so.xrefs.map((x) => x.id)).toEqual(['http:/www.ncbi.nlm.nih.gov/entrez/query.fcgi?cmd=search&db=pubmed&term=SILVERMAN+SK[au]&dispmax=50']);
  });

  it('\\" and \\\\ inside a quoted string', () => {
    expect(clause('def: "A \\"quoted\\" word and a back\\\\slash." []').value).toBe('A "quoted" word and a back\\slash.');
    expect(clause('name: C:\\\\temp').value).toBe('C:\\temp');
  });

  it('\\n, \\t and \\W stand for newline, tab and space', () => {
    expect(clause('comment: one\\ntwo\\tthree\\Wfour').value).toBe('one\ntwo\tthree four');
    expect(clause('def: "line\\nbreak" []').value).toBe('line\nbreak');
  });

  it('\\: and \\, are plain characters; \\, keeps a comma inside one dbxref', () => {
    expect(clause('id: GO\\:0001').value).toBe('GO:0001');
    const def = clause('def: "x" [PMID:1, Book:Smith\\, J. (2001), ISBN:0-1]');
    expect(def.xrefs.map((x) => x.id)).toEqual(['PMID:1', 'Book:Smith, J. (2001)', 'ISBN:0-1']);
  });

  it('\\! is not a comment and \\{ does not open modifiers', () => {
    expect(clause('name: Yahoo\\! search ! a comment').value).toBe('Yahoo! search');
    const braces = clause('name: sugar \\{alpha\\} form {source="x"}');
    expect(braces.value).toBe('sugar {alpha} form');
    expect(braces.qualifiers).toEqual([{ name: 'source', value: 'x' }]);
  });

  it('a backslash ending a line escapes nothing: an error at its column', () => {
    expect(lineError('name: dangling\\')).toEqual({ message: expect.stringMatching(/backslash/), col: 15 });
  });
});

describe('quoted strings and dbxref lists', () => {
  it('a dbxref list with descriptions, modifiers and empty lists', () => {
    const def = clause('def: "Text." [GOC:mah "Midori Harris" {comment="curator"}, PMID:123] {source="GOC"} ! the definition');
    expect(def.value).toBe('Text.');
    expect(def.xrefs).toEqual([{ id: 'GOC:mah', description: 'Midori Harris' }, { id: 'PMID:123', description: null }]);
    expect(def.qualifiers).toEqual([{ name: 'source', value: 'GOC' }]);
    expect(def.raw).toBe('"Text." [GOC:mah "Midori Harris" {comment="curator"}, PMID:123]');
    expect(clause('def: "Empty list." []').xrefs).toEqual([]);
    expect(clause('def: "No space before the list."[PMID:1]').xrefs).toEqual([{ id: 'PMID:1', description: null }]);
  });

  it('real dbxrefs the guide would not allow are kept: spaces in the id (ChEBI), text after the description (EDAM beta12)', () => {
    expect(clause('synonym: "Aluminum anion" RELATED [NIST Chemistry WebBook:]').xrefs).toEqual([{ id: 'NIST Chemistry WebBook:', description: null }]);
    expect(clause('def: "SRF." [EDAM:EBI "EMBRACE definition" http://srf.sourceforge.net/]').xrefs)
      .toEqual([{ id: 'EDAM:EBI', description: 'EMBRACE definition http://srf.sourceforge.net/' }]);
  });

  it('synonyms: scope and type between the text and the list', () => {
    const synonym = clause('synonym: "mitochondrial inheritance" EXACT systematic_synonym [GOC:x]');
    expect(synonym.value).toBe('mitochondrial inheritance');
    expect(synonym.xrefs.map((x) => x.id)).toEqual(['GOC:x']);
    expect(clause('exact_synonym: "old style" []').value).toBe('old style');
  });

  it('a synonym needs its scope, then at most one synonym type', () => {
    expect(lineError('synonym: "no scope" [GOC:x]')).toEqual({ message: expect.stringMatching(/needs a scope/), col: 20 });
    expect(lineError('synonym: "bad scope" SIMILAR [GOC:x]')).toEqual({ message: expect.stringMatching(/needs a scope/), col: 22 });
    expect(lineError('synonym: "x" EXACT type extra [GOC:x]')).toEqual({ message: expect.stringMatching(/at most one synonym type/), col: 25 });
  });

  it('! and { inside a quoted string are text', () => {
    const def = clause('def: "Shout! {not=modifier}" [X:1] ! comment');
    expect(def.value).toBe('Shout! {not=modifier}');
    expect(def.qualifiers).toEqual([]);
  });

  it('" is a plain character where the tag has no quoted part', () => {
    expect(clause('comment: he said "hi').value).toBe('he said "hi');
    expect(clause('regex: "[A-Z][0-9]-[0').value).toBe('"[A-Z][0-9]-[0');
  });

  it('unterminated quoted strings and dbxref lists are errors at the opening character', () => {
    expect(lineError('def: "never closed []')).toEqual({ message: 'Unterminated quoted string.', col: 6 });
    expect(lineError('synonym: "ok" EXACT [GOC:x, PMID:1')).toEqual({ message: expect.stringMatching(/Unterminated dbxref list/), col: 21 });
    expect(lineError('xref: Wikipedia:X "open description')).toEqual({ message: 'Unterminated quoted string.', col: 19 });
  });

  it('def needs its quoted text and its dbxref list, and nothing after the list', () => {
    expect(lineError('def: no quotes []')).toEqual({ message: expect.stringMatching(/must start with a quoted text/), col: 6 });
    expect(lineError('def: "no list"')).toEqual({ message: expect.stringMatching(/needs a \[dbxref list\]/), col: 15 });
    expect(lineError('def: "x" [] extra')).toEqual({ message: expect.stringMatching(/after the dbxref list/), col: 12 });
  });
});

describe('trailing modifiers and comments', () => {
  it('{name="value", name=value} ends the value, quoted or not (OBO 1.2 style), before a comment', () => {
    const rel = clause('relationship: part_of GO:1 {cardinality=1, source="x, y"} ! part of something');
    expect(rel.value).toBe('part_of GO:1');
    expect(rel.qualifiers).toEqual([{ name: 'cardinality', value: '1' }, { name: 'source', value: 'x, y' }]);
    expect(clause('name: enables {http://purl.org/dc/elements/1.1/contributor="http://www.arabidopsis.org/"}').qualifiers)
      .toEqual([{ name: 'http://purl.org/dc/elements/1.1/contributor', value: 'http://www.arabidopsis.org/' }]);
    expect(clause('comment: See OBO file for URL. {url=}').qualifiers).toEqual([{ name: 'url', value: '' }]);
  });

  it('braces that are not a trailing name=value block are text (EDAM regexes)', () => {
    expect(clause('regex: "Gene:[0-9]{7}"').value).toBe('"Gene:[0-9]{7}"');
    expect(clause('regex: [0-9]{7}').value).toBe('[0-9]{7}');
  });

  it('a modifier block that never closes, or a malformed one, is an error', () => {
    expect(lineError('is_a: GO:1 {source="x"')).toEqual({ message: expect.stringMatching(/Unterminated trailing modifier/), col: 12 });
    expect(lineError('is_a: GO:1 {source="x", oops}')).toEqual({ message: expect.stringMatching(/not name=value/), col: 25 });
    expect(lineError('is_a: GO:1 {oops, source="x"}')).toEqual({ message: expect.stringMatching(/not name=value/), col: 13 });
    expect(lineError('is_a: GO:1 {}')).toEqual({ message: expect.stringMatching(/Empty trailing modifier/), col: 12 });
  });

  it('an unescaped ! starts a comment; comment-only and blank lines are skipped', () => {
    expect(clause('is_a: GO:0048308 ! organelle inheritance').value).toBe('GO:0048308');
    expect(clause('id: EDAM_operation:3212 !{since=1.1}').value).toBe('EDAM_operation:3212');
    expect(clause('next_id:3234  !{since=1.2}').value).toBe('3234');
    expect(parseOboClause('! idspace: EDAM urn:lsid:ebi.ac.uk:edam: "EDAM terms"', 1)).toBeNull();
    expect(parseOboClause('   ', 1)).toBeNull();
    expect(lineError('name: ! only a comment')).toEqual({ message: "Tag 'name' has no value.", col: 7 });
  });
});

describe('lines, tags and stanzas', () => {
  it('a line that is not tag: value is an error at its first character (EDAM 1.0 line 8933)', () => {
    expect(lineError('synonym "CDAOAnnotattion" RELATED [http://www.evolutionaryontology.org/cdao.owl#CDAOAnnotation]'))
      .toEqual({ message: expect.stringMatching(/Invalid tag name/), col: 1 });
    expect(lineError('  no colon here')).toEqual({ message: expect.stringMatching(/Expected 'tag: value'/), col: 3 });
  });

  it('a file with such a line still parses: the line is skipped and reported as a WARN, the stanzas around it kept', async () => {
    const text = 'format-version: 1.2\n\n[Term]\nid: EDAM:1\nname: one\nsynonym "CDAOAnnotattion" RELATED [http://x.org/cdao.owl#A]\n\n[Term]\nid: EDAM:2\nname: two\n';
    const { outcome, stanzas } = await parseText('skipped.obo', text);
    expect(outcome.problem).toBeNull();
    expect(stanzas.map((stanza) => stanza.id)).toEqual(['EDAM:1', 'EDAM:2']);
    expect(outcome.notices).toEqual([expect.objectContaining({ rule: 'malformed-line', severity: 'WARN', line: 6, col: 1 })]);
    const file = path.join(dir, 'skipped.obo');
    const result = await validateFile({ absPath: file, relpath: 'skipped.obo', format: 'obo', size_bytes: Buffer.byteLength(text) });
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    expect(result.rows.find((row) => row.rule === 'malformed-line')).toMatchObject({ severity: 'WARN', passed: false, line: 6 });
    // A broken clause (an unterminated quote) still fails the file.
    const broken = await parseText('broken.obo', 'format-version: 1.2\n\n[Term]\nid: X:1\ndef: "open [] \n');
    expect(broken.outcome.problem).not.toBeNull();
  });

  it('subsetdef, synonymtypedef and idspace have the shape the guide gives them', () => {
    expect(lineError('subsetdef: goslim_generic')).toEqual({ message: expect.stringMatching(/subsetdef: goslim_generic "Generic GO slim"/), col: 12 });
    expect(lineError('synonymtypedef: systematic_synonym "Systematic" SOMETIMES')).toEqual({ message: expect.stringMatching(/'synonymtypedef' does not have the shape/), col: 17 });
    expect(lineError('idspace: GO')).toEqual({ message: expect.stringMatching(/'idspace' does not have the shape/), col: 10 });
    expect(clause('synonymtypedef: UK_SPELLING "British spelling"').value).toBe('UK_SPELLING "British spelling"');
  });

  it('boolean tags take true or false', () => {
    expect(clause('is_obsolete: true ! gone').value).toBe('true');
    expect(lineError('is_transitive: yes')).toEqual({ message: expect.stringMatching(/true or false/), col: 16 });
  });

  it('header tags, then [Term], [Typedef] and [Instance] stanzas with their lines', async () => {
    const { outcome, header, stanzas } = await parseText('all.obo', [
      'format-version: 1.4',
      'data-version: releases/2024-01-01',
      'date: 01:01:2024 12:00 ! UTC',
      'subsetdef: goslim_generic "Generic GO slim"',
      'synonymtypedef: systematic_synonym "Systematic synonym" EXACT',
      'idspace: GO http://purl.obolibrary.org/obo/GO_ "Gene Ontology"',
      'remark: a remark with a \\! bang',
      'ontology: go',
      '',
      '[Term] ! the first',
      'id: GO:1',
      'name: one',
      '',
      '[Typedef]',
      'id: part_of',
      'is_transitive: true',
      '',
      '[Instance]',
      'id: X:i1',
      'instance_of: GO:1',
      '',
    ].join('\n'));
    expect(outcome.problem).toBeNull();
    expect(header.map((tag) => [tag.tag, tag.value])).toEqual([
      ['format-version', '1.4'], ['data-version', 'releases/2024-01-01'], ['date', '01:01:2024 12:00'],
      ['subsetdef', 'goslim_generic "Generic GO slim"'], ['synonymtypedef', 'systematic_synonym "Systematic synonym" EXACT'],
      ['idspace', 'GO http://purl.obolibrary.org/obo/GO_ "Gene Ontology"'], ['remark', 'a remark with a ! bang'], ['ontology', 'go'],
    ]);
    expect(stanzas.map((s) => [s.type, s.id, s.line, s.id_line])).toEqual([['Term', 'GO:1', 10, 11], ['Typedef', 'part_of', 14, 15], ['Instance', 'X:i1', 18, 19]]);
    expect(outcome.counts).toMatchObject({ stanzas: 3, term_stanzas: 1, typedefs: 1, instances: 1, header_tags: 8, distinct_ids: 3 });
  });

  it('errors in a file carry its line and column; parsing stops there', async () => {
    const unknown = await parseText('unknown.obo', '[Term]\nid: X:1\n\n[Terms]\nid: X:2\n');
    expect(unknown.outcome.problem).toMatchObject({ line: 4, col: 1, message: expect.stringMatching(/Unknown stanza type '\[Terms\]'/) });
    const header = await parseText('header.obo', '[Term]\nid: X:1\n[Term extra\n');
    expect(header.outcome.problem).toMatchObject({ line: 3, col: 1, message: expect.stringMatching(/Malformed stanza header/) });
    const quote = await parseText('quote.obo', 'format-version: 1.2\n\n[Term]\nid: X:1\nname: one\nsynonym: "never closed EXACT []\n');
    expect(quote.outcome.problem).toEqual({ line: 6, col: 10, message: 'Unterminated quoted string.' });
  });
});

describe('duplicate stanza ids', () => {
  it('one duplicate-id ERROR per id naming every stanza line; terms count distinct ids', async () => {
    const text = [
      'format-version: 1.2', '',
      '[Term]', 'id: X:1', 'name: one', 'def: "One." []', '',
      '[Term]', 'id: X:2', 'name: two', 'def: "Two." []', '',
      '[Term]', 'id: X:1 ! again', 'name: one again', 'def: "Again." []', '',
      '[Term]', 'id: X:1', 'name: one thrice', 'def: "Thrice." []', '',
      '[Typedef]', 'id: X:2', 'name: two as a relation', 'def: "Rel." []', '',
    ].join('\n');
    const file = path.join(dir, 'dup.obo');
    writeFileSync(file, text);
    const result = await validateFile({ absPath: file, relpath: 'dup.obo', format: 'obo', size_bytes: Buffer.byteLength(text) });
    expect(result.rows[0]).toMatchObject({ rule: 'syntax', passed: true });
    expect(result.rows[0]!.details).toMatchObject({ stanzas: 5, distinct_ids: 2, duplicate_stanzas: 3, terms: 2 });
    expect(result.terms).toBe(2);
    const duplicates = result.rows.filter((row) => row.rule === 'duplicate-id');
    expect(duplicates.map((row) => [row.subject, row.severity, row.line, row.details])).toEqual([
      ['X:1', 'ERROR', 3, { kind: 'class', lines: [3, 13, 18] }],
      ['X:2', 'ERROR', 8, { kind: 'class', lines: [8, 23] }],
    ]);
    expect(duplicates[0]!.message).toBe('X:1 is the id of 3 stanzas, at lines 3, 13 and 18; only the first is used as the term.');
    // The first stanza is the term: no label of a later stanza leaks into it.
    expect(result.rows.filter((row) => row.rule === 'multiple-labels')).toEqual([]);
  });
});
