/**
 * Every format is read as UTF-8. An OBO or delimited file that is not gets one WARN naming
 * the first byte that is not (before, its text passed with U+FFFD in place of it); a file
 * of a format whose specification fixes UTF-8 (the RDF text syntaxes, JSON, JSON-LD) fails
 * its syntax check there, as rdflib and Python's json refuse it. The byte check is held to
 * Node's own strict UTF-8 decoder, and a character split between two read chunks is never
 * taken for a bad byte.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../../electron/ingest/parsers/read-chunks.js';
import { firstInvalidUtf8, Utf8Check } from '../../../electron/ingest/parsers/utf8-check.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
import { hasRdflib, rdflibVerdict } from '../../helpers/rdf-references.js';
import { makeTempRoot } from '../../helpers/temp-root.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => {
  ({ root: dir, cleanup } = makeTempRoot('ontocat-utf8'));
});
afterAll(() => cleanup());

const strictlyUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('the UTF-8 check', () => {
  it('agrees with the strict decoder on 20,000 random byte strings, and names the bad byte', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const pool = [0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff];
    let invalid = 0;
    for (let n = 0; n < 20_000; n += 1) {
      const bytes = Uint8Array.from({ length: 1 + (next() % 8) }, () => pool[next() % pool.length]!);
      const at = firstInvalidUtf8(bytes);
      expect(at === -1, Buffer.from(bytes).toString('hex')).toBe(strictlyUtf8(bytes));
      if (at >= 0) {
        invalid += 1;
        expect(strictlyUtf8(bytes.subarray(0, at))).toBe(true);
      }
    }
    expect(invalid).toBeGreaterThan(1000);
    expect(firstInvalidUtf8(Buffer.from('caf\xe9 au lait', 'latin1'))).toBe(3);
  });

  it('carries a character split between chunks, at every split, and finds a bad byte wherever it is', () => {
    const text = Buffer.from('ab€𝄞ΦΥΣΙΚΟΣ ς İzmir — ok', 'utf8');
    for (let split = 0; split <= text.length; split += 1) {
      const check = new Utf8Check();
      check.add(text.subarray(0, split));
      check.add(text.subarray(split));
      expect(check.finish(), `split at ${split}`).toBeNull();
    }
    const bad = Buffer.concat([text.subarray(0, 5), Buffer.from([0xff]), text.subarray(5)]);
    for (let split = 0; split <= bad.length; split += 1) {
      const check = new Utf8Check();
      check.add(bad.subarray(0, split));
      check.add(bad.subarray(split));
      expect(check.finish(), `split at ${split}`).toBe(5);
    }
    const cut = new Utf8Check();
    cut.add(text.subarray(0, 3));
    expect(cut.finish()).toBe(2);
  });
});

describe('validation of a file that is not UTF-8', () => {
  const validate = (name: string, format: string, bytes: Buffer) => {
    const absPath = path.join(dir, name);
    writeFileSync(absPath, bytes);
    return validateFile({ absPath, relpath: name, format, size_bytes: bytes.length });
  };

  it.each([
    ['l.obo', 'obo', 'format-version: 1.2\n\n[Term]\nid: A:1\nname: caf\xe9\n'],
    ['l.csv', 'csv', 'id,n\n1,caf\xe9\n'],
  ])('%s: one WARN naming the byte', async (name, format, latin1) => {
    const byte = latin1.indexOf('\xe9');
    const result = await validate(name, format, Buffer.from(latin1, 'latin1'));
    const warnings = result.rows.filter((row) => row.rule === 'invalid-utf8');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'WARN', passed: false, details: { byte } });
    expect(Buffer.from(latin1, 'latin1')[byte]).toBe(0xe9);
  });

  /** Where Python's own UTF-8 codec stops reading `file`: its line, and column in characters. */
  const pythonDecodeStop = (file: string): { line: number; col: number } | null => {
    const script = [
      'import sys',
      'data = open(sys.argv[1], "rb").read()',
      'try:',
      '    data.decode("utf-8"); print("ok")',
      'except UnicodeDecodeError as e:',
      '    head = data[:e.start]; start = head.rfind(b"\\n") + 1',
      '    print(head.count(b"\\n") + 1, len(head[start:].decode("utf-8")) + 1)',
    ].join('\n');
    const out = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' }).stdout.trim();
    if (out === 'ok') return null;
    const [line, col] = out.split(' ').map(Number);
    return { line: line!, col: col! };
  };
  /** Python's json module, reading the file's bytes as RFC 8259 has them. */
  const pythonJsonReads = (file: string): boolean =>
    spawnSync('python3', ['-c', 'import json, sys; json.loads(open(sys.argv[1], "rb").read())', file]).status === 0;

  const label = 'http://www.w3.org/2000/01/rdf-schema#label';
  it.each([
    ['l.nt', 'ntriples', `<http://e.org/a> <${label}> "a" .\n<http://e.org/b> <${label}> "\u00e9t\u00e9 caf\xe9" .\n`],
    ['l.nq', 'nquads', `<http://e.org/a> <${label}> "a" <http://e.org/g> .\n\n<http://e.org/b> <${label}> "caf\xe9" <http://e.org/g> .\n`],
    ['l.ttl', 'turtle', `@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://e.org/a>\n  rdfs:label "caf\xe9" .\n`],
    ['l.trig', 'trig', `@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<http://e.org/g> {\n  <http://e.org/a> rdfs:label "\u00e9caf\xe9" .\n}\n`],
    ['l.json', 'json', '{\n  "id": 1,\n  "name": "caf\xe9"\n}\n'],
    ['l.jsonld', 'jsonld', `{\n  "@id": "http://e.org/a",\n  "${label}": "caf\xe9"\n}\n`],
  ])('%s (%s, always UTF-8): a syntax ERROR at the byte, where the references refuse it', async (name, format, text) => {
    // Characters below U+0100 as Latin-1 bytes: "\u00e9" is written UTF-8 (two bytes), "\xe9" as the lone byte 0xE9.
    const bytes = Buffer.concat(text.split(/(\xe9)/).map((part) => (part === '\xe9' ? Buffer.from([0xe9]) : Buffer.from(part, 'utf8'))));
    const result = await validate(name, format, bytes);
    const file = path.join(dir, name);
    const stop = pythonDecodeStop(file);
    expect(stop).not.toBeNull();
    const syntax = result.rows.find((row) => row.rule === 'syntax')!;
    expect(syntax).toMatchObject({ severity: 'ERROR', passed: false, line: stop!.line, col: stop!.col });
    expect(syntax.message).toContain(`byte ${bytes.indexOf(0xe9)} (0xE9)`);
    expect(result.rows.filter((row) => row.rule === 'invalid-utf8')).toEqual([]);
    if (format === 'json' || format === 'jsonld') expect(pythonJsonReads(file)).toBe(false);
    else if (hasRdflib || process.env.CI) expect(rdflibVerdict(file, format)).toMatchObject({ ok: false });

    // The same text saved as UTF-8 passes here and in the references.
    const fixed = await validate(name, format, Buffer.from(text.replace(/\xe9/g, '\u00e9'), 'utf8'));
    expect(fixed.rows.find((row) => row.rule === 'syntax')).toMatchObject({ passed: true });
    if (format === 'json' || format === 'jsonld') expect(pythonJsonReads(file)).toBe(true);
    else if (hasRdflib || process.env.CI) expect(rdflibVerdict(file, format)).toMatchObject({ ok: true });
  });

  it('a large UTF-8 file with a character across the read chunks has no such WARN', async () => {
    const head = '<http://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "';
    const filler = 'x'.repeat(CHUNK_BYTES - Buffer.byteLength(head) - 1);
    const bytes = Buffer.from(`${head}${filler}€ok" .\n`, 'utf8');
    expect(bytes.indexOf(Buffer.from('€'))).toBe(CHUNK_BYTES - 1);
    const result = await validate('big.nt', 'ntriples', bytes);
    expect(result.rows.filter((row) => row.rule === 'invalid-utf8')).toEqual([]);
    expect(result.rows[0]).toMatchObject({ rule: 'syntax', passed: true });
  });
});
