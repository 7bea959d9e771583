/**
 * The searchable text of every term key, kept per read connection while the dictionaries stay the same.
 *
 * A search matches its text against every id, CURIE and label ever indexed. Stored, those
 * columns are FSST-compressed, and a `contains` over them decompressed every string: 15 ms
 * of a common word's 28 ms ranking on a GO-sized index, and the few-or-many check scanned
 * them all again (11 ms). Kept uncompressed in a temp table, with the key's ident beside
 * each text (no join to group hits), the same scan costs about a third, and a check with a
 * LIMIT stops early, label rows coming first (2026-12-03).
 *
 * The copy costs memory: 22 MB per read connection for a GO-sized index (226,579 texts and
 * 75,264 names with their index, `duckdb_memory()`). A
 * catalog with more texts than `searchTextLimits.maxKeptRows` is searched in its stored
 * tables instead (slower, as before the copy), so a very large ontology (NCBITaxon has
 * millions of terms) never holds hundreds of megabytes per connection. A write
 * transaction searches the stored tables too (its rows may roll back).
 *
 * Why a kept copy never gives a wrong answer: term_keys and term_labels are only ever added
 * to (no statement updates or deletes their rows), so the copy is complete while both
 * tables hold the rows they held when it was built. The counts are read before the copy is
 * built: rows committed in between make the copy larger than its counts say, and the next
 * search builds it again. A read whose catalog generation has not moved since the check
 * does not even count.
 */
import type { TermMatch } from '../shared/contract/terms.js';
import type { SqlConnection } from './sql.js';
import { foldSqlFor } from './term-text-fold.js';

const TABLE = 'term_search_text';

/**
 * The texts as rows of `term_key`, `matched` (0 id or alias, 1 CURIE, 2 label), `text` (folded, term-text-fold.ts)
 * and the key's `ident`, label rows first. A CURIE equal to the id (an OBO file's
 * `GO:0008150`) gets no row of its own: it would match exactly where the id does, with the
 * same closeness, and the id's row ranks first.
 */
const TEXT_ROWS_SQL = `
    SELECT l.term_key, CASE WHEN l.alias THEN 0 ELSE 2 END::TINYINT AS matched, l.label_lc AS text, k.ident FROM term_labels l JOIN term_keys k ON k.term_key = l.term_key
    UNION ALL
    SELECT term_key, 0::TINYINT, term_lc, ident FROM term_keys
    UNION ALL
    SELECT term_key, 1::TINYINT, curie_lc, ident FROM term_keys WHERE curie_lc IS NOT NULL AND curie_lc <> term_lc`;

/**
 * How many rows (texts, and each key's names) a read connection keeps at most. Production never
 * changes it; tests lower it to search the stored tables.
 */
export const searchTextLimits = { maxKeptRows: 1_000_000 };

/**
 * The stored tables as the search text (TEXT_ROWS_SQL as a relation): what a search reads
 * without a kept copy, and what an export reads in one statement.
 */
export const STORED_SEARCH_TEXT = `(${TEXT_ROWS_SQL})`;

/** The kept copy's table, on a connection's temp schema. */
const KEPT_TEXT = `temp.${TABLE}`;

/**
 * Each key's ident, id and CURIE, kept beside the text, with an index on the key: a
 * page's 50 names read from term_keys cost 6 ms of a common word's 37 (its one row group
 * scanned, every string fetched), from a kept copy 3.8 ms, and through the copy's index
 * 1.5 ms (2026-12-03).
 */
const NAMES_TABLE = 'term_key_names';
const KEPT_NAMES = `temp.${NAMES_TABLE}`;

/**
 * What a read connection searches: the source, the dictionaries' counts it was decided
 * for, the limit then, and the generation it was last found current at. `settled` while
 * nothing is left to decide at these counts: the copy is kept, or there are too many texts
 * to keep one.
 */
interface TextChoice {
  generation: number;
  readonly keys: number;
  readonly labels: number;
  readonly limit: number;
  readonly source: string;
  readonly settled: boolean;
}

const chosen = new WeakMap<SqlConnection['raw'], TextChoice>();

/**
 * The search text to match on `conn`: a relation (a table name or a parenthesised query)
 * with the columns of TEXT_ROWS_SQL.
 *
 * The first search on a connection, or the first after terms were added, reads the stored
 * tables; the second builds the copy (50–65 ms for a GO-sized index), which later ones
 * read. A one-off search (a CLI command, a write transaction) so never pays for a copy it
 * would not use again, and a catalog with more texts than a connection keeps is always
 * searched in its stored tables.
 */
export async function termSearchTextSource(conn: SqlConnection): Promise<string> {
  const generation = conn.readGeneration;
  if (generation === undefined) return STORED_SEARCH_TEXT;
  const limit = searchTextLimits.maxKeptRows;
  const previous = chosen.get(conn.raw);
  const choice = previous?.limit === limit ? previous : undefined;
  if (choice?.generation === generation && choice.settled) return choice.source;
  const counts = await conn.one<{ keys: number; labels: number }>(
    'SELECT (SELECT count(*) FROM term_keys) AS keys, (SELECT count(*) FROM term_labels) AS labels',
  );
  const keys = Number(counts?.keys ?? 0);
  const labels = Number(counts?.labels ?? 0);
  if (choice && choice.keys === keys && choice.labels === labels) {
    if (choice.settled) {
      choice.generation = generation;
      return choice.source;
    }
    // A second search at the same counts: now the copy pays.
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${TABLE} AS ${TEXT_ROWS_SQL}`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${NAMES_TABLE} AS SELECT term_key, ident, term, curie FROM term_keys`);
    await conn.run(`CREATE INDEX term_key_names_key ON ${KEPT_NAMES} (term_key)`);
    chosen.set(conn.raw, { generation, keys, labels, limit, source: KEPT_TEXT, settled: true });
    return KEPT_TEXT;
  }
  // New dictionaries (or a first search): the stored tables now, and a stale copy dropped.
  // Each key's id, at most its CURIE and its names row, and each label: the copies' rows at most.
  if (previous?.source === KEPT_TEXT) {
    await conn.run(`DROP TABLE IF EXISTS ${KEPT_TEXT}`);
    await conn.run(`DROP TABLE IF EXISTS ${KEPT_NAMES}`);
  }
  chosen.set(conn.raw, { generation, keys, labels, limit, source: STORED_SEARCH_TEXT, settled: 3 * keys + labels > limit });
  return STORED_SEARCH_TEXT;
}

/**
 * Where `conn` reads term keys' names (term_key, ident, term, curie): the kept copy when
 * termSearchTextSource, called first for the same read, chose the kept text; term_keys
 * otherwise. Both are only ever added to, so the copy is complete while the text is.
 */
export function termKeyNamesSource(conn: SqlConnection): string {
  const choice = chosen.get(conn.raw);
  return choice?.source === KEPT_TEXT && choice.generation === conn.readGeneration ? KEPT_NAMES : 'term_keys';
}

/** A case-insensitive match of a stored folded `column` (term-text-fold.ts) against $q (folded as well) by mode. */
function matchSql(column: string, match: TermMatch): string {
  if (match === 'exact') return `${column} = $q`;
  if (match === 'prefix') return `starts_with(${column}, $q)`;
  return `contains(${column}, $q)`;
}

/** 0 for an exact match, 1 for a prefix, 2 otherwise: the best hits come first. */
function closenessSql(column: string): string {
  return `CASE WHEN ${column} = $q THEN 0 WHEN starts_with(${column}, $q) THEN 1 ELSE 2 END`;
}

/**
 * The texts of `source` (termSearchTextSource) matching $q (folded) by `match`:
 * `term_key`, `ident`, `matched` and `closeness` (0 exact, 1 prefix, 2 contains), a row
 * per matching id, CURIE or label.
 *
 * `byIdent` when the query names a term identity its text does not spell
 * (`http://purl.obolibrary.org/obo/GO_0008150`, `obo:GO_0008150` for the OBO file's
 * `GO:0008150`): every key of the identity $ident matches too, as an exact id. It is read
 * from term_keys through its ident index, not from the search text (no index there).
 */
export function textMatchesSql(source: string, match: TermMatch, byIdent = false): string {
  const text = `SELECT term_key, ident, matched, ${closenessSql('text')} AS closeness FROM ${source} t WHERE ${matchSql('text', match)}`;
  return byIdent ? `${text}
    UNION ALL SELECT term_key, ident, 0::TINYINT, 0 FROM term_keys WHERE ident = $ident` : text;
}

/**
 * The labels (not aliases) of the terms `$idents` matching $q by `match`: `ident`, `label`
 * and `closeness`. What a page of hits matched on, when a hit's shown label does not match.
 */
export function matchedLabelsSql(match: TermMatch): string {
  return `SELECT k.ident, l.label, ${closenessSql('l.label_lc')} AS closeness
    FROM term_labels l JOIN term_keys k ON k.term_key = l.term_key
    WHERE list_contains($idents, k.ident) AND l.alias IS NOT TRUE AND ${matchSql('l.label_lc', match)}`;
}

/**
 * The labels the contents `contents` give the keys `keys` (each what follows `IN`: a
 * subquery or a list of numbers) that match $q (the folded query `q`) by `match`:
 * `term_key`, `content_id`, `label` and `closeness`, a row per matching label of a key in
 * a content. What a search with `latest_only` matches labels on, in the contents of the
 * latest versions: the search text holds every label a term was ever indexed with, not
 * which release gave it.
 *
 * Read from the term rows of those contents alone (a content's rows are contiguous, so
 * the other contents' row groups are skipped), folded as the stored text is.
 */
export function contentLabelsSql(match: TermMatch, q: string, keys: string, contents: string): string {
  return `SELECT term_key, content_id, label, ${closenessSql('text')} AS closeness
    FROM (SELECT term_key, content_id, label, ${foldSqlFor('label', q)} AS text
          FROM (SELECT term_key, content_id, unnest(labels) AS label FROM file_terms
                WHERE content_id IN (${contents}) AND term_key IN (${keys})))
    WHERE ${matchSql('text', match)}`;
}
