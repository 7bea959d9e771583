/**
 * The DOCTYPE declaration of an ontology saved by Protégé (a list of `<!ENTITY … >` lines) is
 * part of the document's well-formedness: held to libxml2's xmllint on every byte of the
 * DOCTYPE of a real EDAM release flipped in turn, and on damage of the kind an edit by hand
 * leaves, at the line xmllint names.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-xml-doctype')));
afterAll(() => cleanup());

const edam = readFileSync(path.join(projectRoot, 'test/fixtures/edam/owl-heads/EDAM_1.3.owl'));

/** xmllint's verdict: null when well-formed, else the line of its first error. */
function xmllintErrorLine(file: string): number | null {
  const run = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  if (run.status === 0) return null;
  const line = /^[^\n]*?:(\d+): /m.exec(run.stderr)?.[1];
  expect(line, run.stderr).toBeDefined();
  return Number(line);
}

async function syntaxOf(name: string, format: string, bytes: Buffer) {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const result = await validateFile({ absPath: file, relpath: name, format, size_bytes: bytes.length });
  return { file, syntax: result.rows.find((row) => row.rule === 'syntax')! };
}

describe.skipIf(!hasXmllint && !process.env.CI)('a DOCTYPE declaration is checked as xmllint checks it', () => {
  it('every byte of EDAM 1.3\'s DOCTYPE flipped in turn: the verdict xmllint gives', async () => {
    const start = edam.indexOf('<!DOCTYPE');
    const end = edam.indexOf(']>', start) + 2;
    expect(start).toBeGreaterThan(0);
    let refused = 0;
    const wrong: string[] = [];
    for (let at = start; at < end; at += 1) {
      const bytes = Buffer.from(edam);
      bytes[at] = bytes[at]! ^ (1 << (at % 7));
      const name = `flip-${at}.owl`;
      const { file, syntax } = await syntaxOf(name, 'xml', bytes);
      const expected = xmllintErrorLine(file);
      if (expected !== null) refused += 1;
      if (syntax.passed !== (expected === null)) wrong.push(`${name}: xmllint ${expected === null ? 'accepts' : `refuses at line ${expected}`}, Ontocat ${syntax.passed ? 'accepts' : `refuses at line ${syntax.line}`}`);
      // RDF/XML is XML first: what xmllint refuses is no RDF/XML either.
      if (expected !== null && (await syntaxOf(`flip-${at}.rdf`, 'rdfxml', bytes)).syntax.passed) wrong.push(`flip-${at}.rdf: xmllint refuses at line ${expected}, Ontocat's RDF/XML check accepts`);
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(100);
    // Two xmllint runs and two parses per byte of the DOCTYPE: 23 s in CI, over 60 s at load 9.
  }, 240_000);

  it.each([
    ['an entity declaration that lost its "<!"', (text: string) => text.replace('<!ENTITY dc ', 'ENTITY dc ')],
    ['a bare "&" in an entity value', (text: string) => text.replace('"http://purl.org/dc/elements/1.1/"', '"http://purl.org/dc/elements/1.1/?a&b"')],
    ['no space between an entity\'s name and value', (text: string) => text.replace('<!ENTITY rdfs "', '<!ENTITY rdfs"')],
    ['a character reference to a character XML does not allow', (text: string) => text.replace('<!ENTITY owl "http://www.w3.org/2002/07/owl#" >', '<!ENTITY owl "http://www.w3.org/2002/07/owl#&#1;" >')],
    ['a stray word between declarations', (text: string) => text.replace('    <!ENTITY xsd', '    xsd\n    <!ENTITY xsd')],
  ])('%s: refused at the line xmllint names, as XML and as RDF/XML', async (what, damage) => {
    const text = damage(edam.toString('utf8'));
    expect(text).not.toBe(edam.toString('utf8'));
    for (const [name, format] of [['damaged.xml', 'xml'], ['damaged.owl', 'rdfxml']] as const) {
      const { file, syntax } = await syntaxOf(name, format, Buffer.from(text));
      const expected = xmllintErrorLine(file);
      expect(expected, what).not.toBeNull();
      expect(syntax, `${what} (${format}): ${syntax.message}`).toMatchObject({ passed: false, severity: 'ERROR', line: expected });
    }
  });
});
