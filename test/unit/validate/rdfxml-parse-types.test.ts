/**
 * RDF/XML's rdf:parseType takes Resource, Collection and Literal (RDF 1.2 adds Triple, in a
 * document announcing RDF 1.2 with rdf:version); any other value "is treated as Literal"
 * (RDF/XML Syntax §7.2.20, parseTypeOtherPropertyElt).
 * Files of the DAML+OIL era write rdf:parseType="daml:collection". Held to rapper and rdflib:
 * both read such a file, and rdflib reads it as the specification says, one XML literal.
 * (rapper reads daml:collection as a DAML list, an extension of its own, so its count differs
 * there and only its verdict is compared.)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { hasRapper, hasRdflib, rapperVerdict, rdflibVerdict } from '../../helpers/rdf-references.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ root: dir, cleanup } = makeTempRoot('ontocat-rdfxml-parse-types')));
afterAll(() => cleanup());

const head = '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:daml="http://www.daml.org/2001/03/daml+oil#" xmlns:ex="http://example.org/">\n';

describe.skipIf(!(hasRapper && hasRdflib) && !process.env.CI)('an rdf:parseType other than Resource, Collection or Literal', () => {
  it.each([
    ['daml.rdf', 'daml:collection', '<daml:Class rdf:about="http://example.org/A">\n  <daml:oneOf rdf:parseType="daml:collection">\n    <ex:Thing rdf:about="http://example.org/x"/>\n    <ex:Thing rdf:about="http://example.org/y"/>\n  </daml:oneOf>\n</daml:Class>\n'],
    ['other.rdf', 'Other', '<rdf:Description rdf:about="http://example.org/a">\n  <ex:note rdf:parseType="Other">see <b>this</b></ex:note>\n</rdf:Description>\n'],
    // RDF 1.2's value, in a document that does not announce RDF 1.2 (rdf:version): the
    // property and its object were dropped, no triple at all.
    ['triple.rdf', 'Triple', '<rdf:Description rdf:about="http://example.org/a">\n  <ex:says rdf:parseType="Triple"><rdf:Description rdf:about="http://example.org/x"><ex:q rdf:resource="http://example.org/y"/></rdf:Description></ex:says>\n</rdf:Description>\n'],
  ])('%s (%s) parses, its content one literal as rdflib reads it', async (name, _parseType, body) => {
    const file = path.join(dir, name);
    const text = `${head}${body}</rdf:RDF>\n`;
    writeFileSync(file, text);
    const rapper = rapperVerdict(file, 'rdfxml');
    const rdflib = rdflibVerdict(file, 'rdfxml');
    expect(rapper.ok, rapper.message).toBe(true);
    expect(rdflib.ok, rdflib.message).toBe(true);
    const result = await validateFile({ absPath: file, relpath: name, format: 'rdfxml', size_bytes: Buffer.byteLength(text) });
    const syntax = result.rows.find((row) => row.rule === 'syntax')!;
    expect(syntax, String(syntax.message)).toMatchObject({ passed: true });
    expect(result.triples).toBe(rdflib.triples);
  });
});
