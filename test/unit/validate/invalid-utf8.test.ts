/**
 * Every format is read as UTF-8; a file that is not gets one WARN naming the first byte
 * that is not (before, its text passed with U+FFFD in place of it). The byte check is held
 * to Node's own strict UTF-8 decoder, and a character split between two read chunks is
 * never taken for a bad byte.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../../electron/ingest/parsers/read-chunks.js';
import { firstInvalidUtf8, Utf8Check } from '../../../electron/ingest/parsers/utf8-check.js';
import { validateFile } from '../../../electron/ingest/validate/validate-file.js';
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
    ['l.nt', 'ntriples', '<http://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "caf\xe9" .\n'],
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
