// A string made a SQL literal reads back as itself in DuckDB, whatever it holds.
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '../../../electron/catalog/duckdb.js';
import { sqlText } from '../../../electron/catalog/sql.js';

describe('sqlText', () => {
  it('reads back unchanged: quotes, backslashes, a newline, a NUL-free control character and non-ASCII text', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      for (const text of ["o'brien", "''", "a\\'b", 'line\nbreak', 'tab\there', 'café ∀x', "'; DROP TABLE versions; --", '']) {
        const reader = await conn.runAndReadAll(`SELECT ${sqlText(text)} AS v`);
        expect(reader.getRowObjectsJS()[0]!.v).toBe(text);
      }
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
