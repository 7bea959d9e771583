/**
 * Case folding of term search text: one folding for what the index stores (term_lc,
 * curie_lc, label_lc) and for what a curator types.
 *
 * Both sides fold in DuckDB. JavaScript's toLowerCase is not the same function: it maps a
 * word-final `Σ` to `ς` and `İ` to `i` + U+0307, where DuckDB's lower() gives `σ` and `i`,
 * and its Unicode tables are of another version (Node 20 lower-cases the Unicode 16
 * letters DuckDB 1.5 leaves alone, and DuckDB drops U+FEFF); a search for `ΦΥΣΙΚΟΣ` or
 * `İZMİR` then found nothing. `ς` is folded to `σ` besides, so a word typed with its
 * final sigma finds the same word written in capitals, and the other way round (0030).
 */
import { listValue } from './duckdb.js';
import type { SqlConnection } from './sql.js';

/** SQL: the folded text of `expr`, as the index stores it (migration 0030 brought older rows to it). */
export function foldSql(expr: string): string {
  return `replace(lower(${expr}), 'ς', 'σ')`;
}

/**
 * SQL: `expr` folded as far as a match against the folded query `q` can tell. Folding `ς`
 * to `σ` changes a text only where it has a `ς`, which becomes a `σ` at the same place: a
 * query without `σ` (and, folded, without `ς`) matches a text exactly, as its prefix or
 * inside it folded in full exactly where it matches it lower-cased, so the replace, about
 * 40% of the fold's cost over a release's labels, is left out (2026-12-05).
 */
export function foldSqlFor(expr: string, q: string): string {
  return q.includes('σ') ? foldSql(expr) : `lower(${expr})`;
}

/** Text JavaScript folds as DuckDB does: printable ASCII (and blanks), whose lower case has no special rule in either. */
const ASCII = /^[ -~\t\n\r]*$/;

/**
 * `texts` folded as foldSql folds them. Printable ASCII is folded here; any other text in one
 * query for all (a search pays it only for a query or page labels beyond ASCII).
 */
export async function foldTexts(conn: SqlConnection, texts: readonly string[]): Promise<string[]> {
  const other = [...new Set(texts.filter((text) => !ASCII.test(text)))];
  const folded = new Map<string, string>();
  if (other.length > 0) {
    const row = await conn.one<{ folded: string[] }>(`SELECT list_transform($1::VARCHAR[], x -> ${foldSql('x')}) AS folded`, [listValue(other)]);
    other.forEach((text, i) => folded.set(text, row!.folded[i]!));
  }
  return texts.map((text) => folded.get(text) ?? text.toLowerCase());
}
