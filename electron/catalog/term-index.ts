/**
 * The write side of the term index: records the terms of one file content.
 *
 * Rows go into a scratch table from columns (term-columns.ts), then set-based statements
 * number new term ids, keep new labels and definitions once, and fill file_terms, all
 * inside the caller's transaction. A content already indexed is left as it is.
 */
import { listValue } from './duckdb.js';
import { TERM_STAGE_COLUMNS, termColumns, type TermColumns, type TermRecord } from './term-columns.js';
import type { WriteTx } from './open-catalog.js';
import type { SqlConnection } from './sql.js';

export type { TermColumns, TermRecord } from './term-columns.js';

/** One parsed content to record: its terms as records, or already as columns (from a parser worker). */
export type ContentTerms = {
  readonly sha256: string;
  readonly format: string;
} & ({ readonly terms: readonly TermRecord[] } | { readonly columns: TermColumns });

/**
 * Fills term_index_stage from columns: DuckDB splits each column string into its values
 * and zips them back into rows (unnests in one select list line up by position), so no
 * value crosses from JavaScript one by one. The unnests stand alone in a subquery: one
 * inside an expression made DuckDB split the column again for every row (2 s, not 0.1 s,
 * for 50,000 terms).
 */
async function stageColumns(tx: WriteTx, columns: TermColumns): Promise<void> {
  const split = TERM_STAGE_COLUMNS.map((_, i) => `unnest(string_split($${i + 1}::VARCHAR, chr(30))) AS c${i}`);
  const values = TERM_STAGE_COLUMNS.map((name, i) => (name === 'deprecated' ? `c${i} = 't'` : `NULLIF(c${i}, chr(29))`));
  await tx.run(`INSERT INTO term_index_stage SELECT ${values.join(', ')} FROM (SELECT ${split.join(', ')})`, [...columns.columns]);
}

/** The sha256 values among `hashes` that are already indexed. */
export async function indexedContents(conn: SqlConnection, hashes: readonly string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await conn.all<{ sha256: string }>(
    'SELECT sha256 FROM term_index_contents WHERE sha256 IN (SELECT unnest($1::VARCHAR[]))',
    [listValue([...hashes])],
  );
  return new Set(rows.map((row) => row.sha256));
}

const list = (column: string): string => `COALESCE(string_split(s.${column}, chr(31)), [])::VARCHAR[]`;

/**
 * Records the terms of one content in the transaction; false when it was already indexed.
 *
 * Terms are keyed by id within the content; a second record of an id (never produced by
 * the parsers) would be kept as a second row.
 */
export async function recordContentTerms(tx: WriteTx, content: ContentTerms): Promise<boolean> {
  const known = await tx.scalar<number>('SELECT count(*) FROM term_index_contents WHERE sha256 = $1', [content.sha256]);
  if (Number(known) > 0) return false;
  const columns = 'columns' in content ? content.columns : termColumns(content.terms);
  await tx.run('DELETE FROM term_index_stage');
  if (columns.count > 0) await stageColumns(tx, columns);
  await tx.run(
    `INSERT INTO term_keys (term_key, term, curie, ident, term_lc, curie_lc)
     SELECT nextval('term_key_seq'), term, curie, COALESCE(curie, term), lower(term), lower(curie)
     FROM (SELECT DISTINCT term, curie FROM term_index_stage) s
     WHERE NOT EXISTS (SELECT 1 FROM term_keys k WHERE k.term = s.term)`,
  );
  await tx.run(
    `INSERT INTO term_labels (term_key, label, label_lc)
     SELECT DISTINCT k.term_key, l.label, lower(l.label)
     FROM (SELECT term, unnest(string_split(labels, chr(31))) AS label FROM term_index_stage WHERE labels IS NOT NULL) l
     JOIN term_keys k ON k.term = l.term
     WHERE NOT EXISTS (SELECT 1 FROM term_labels x WHERE x.term_key = k.term_key AND x.label = l.label)`,
  );
  await tx.run(
    `INSERT INTO term_definitions
     SELECT md5_number(definition), definition
     FROM (SELECT DISTINCT definition FROM term_index_stage WHERE definition IS NOT NULL) d
     WHERE NOT EXISTS (SELECT 1 FROM term_definitions x WHERE x.definition_md5 = md5_number(d.definition))`,
  );
  const contentId = Number(await tx.scalar<number>("SELECT nextval('term_content_seq')"));
  await tx.run(
    `INSERT INTO file_terms (content_id, term_key, kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents, state_hash, history_hash)
     SELECT *, term_state_hash(labels, definition_md5, deprecated, parents),
            term_history_hash(labels, synonyms, definition_md5, deprecated, parents, replaced_by, consider) FROM (
       SELECT $1, k.term_key, s.kind, string_split(s.labels, chr(31))[1], ${list('labels')} AS labels, ${list('synonyms')} AS synonyms,
              md5_number(s.definition) AS definition_md5, s.deprecated, ${list('replaced_by')} AS replaced_by, ${list('consider')} AS consider,
              ${list('parents')} AS parents
       FROM term_index_stage s JOIN term_keys k ON k.term = s.term)`,
    [contentId],
  );
  await recordDerived(tx, contentId);
  await tx.run('INSERT INTO term_index_contents VALUES ($1, $2, $3, $4, now()::TIMESTAMP)', [contentId, content.sha256, content.format, columns.count]);
  await tx.run('DELETE FROM term_index_stage');
  return true;
}

/**
 * The table derived from one content's file_terms rows (migration 0015): each key's set
 * of contents, grown by this one. It depends on the content alone, so it never goes stale.
 */
async function recordDerived(tx: WriteTx, contentId: number): Promise<void> {
  // Each set of contents this content's keys were in, grown by it (a key new to the index
  // had none: the set of this content alone); then the keys move to the grown sets.
  await tx.run(
    `INSERT INTO term_presence_sets (presence_id, content_ids, made_from, made_with)
     SELECT nextval('term_presence_seq'), list_append(COALESCE(p.content_ids, []::INTEGER[]), $1::INTEGER), x.presence_id, $1
     FROM (SELECT DISTINCT kp.presence_id
           FROM (SELECT DISTINCT term_key FROM file_terms WHERE content_id = $1) o
           LEFT JOIN term_key_presence kp ON kp.term_key = o.term_key) x
     LEFT JOIN term_presence_sets p ON p.presence_id = x.presence_id`,
    [contentId],
  );
  await tx.run(
    `UPDATE term_key_presence SET presence_id = n.presence_id
     FROM term_presence_sets n
     WHERE n.made_with = $1 AND n.made_from = term_key_presence.presence_id
       AND term_key_presence.term_key IN (SELECT term_key FROM file_terms WHERE content_id = $1)`,
    [contentId],
  );
  await tx.run(
    `INSERT INTO term_key_presence
     SELECT o.term_key, n.presence_id
     FROM (SELECT DISTINCT term_key FROM file_terms WHERE content_id = $1) o
     JOIN term_presence_sets n ON n.made_with = $1 AND n.made_from IS NULL
     WHERE NOT EXISTS (SELECT 1 FROM term_key_presence kp WHERE kp.term_key = o.term_key)`,
    [contentId],
  );
}

/** Every file of a version with its content hash (what the term recorder plans from). */
export async function versionFileHashes(conn: SqlConnection, versionId: string): Promise<{ relpath: string; format: string; sha256: string }[]> {
  return conn.all('SELECT relpath, format, sha256 FROM extracted_files WHERE version_id = $1::UUID ORDER BY relpath', [versionId]);
}
