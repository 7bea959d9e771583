/**
 * Term search orders and picks text in JS (catalog/term-hit-details.ts) where it used to
 * ask DuckDB; the order must be DuckDB's own (its binary collation), checked here against
 * a real DuckDB over text where JavaScript's UTF-16 order differs.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlConnection } from '../../../electron/catalog/sql.js';
import { compareCodePoints } from '../../../electron/catalog/term-hit-details.js';

let instance: DuckDBInstance;
let conn: SqlConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = new SqlConnection(await instance.connect());
});
afterAll(() => {
  conn.raw.closeSync();
  instance.closeSync();
});

// ASCII, Latin-1, CJK, a private-use and a replacement character (BMP units above the
// surrogates) and astral ones (emoji, a CJK extension B ideograph, musical symbols).
const WORDS = [
  'cell', 'Cell', 'cell ', 'cellular', 'cel', 'é', 'e', 'z', '細胞', '\u{e000}x', '\u{fffd}', '\u{ffff}',
  '😀', '\u{20000}', '𝄞 clef', 'a😀', 'a\u{fffd}', 'a\u{e000}', 'GO:0008150', 'go:0008150', '', 'Ω', 'ω',
];

describe('term hit order', () => {
  it('sorts text as DuckDB does (by code point, not UTF-16 unit)', async () => {
    const rows = await conn.all<{ w: string }>(
      'SELECT w FROM (SELECT unnest(from_json($1::VARCHAR, \'["VARCHAR"]\')) AS w) ORDER BY w',
      [JSON.stringify(WORDS)],
    );
    const duckdb = rows.map((row) => row.w);
    expect([...WORDS].sort(compareCodePoints)).toEqual(duckdb);
    // JavaScript's default order puts astral characters before U+E000–U+FFFF; DuckDB does not.
    expect([...WORDS].sort()).not.toEqual(duckdb);
  });

  it('picks the same minimum as DuckDB min()', async () => {
    for (let i = 0; i + 3 <= WORDS.length; i += 1) {
      const group = WORDS.slice(i, i + 3);
      const row = await conn.one<{ m: string }>('SELECT min(w) AS m FROM (SELECT unnest(from_json($1::VARCHAR, \'["VARCHAR"]\')) AS w)', [JSON.stringify(group)]);
      expect(group.reduce((a, b) => (compareCodePoints(a, b) <= 0 ? a : b)), group.join(' | ')).toBe(row!.m);
    }
  });
});
