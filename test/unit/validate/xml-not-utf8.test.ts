/**
 * An XML document with no encoding declaration (or one naming UTF-8 or US-ASCII) whose bytes
 * are not in that encoding is not well-formed: XML 1.0 §4.3.3 makes it a fatal error, and
 * libxml2's xmllint refuses it at the line of the first such byte. Held here against
 * xmllint on a real EDAM release re-saved in ISO-8859-1 (by iconv) that kept its bare
 * `<?xml version="1.0"?>`, and on the same release declaring US-ASCII.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { projectRoot } from '../../helpers/run-cli.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

const hasTools = spawnSync('xmllint', ['--version']).status === 0 && spawnSync('iconv', ['--version']).status === 0;

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-xml-not-utf8')));
afterAll(() => cleanup());

const edam = path.join(projectRoot, 'test/fixtures/edam/owl-heads/EDAM_1.25.owl');

/** xmllint's verdict: null when well-formed, else the line of its first error. */
function xmllintErrorLine(file: string): number | null {
  const run = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  if (run.status === 0) return null;
  const line = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):`, 'm').exec(run.stderr)?.[1];
  expect(line, run.stderr).toBeDefined();
  return Number(line);
}

/** A tiny OWL/XML ontology holding the same kind of accented label. */
const owlXml = (label: string): string => `<?xml version="1.0"?>
<Ontology xmlns="http://www.w3.org/2002/07/owl#" ontologyIRI="http://example.org/o">
  <Declaration><Class IRI="http://example.org/o#A"/></Declaration>
  <AnnotationAssertion>
    <AnnotationProperty abbreviatedIRI="rdfs:label"/>
    <IRI>http://example.org/o#A</IRI>
    <Literal>${label}</Literal>
  </AnnotationAssertion>
</Ontology>
`;

describe.skipIf(!hasTools && !process.env.CI)('XML whose bytes are not the encoding it is read in', () => {
  const cases: [string, string, () => Buffer][] = [
    ['latin1-edam.owl', 'rdfxml', () => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1//TRANSLIT'], { input: readFileSync(edam) })],
    ['latin1-edam.xml', 'xml', () => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1//TRANSLIT'], { input: readFileSync(edam) })],
    ['ascii-edam.owl', 'rdfxml', () => Buffer.from(readFileSync(edam, 'utf8').replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="US-ASCII"?>'))],
    ['latin1.owx', 'owlxml', () => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1//TRANSLIT'], { input: owlXml('Schwämmle') })],
  ];

  it.each(cases)('%s (%s) is a syntax error at the line xmllint names', async (name, format, bytes) => {
    const file = path.join(dir, name);
    const content = bytes();
    writeFileSync(file, content);
    const expectedLine = xmllintErrorLine(file);
    expect(expectedLine).not.toBeNull();
    const result = await validateFile({ absPath: file, relpath: name, format, size_bytes: content.length });
    const syntax = result.rows.find((row) => row.rule === 'syntax');
    expect(syntax).toMatchObject({ severity: 'ERROR', passed: false, line: expectedLine });
    expect(syntax?.message).toMatch(/UTF-8|US-ASCII/);
    // The syntax error says it; a second finding on the same byte would only repeat it.
    expect(result.rows.filter((row) => row.rule === 'invalid-utf8')).toEqual([]);
  });

  it('the same documents in UTF-8, or declaring ISO-8859-1, stay well-formed for xmllint and Ontocat', async () => {
    const latin1 = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'ISO-8859-1//TRANSLIT'], { input: readFileSync(edam, 'utf8').replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>') });
    for (const [name, format, content] of [['edam.owl', 'rdfxml', readFileSync(edam)], ['declared-latin1.owl', 'rdfxml', latin1], ['utf8.owx', 'owlxml', Buffer.from(owlXml('Schwämmle'))]] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      expect(xmllintErrorLine(file), name).toBeNull();
      const result = await validateFile({ absPath: file, relpath: name, format, size_bytes: content.length });
      expect(result.rows.find((row) => row.rule === 'syntax'), name).toMatchObject({ passed: true });
    }
  });

  it('a document in an encoding Ontocat has no decoder for (IBM855, by iconv) is refused naming it, never called bad UTF-8', async () => {
    const content = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'IBM855'], { input: '<?xml version="1.0" encoding="IBM855"?>\n<r>Привет</r>\n' });
    const file = path.join(dir, 'ibm855.xml');
    writeFileSync(file, content);
    // iconv reads the bytes back as the text they were made from: they are IBM855, not bad UTF-8.
    expect(execFileSync('iconv', ['-f', 'IBM855', '-t', 'UTF-8'], { input: content }).toString()).toContain('Привет');
    expect(content.toString('utf8')).toContain('\uFFFD');
    const result = await validateFile({ absPath: file, relpath: 'ibm855.xml', format: 'xml', size_bytes: content.length });
    expect(result.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: false, severity: 'ERROR' });
    expect(result.rows.find((row) => row.rule === 'syntax')?.message).toMatch(/ibm855/i);
    expect(result.rows.filter((row) => row.rule === 'invalid-utf8')).toEqual([]);
  });
});
