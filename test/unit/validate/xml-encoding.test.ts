/**
 * XML read in the encoding it declares (or its UTF-16 byte order mark), not as UTF-8: the
 * W3C RDF/XML charmod test re-encoded by iconv parses to the suite's own N-Triples result,
 * and a real EDAM release re-encoded to UTF-16 gives the same triples as its UTF-8 original.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRdfFile } from '../../../electron/ingest/parsers/parse-rdf.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ root: dir, cleanup } = makeTempRoot('ontocat-xml-encoding'));
});
afterAll(() => cleanup());

const charmod = path.join(projectRoot, 'test/fixtures/w3c-rdf11/rdf-xml/rdf-charmod-literals');
const edam = path.join(projectRoot, 'test/fixtures/edam/owl-heads/EDAM_1.25.owl');

/** The file's bytes converted by iconv (an encoder nobody here wrote). */
function iconv(file: string, to: string, declared: string | null): Buffer {
  const text = declared === null ? readFileSync(file) : Buffer.from(readFileSync(file, 'utf8').replace(/encoding="utf-8"/i, `encoding="${declared}"`));
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', to], { input: text });
}

/** Triples as sorted N-Triples-like lines, blank nodes named by order of appearance. */
async function triplesOf(file: string): Promise<string[]> {
  const lines: string[] = [];
  const blank = new Map<string, string>();
  const name = (term: { termType: string; value: string }): string => {
    if (term.termType === 'BlankNode') {
      if (!blank.has(term.value)) blank.set(term.value, `_:b${blank.size}`);
      return blank.get(term.value)!;
    }
    return term.termType === 'Literal' ? JSON.stringify(term.value) : `<${term.value}>`;
  };
  const outcome = await parseRdfFile(file, 'rdfxml', (s, p, o) => lines.push(`${name(s)} ${name(p)} ${name(o)}`));
  expect(outcome.problem).toBeNull();
  return lines.sort();
}

describe('XML in a declared encoding', () => {
  const expected = new Parser({ format: 'N-Triples' }).parse(readFileSync(path.join(charmod, 'test001.nt'), 'utf8'));
  const expectedLiteral = expected.find((quad) => quad.object.termType === 'Literal')!.object.value;

  it.each([
    ['latin1.rdf', 'ISO-8859-1', 'ISO-8859-1'],
    ['utf16.rdf', 'UTF-16', null],
  ])('%s: the W3C charmod test parses to its N-Triples result, with no UTF-8 warning', async (name, to, declared) => {
    const file = path.join(dir, name);
    const bytes = iconv(path.join(charmod, 'test001.rdf'), to, declared);
    expect(bytes.includes(Buffer.from('Dürst'))).toBe(false);
    writeFileSync(file, bytes);
    const literals: string[] = [];
    const outcome = await parseRdfFile(file, 'rdfxml', (_s, _p, o) => { if (o.termType === 'Literal') literals.push(o.value); });
    expect(outcome.problem).toBeNull();
    expect(outcome.triples).toBe(expected.length);
    expect(literals).toEqual([expectedLiteral]);
    const result = await validateFile({ absPath: file, relpath: name, format: 'rdfxml', size_bytes: bytes.length });
    expect(result.rows.filter((row) => row.rule === 'invalid-utf8')).toEqual([]);
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
  });

  it('a real EDAM release in UTF-16 gives the triples of its UTF-8 original, accents included', async () => {
    const file = path.join(dir, 'EDAM_1.25.utf16.owl');
    writeFileSync(file, iconv(edam, 'UTF-16', null));
    const original = await triplesOf(edam);
    expect(original.some((line) => line.includes('Matúš Kalaš'))).toBe(true);
    expect(await triplesOf(file)).toEqual(original);
  });

  it('an encoding nothing here reads is a syntax problem naming it, not a file of replacement characters', async () => {
    const file = path.join(dir, 'klingon.rdf');
    writeFileSync(file, '<?xml version="1.0" encoding="x-klingon"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n');
    const result = await validateFile({ absPath: file, relpath: 'klingon.rdf', format: 'rdfxml', size_bytes: 100 });
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: false, severity: 'ERROR', message: expect.stringContaining("declares the encoding 'x-klingon'") });
    const xml = await validateFile({ absPath: file, relpath: 'klingon.xml', format: 'xml', size_bytes: 100 });
    expect(xml.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: false, message: expect.stringContaining("declares the encoding 'x-klingon'") });
  });
});
