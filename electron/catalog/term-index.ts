/**
 * The write side of the term index: records the terms of file contents.
 *
 * Rows of a batch of contents go into a scratch table from columns (term-columns.ts), then
 * set-based statements number new term ids, keep new labels and definitions once, and fill
 * file_terms, all inside the caller's transaction. A content already indexed is left as it
 * is. A large file's terms may also come in chunks while it is parsed (recordContentChunk).
 */
import { blobValue, listValue } from './duckdb.js';
import { concatColumns, ROW_SEP, TERM_STAGE_COLUMNS, termColumns, type TermColumns, type TermRecord } from './term-columns.js';
import type { WriteTx } from './open-catalog.js';
import type { SqlConnection } from './sql.js';
import { foldSql } from './term-text-fold.js';

export type { TermColumns, TermRecord } from './term-columns.js';

/**
 * The rules contents are recorded under now (term_index_contents.rules). 2 (migration
 * 0023): every definition, as a set, and the shown label and definition English first.
 * 3 (migration 0024): oboInOwl:hasDefinition is read as a definition in RDF files.
 * 4 (migration 0025): an OBO quoted text with quotes that are not escaped is read whole.
 * 5 (migration 0026): an OBO file's bare relation ids are the ids its typedefs' xrefs or its
 * header give them, and owl:Thing is no parent.
 * 6 (migration 0027): any other bare relation id is in the header's ontology, alt_ids
 * (OBO) and oboInOwl:hasAlternativeId values (OWL) are deprecated terms replaced by the
 * term that gives them, and an OBO header's subset and synonym type names are terms.
 * 7 (migration 0032): XML is read in the encoding it declares (ISO-8859-1, UTF-16), where
 * it was read as UTF-8 with U+FFFD for every other byte.
 * 8 (migration 0033): an OBO file's bare alt_id under a header whose ontology is an IRI
 * (EDAM 1.2) is a term in that IRI's namespace, where it was none.
 * A content recorded under older rules is re-read from its file and its rows brought up to
 * date (`recordContentsTerms`); until then it still answers, with what it had.
 */
export const TERM_INDEX_RULES = 8;

/** One parsed content to record: its terms as records, or already as columns (from a parser worker). */
export type ContentTerms = {
  readonly sha256: string;
  readonly format: string;
} & ({ readonly terms: readonly TermRecord[] } | { readonly columns: TermColumns });

/**
 * Fills term_index_stage from the columns of a batch of contents: DuckDB splits each
 * column into its values and zips them back into rows (unnests in one select list line up
 * by position), so no value crosses from JavaScript one by one. The contents' columns are
 * put end to end, one per column, with a column of each row's place in the batch. The
 * unnests stand alone in a subquery: one inside an expression made DuckDB split the column
 * again for every row (2 s, not 0.1 s, for 50,000 terms).
 */
async function stageColumns(tx: WriteTx, batch: readonly TermColumns[]): Promise<void> {
  const filled = batch.map((columns, ord) => ({ columns, ord })).filter(({ columns }) => columns.count > 0);
  if (filled.length === 0) return;
  const joined = concatColumns(filled.map(({ columns }) => columns)).columns.map((bytes) => blobValue(bytes));
  const ords = filled.map(({ columns, ord }) => Array(columns.count).fill(String(ord)).join(ROW_SEP)).join(ROW_SEP);
  const names = [...TERM_STAGE_COLUMNS, 'content_ord'];
  // The columns come as UTF-8 bytes (term-columns.ts): decode checks them and makes them text.
  const split = names.map((name, i) => `unnest(string_split(${name === 'content_ord' ? `$${i + 1}::VARCHAR` : `decode($${i + 1}::BLOB)`}, chr(30))) AS c${i}`);
  const values = names.map((name, i) => (name === 'deprecated' ? `c${i} = 't'` : name === 'content_ord' ? `c${i}::INTEGER` : `NULLIF(c${i}, chr(29))`));
  // The definition's md5 once, here: term_definitions and file_terms both use it (0021).
  // It is the md5 of the term's definitions as a set (sorted), so the order a file lists
  // them in changes nothing; for one definition, the md5 of its text, as before 0023.
  await tx.run(
    `INSERT INTO term_index_stage (${names.join(', ')}, definition_md5)
     SELECT *, md5_number(CASE WHEN contains(definition, chr(31)) THEN array_to_string(list_sort(string_split(definition, chr(31))), chr(31)) ELSE definition END) FROM (SELECT ${values.map((value, i) => `${value} AS ${names[i]}`).join(', ')} FROM (SELECT ${split.join(', ')}))`,
    [...joined, ords],
  );
}

/**
 * The sha256 values among `hashes` indexed under rules `minRules` or later: by default the
 * current ones (nothing to parse); 0 for every content the index has a record of.
 */
export async function indexedContents(conn: SqlConnection, hashes: readonly string[], minRules: number = TERM_INDEX_RULES): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  // The hashes as one comma-separated text: binding a list of 100,000 values costs a
  // native call each (about a third of this on a version of small files). Hex has no comma.
  const rows = await conn.all<{ sha256: string }>(
    `SELECT sha256 FROM term_index_contents
     WHERE rules >= $2 AND sha256 IN (SELECT unnest(string_split($1, ',')))`,
    [hashes.join(','), minRules],
  );
  return new Set(rows.map((row) => row.sha256));
}

/** The contents among `hashes` that are indexed, with their ids and the rules they were recorded under. */
async function indexedContentIds(conn: SqlConnection, hashes: readonly string[]): Promise<{ sha256: string; content_id: number; rules: number }[]> {
  if (hashes.length === 0) return [];
  const rows = await conn.all<{ sha256: string; content_id: number; rules: number }>(
    'SELECT sha256, content_id, rules FROM term_index_contents WHERE sha256 IN (SELECT unnest($1::VARCHAR[]))',
    [listValue([...hashes])],
  );
  return rows.map((row) => ({ sha256: row.sha256, content_id: Number(row.content_id), rules: Number(row.rules) }));
}

/** A content whose parse failed: the index cannot hold it until the parsers change. */
export interface UnparsableContent {
  readonly sha256: string;
  readonly format: string;
  /** The parse's problem, or the remote context it would have had to load. */
  readonly message: string;
}

/**
 * Keeps contents that did not parse under `validatorVersion` (term_index_unparsable, 0028),
 * so backfills stop parsing them again and the index's status tells them from the contents
 * it still has to read. A verdict is on a content read as one format (0036: the same bytes
 * may parse in another); a later verdict on the same content and format replaces the earlier one.
 */
export async function recordUnparsableContents(tx: WriteTx, contents: readonly UnparsableContent[], validatorVersion: number): Promise<void> {
  if (contents.length === 0) return;
  const hashes = listValue(contents.map((c) => c.sha256));
  const formats = listValue(contents.map((c) => c.format));
  await tx.run(
    `INSERT OR REPLACE INTO term_index_unparsable (sha256, format, validator_version, message, read_at)
     SELECT sha256, format, $4::INTEGER, any_value(message), now()::TIMESTAMP
     FROM (SELECT unnest($1::VARCHAR[]) AS sha256, unnest($2::VARCHAR[]) AS format, unnest($3::VARCHAR[]) AS message)
     GROUP BY sha256, format`,
    [hashes, formats, listValue(contents.map((c) => c.message)), validatorVersion],
  );
  // A content refused in the very format its terms were read in: an earlier parser took it,
  // this one does not (bytes that are not UTF-8 in N-Triples, validator version 20), so the
  // index no longer holds its terms, as it never would have under this parser.
  const refused = await tx.all<{ content_id: number }>(
    `SELECT c.content_id FROM term_index_contents c
     JOIN (SELECT unnest($1::VARCHAR[]) AS sha256, unnest($2::VARCHAR[]) AS format) v ON v.sha256 = c.sha256 AND v.format = c.format`,
    [hashes, formats],
  );
  if (refused.length > 0) await dropContents(tx, refused.map((row) => Number(row.content_id)));
}

/** Of `contents` (sha256 and format), those with a verdict kept as not parsing, as `sha256 format`. */
export async function unparsableFormats(conn: SqlConnection, contents: readonly { sha256: string; format: string }[]): Promise<Set<string>> {
  if (contents.length === 0) return new Set();
  const rows = await conn.all<{ key: string }>(
    `SELECT u.sha256 || ' ' || u.format AS key FROM term_index_unparsable u
     SEMI JOIN (SELECT unnest(string_split($1, ',')) AS sha256) h ON h.sha256 = u.sha256`,
    [[...new Set(contents.map((c) => c.sha256))].join(',')],
  );
  const wanted = new Set(contents.map((c) => `${c.sha256} ${c.format}`));
  return new Set(rows.map((row) => row.key).filter((key) => wanted.has(key)));
}

/** Drops the verdicts on contents that parsed since in their format (`contents`: sha256 and format). */
export async function forgetUnparsableFormats(tx: WriteTx, contents: readonly { sha256: string; format: string }[]): Promise<void> {
  if (contents.length === 0) return;
  await tx.run(
    `DELETE FROM term_index_unparsable u USING (SELECT unnest($1::VARCHAR[]) AS sha256, unnest($2::VARCHAR[]) AS format) d
     WHERE u.sha256 = d.sha256 AND u.format = d.format`,
    [listValue(contents.map((c) => c.sha256)), listValue(contents.map((c) => c.format))],
  );
}

const list = (column: string): string => `COALESCE(string_split(s.${column}, chr(31)), [])::VARCHAR[]`;

/**
 * Records the terms of one content in the transaction; false when it was already indexed.
 *
 * Terms are keyed by id within the content; a second record of an id (never produced by
 * the parsers) would be kept as a second row.
 */
export async function recordContentTerms(tx: WriteTx, content: ContentTerms): Promise<boolean> {
  return (await recordContentsTerms(tx, [content])).length > 0;
}

/**
 * Records the terms of a batch of contents in the transaction; returns the sha256 of each
 * content it added or brought up to date (one indexed under the current rules, or named
 * twice in the batch, is taken once).
 *
 * Every statement runs once for the whole batch: each one scans an index table (term_keys,
 * term_labels, term_key_presence …), and running them per content made a version of many
 * small files cost about 27 ms a file.
 */
export async function recordContentsTerms(tx: WriteTx, contents: readonly ContentTerms[]): Promise<string[]> {
  const indexed = new Map((await indexedContentIds(tx, [...new Set(contents.map((content) => content.sha256))])).map((row) => [row.sha256, row]));
  const batch: { sha256: string; format: string; columns: TermColumns }[] = [];
  const outdated: OutdatedContent[] = [];
  const taken = new Set<string>();
  for (const content of contents) {
    const known = indexed.get(content.sha256);
    if (taken.has(content.sha256) || (known && known.rules >= TERM_INDEX_RULES)) continue;
    taken.add(content.sha256);
    const columns = 'columns' in content ? content.columns : termColumns(content.terms);
    if (known) outdated.push({ sha256: content.sha256, format: content.format, contentId: known.content_id, columns });
    else batch.push({ sha256: content.sha256, format: content.format, columns });
  }
  // A content whose terms are no longer the same ids is recorded again, as a new one.
  const rekeyed = outdated.length > 0 ? await refreshContentsTerms(tx, outdated) : [];
  batch.push(...rekeyed);
  const refreshed = outdated.filter((content) => !rekeyed.includes(content)).map((content) => content.sha256);
  if (batch.length === 0) return refreshed;
  const ids = batch.some((content) => content.columns.count > 0)
    ? await recordBatchTerms(tx, batch.map((content) => content.columns))
    // Contents without terms (data files, most small RDF files) are only marked indexed:
    // recordBatchTerms' statements find nothing to add for them, but each still costs its start
    // and its scans, a dozen times a batch.
    : await newContentIds(tx, batch.length);
  await tx.run(
    `INSERT INTO term_index_contents (content_id, sha256, format, terms, indexed_at, rules)
     SELECT $1::INTEGER + ord - 1, sha256, format, terms, now()::TIMESTAMP, $5::INTEGER
     FROM (SELECT unnest($2::VARCHAR[]) AS sha256, unnest($3::VARCHAR[]) AS format, unnest($4::INTEGER[]) AS terms, generate_subscripts($2::VARCHAR[], 1) AS ord)`,
    [ids.first, listValue(batch.map((c) => c.sha256)), listValue(batch.map((c) => c.format)), listValue(batch.map((c) => c.columns.count)), TERM_INDEX_RULES],
  );
  return [...refreshed, ...batch.map((content) => content.sha256)];
}

/** A content indexed under older rules, with its new parse. */
interface OutdatedContent {
  readonly sha256: string;
  readonly format: string;
  readonly contentId: number;
  readonly columns: TermColumns;
}

/**
 * Stages a batch's rows and adds what they bring to the dictionaries: new term ids, new
 * labels, new definitions.
 */
async function stageBatch(tx: WriteTx, batch: readonly TermColumns[]): Promise<void> {
  await tx.run('DELETE FROM term_index_stage');
  await stageColumns(tx, batch);
  // The _lc columns hold the search's folding (term-text-fold.ts), which a query is folded by too.
  await tx.run(
    `INSERT INTO term_keys (term_key, term, curie, ident, term_lc, curie_lc)
     SELECT nextval('term_key_seq'), term, curie, COALESCE(curie, term), ${foldSql('term')}, ${foldSql('curie')}
     FROM (SELECT DISTINCT term, curie FROM term_index_stage) s
     ANTI JOIN term_keys k ON k.term = s.term`,
  );
  await tx.run(
    `INSERT INTO term_labels (term_key, label, label_lc)
     SELECT n.term_key, n.label, ${foldSql('n.label')}
     FROM (SELECT DISTINCT k.term_key, l.label
           FROM (SELECT term, unnest(string_split(labels, chr(31))) AS label FROM term_index_stage WHERE labels IS NOT NULL) l
           JOIN term_keys k ON k.term = l.term) n
     ANTI JOIN term_labels x ON x.term_key = n.term_key AND x.label = n.label AND x.alias IS NOT TRUE`,
  );
  // A term's aliases are matched as its ids are (term_labels.alias, 0026), even where a
  // label has the same text: a history finds a relation by its alias alone.
  await tx.run(
    `INSERT INTO term_labels (term_key, label, label_lc, alias)
     SELECT n.term_key, n.alias, ${foldSql('n.alias')}, true
     FROM (SELECT DISTINCT k.term_key, a.alias
           FROM (SELECT term, unnest(string_split(aliases, chr(31))) AS alias FROM term_index_stage WHERE aliases IS NOT NULL) a
           JOIN term_keys k ON k.term = a.term) n
     ANTI JOIN term_labels x ON x.term_key = n.term_key AND x.label = n.alias AND x.alias`,
  );
  await tx.run(
    `INSERT INTO term_definitions
     SELECT d.definition_md5, d.definition
     FROM (SELECT DISTINCT definition_md5, definition FROM term_index_stage WHERE definition IS NOT NULL) d
     ANTI JOIN term_definitions x ON x.definition_md5 = d.definition_md5`,
  );
}

/** The state columns of a staged row, by name, as file_terms holds them. */
const STAGED_STATE = `k.term_key, s.kind, ${list('labels')} AS labels, ${list('synonyms')} AS synonyms,
              s.definition_md5, s.deprecated, ${list('replaced_by')} AS replaced_by, ${list('consider')} AS consider,
              ${list('parents')} AS parents`;

/** The two hashes of a term row from its state columns (0018, 0021). */
const STATE_HASHES = `term_state_hash(labels, definition_md5, deprecated, parents, replaced_by) AS state_hash,
            term_history_hash(labels, synonyms, definition_md5, deprecated, parents, replaced_by, consider) AS history_hash`;

/**
 * Fills file_terms from the staged rows: content `first` + each row's place in the batch.
 * Each content's rows together, in batch order: a history reads only the row groups of the
 * contents holding its term (0017). A batch of one content with terms has them together
 * already (sorting a GO release's 50,000 rows cost 13 ms). The labels are split once, for
 * the list and its first.
 */
async function insertStagedRows(tx: WriteTx, first: number, several: boolean): Promise<void> {
  await tx.run(
    `INSERT INTO file_terms (content_id, term_key, kind, label, labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents, state_hash, history_hash)
     SELECT content_id, term_key, kind, labels[1], labels, synonyms, definition_md5, deprecated, replaced_by, consider, parents, ${STATE_HASHES} FROM (
       SELECT $1::INTEGER + s.content_ord AS content_id, ${STAGED_STATE}
       FROM term_index_stage s JOIN term_keys k ON k.term = s.term)
     ${several ? 'ORDER BY content_id' : ''}`,
    [first],
  );
}

/** Adds the terms of a batch's contents (at least one term among them); the contents' new ids. */
async function recordBatchTerms(tx: WriteTx, batch: readonly TermColumns[]): Promise<{ first: number }> {
  await stageBatch(tx, batch);
  const ids = await newContentIds(tx, batch.length);
  await insertStagedRows(tx, ids.first, batch.filter((columns) => columns.count > 0).length > 1);
  await recordDerived(tx, ids.first, ids.first + batch.length - 1);
  await tx.run('DELETE FROM term_index_stage');
  return ids;
}

/**
 * Contents being recorded chunk by chunk in this process (`recordContentChunk`), by catalog
 * root: their rows are committed, their record (term_index_contents) not yet. Only one
 * process writes a catalog, so any other content listed in its term_chunked_contents is a
 * killed run's. Keyed by root, as content ids are numbered per catalog: a process serving
 * two catalogs must not take one's recording under way for the other's.
 */
const chunkedContents = new Map<string, Set<number>>();

/** The contents of the catalog at `root` being recorded in chunks by this process. */
function underWay(root: string): Set<number> {
  let contents = chunkedContents.get(root);
  if (!contents) {
    contents = new Set();
    chunkedContents.set(root, contents);
  }
  return contents;
}

/**
 * Records a chunk of one content's terms while its file is still parsed, in a transaction
 * of its own; `contentId` null for its first chunk, which numbers the content. Returns the
 * content's id.
 *
 * The rows are committed without the content's record (term_index_contents) and without
 * the keys' content sets, so no query reaches them (every read goes through a content's
 * record or a key's set) until `finishChunkedContent` adds both in one transaction, or
 * `discardChunkedContent` removes them. The first chunk lists the content in
 * term_chunked_contents (0041) and the last transaction takes it out, so a run killed in
 * between leaves rows no query reaches, and listed: the first content recorded in chunks
 * after the catalog is opened again removes them (`sweep`).
 */
export async function recordContentChunk(tx: WriteTx, contentId: number | null, columns: TermColumns, options: { readonly sweep?: boolean } = {}): Promise<number> {
  let id = contentId;
  if (id === null && options.sweep) await sweepKilledChunks(tx);
  if (id === null) {
    id = (await newContentIds(tx, 1)).first;
    await tx.run('INSERT INTO term_chunked_contents (content_id, started_at) VALUES ($1::INTEGER, now()::TIMESTAMP)', [id]);
    underWay(tx.root).add(id);
  }
  if (columns.count > 0) {
    await stageBatch(tx, [columns]);
    await insertStagedRows(tx, id, false);
    await tx.run('DELETE FROM term_index_stage');
  }
  return id;
}

/**
 * Records the last of a content's terms (`rest`) and the content itself: its record and
 * its keys' content sets, so its rows answer from this commit on. False, with its rows
 * removed, when the content was indexed meanwhile (by another run).
 */
export async function finishChunkedContent(
  tx: WriteTx, content: { readonly sha256: string; readonly format: string; readonly contentId: number; readonly terms: number; readonly rest: TermColumns },
): Promise<boolean> {
  if ((await indexedContentIds(tx, [content.sha256])).length > 0) {
    await discardChunkedContent(tx, content.contentId);
    return false;
  }
  await recordContentChunk(tx, content.contentId, content.rest);
  await recordDerived(tx, content.contentId, content.contentId);
  await tx.run('DELETE FROM term_chunked_contents WHERE content_id = $1::INTEGER', [content.contentId]);
  await tx.run(
    'INSERT INTO term_index_contents (content_id, sha256, format, terms, indexed_at, rules) VALUES ($1::INTEGER, $2, $3, $4::INTEGER, now()::TIMESTAMP, $5::INTEGER)',
    [content.contentId, content.sha256, content.format, content.terms, TERM_INDEX_RULES],
  );
  underWay(tx.root).delete(content.contentId);
  return true;
}

/**
 * Removes the rows of contents a killed run was recording in chunks: those listed in
 * term_chunked_contents that no recording in this process has under way and that have no
 * record. Only one process writes a catalog, so any other listed content is a killed run's.
 */
async function sweepKilledChunks(tx: WriteTx): Promise<void> {
  const killed = (await tx.all<{ content_id: number }>(
    `SELECT content_id FROM term_chunked_contents WHERE content_id NOT IN (${[...underWay(tx.root), 0].join(', ')})`,
  )).map((row) => Number(row.content_id));
  if (killed.length === 0) return;
  const ids = listValue(killed);
  // A listed content with a record was finished (never left listed by this code; kept safe all the same).
  await tx.run(
    `DELETE FROM file_terms WHERE content_id IN (
       SELECT k.id FROM (SELECT unnest($1::INTEGER[]) AS id) k ANTI JOIN term_index_contents c ON c.content_id = k.id)`,
    [ids],
  );
  await tx.run('DELETE FROM term_chunked_contents WHERE content_id IN (SELECT unnest($1::INTEGER[]))', [ids]);
}

/** Removes the rows a content's chunks recorded (its file did not parse cleanly in the end, or the run stopped). */
export async function discardChunkedContent(tx: WriteTx, contentId: number): Promise<void> {
  await tx.run('DELETE FROM file_terms WHERE content_id = $1::INTEGER', [contentId]);
  await tx.run('DELETE FROM term_chunked_contents WHERE content_id = $1::INTEGER', [contentId]);
  // Were this transaction rolled back, the rows are a killed run's, removed by the next sweep.
  underWay(tx.root).delete(contentId);
}

/**
 * Brings contents recorded under older rules up to date from a new parse of their files.
 *
 * Most contents hold the same term ids under every rule: each of their term rows takes the
 * state the current rules give it (every definition, the shown label first), in place, and
 * the keys' content sets (term_key_presence) stay right. A content whose ids changed (an
 * OBO file's bare relation ids, now the ids its typedefs' xrefs or its header give them,
 * TERM_INDEX_RULES 5) is dropped from the index (dropContents) and returned, to be
 * recorded again as a new content.
 */
async function refreshContentsTerms(tx: WriteTx, contents: readonly OutdatedContent[]): Promise<OutdatedContent[]> {
  const ids = contents.map((content) => content.contentId);
  // Staged only when some content has terms: the dictionaries' statements cost their scans
  // even for none. An empty stage still tells a content that lost all its terms.
  const staging = contents.some((content) => content.columns.count > 0);
  if (staging) await stageBatch(tx, contents.map((content) => content.columns));
  const staged = `SELECT ($1::INTEGER[])[s.content_ord + 1] AS content_id, k.term_key
                  FROM term_index_stage s JOIN term_keys k ON k.term = s.term`;
  const held = 'SELECT content_id, term_key FROM file_terms WHERE content_id IN (SELECT unnest($1::INTEGER[]))';
  const changed = new Set((await tx.all<{ content_id: number }>(
    `SELECT DISTINCT content_id FROM ((${staged} EXCEPT ${held}) UNION ALL (${held} EXCEPT ${staged}))`,
    [listValue(ids)],
  )).map((row) => Number(row.content_id)));
  const rekeyed = contents.filter((content) => changed.has(content.contentId));
  if (staging) {
    await tx.run(
      `UPDATE file_terms SET kind = n.kind, label = n.labels[1], labels = n.labels, synonyms = n.synonyms, definition_md5 = n.definition_md5,
              deprecated = n.deprecated, replaced_by = n.replaced_by, consider = n.consider, parents = n.parents,
              state_hash = n.state_hash, history_hash = n.history_hash
       FROM (SELECT *, ${STATE_HASHES} FROM (
               SELECT ($1::INTEGER[])[s.content_ord + 1] AS content_id, ${STAGED_STATE}
               FROM term_index_stage s JOIN term_keys k ON k.term = s.term)) n
       WHERE file_terms.content_id = n.content_id AND file_terms.term_key = n.term_key
         ${changed.size > 0 ? `AND n.content_id NOT IN (${[...changed].join(', ')})` : ''}`,
      [listValue(ids)],
    );
    await tx.run('DELETE FROM term_index_stage');
  }
  if (rekeyed.length > 0) await dropContents(tx, rekeyed.map((content) => content.contentId));
  const kept = ids.filter((id) => !changed.has(id));
  if (kept.length > 0) await tx.run('UPDATE term_index_contents SET rules = $2::INTEGER WHERE content_id IN (SELECT unnest($1::INTEGER[]))', [listValue(kept), TERM_INDEX_RULES]);
  return rekeyed;
}

/**
 * Removes contents from the index: their rows, their record, and their ids from the keys'
 * content sets.
 *
 * A re-read whose ids changed does this, and records the content again at once, in the
 * same transaction; so does a parse that now refuses a content in its own format. Sets
 * stay unchanged (a key that loses a content gets a new set without it, or none when that
 * was its only content), as the kept presence services
 * (term-content-versions.ts) rely on; a key left in no content stays in term_keys (only
 * ever added to) and is found in no version. A read running while such a re-read commits
 * may miss the content's terms once: its kept map is of the state before.
 */
async function dropContents(tx: WriteTx, ids: readonly number[]): Promise<void> {
  const dropped = listValue([...ids]);
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE term_dropped_sets AS
     SELECT presence_id, list_filter(content_ids, id -> NOT list_contains($1::INTEGER[], id)) AS kept, nextval('term_presence_seq') AS new_id
     FROM term_presence_sets
     WHERE list_has_any(content_ids, $1::INTEGER[]) AND presence_id IN (SELECT presence_id FROM term_key_presence)`,
    [dropped],
  );
  await tx.run(
    `INSERT INTO term_presence_sets (presence_id, content_ids, made_from, made_with)
     SELECT new_id, kept, presence_id, NULL FROM temp.term_dropped_sets WHERE len(kept) > 0`,
  );
  await tx.run(
    `UPDATE term_key_presence SET presence_id = d.new_id FROM temp.term_dropped_sets d
     WHERE term_key_presence.presence_id = d.presence_id AND len(d.kept) > 0`,
  );
  await tx.run('DELETE FROM term_key_presence WHERE presence_id IN (SELECT presence_id FROM temp.term_dropped_sets WHERE len(kept) = 0)');
  await tx.run('DROP TABLE temp.term_dropped_sets');
  await tx.run('DELETE FROM file_terms WHERE content_id IN (SELECT unnest($1::INTEGER[]))', [dropped]);
  await tx.run('DELETE FROM term_index_contents WHERE content_id IN (SELECT unnest($1::INTEGER[]))', [dropped]);
}

/**
 * Numbers `count` new contents: consecutive ids, since the one writer is the only user
 * of the sequence and takes them in one statement.
 */
async function newContentIds(tx: WriteTx, count: number): Promise<{ first: number }> {
  const ids = (await tx.all<{ id: number }>("SELECT nextval('term_content_seq') AS id FROM range($1::INTEGER)", [count]))
    .map((row) => Number(row.id)).sort((a, b) => a - b);
  const first = ids[0]!;
  if (ids.some((id, i) => id !== first + i)) throw new Error(`term content ids are not consecutive: ${ids.join(', ')}`);
  return { first };
}

/**
 * The table derived from the batch's file_terms rows (migration 0015): each key's set of
 * contents, grown by the batch's contents that hold it. It depends on the contents alone,
 * so it never goes stale.
 *
 * A key's old set and the batch contents added to it make a new set (made_from is the old
 * set, made_with the batch's last content id); keys with the same old set and the same
 * additions share it. Old sets hold only contents numbered before the batch, so a set's
 * additions are its ids from the batch's first on.
 */
async function recordDerived(tx: WriteTx, first: number, last: number): Promise<void> {
  // Each key's additions once (the three statements below each grouped the batch's rows
  // again), with the key's set before the batch. A batch of one content (a large file,
  // recorded alone) adds the same list to every key: grouping its rows into lists cost
  // about 40 ms of a GO-sized file's last transaction.
  const added = first === last
    ? 'SELECT DISTINCT term_key, [$1::INTEGER] AS added FROM file_terms WHERE content_id = $1::INTEGER'
    : `SELECT term_key, list_sort(list(DISTINCT content_id)) AS added
       FROM file_terms WHERE content_id BETWEEN $1::INTEGER AND $2::INTEGER GROUP BY term_key`;
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE term_batch_added AS
     SELECT b.term_key, b.added, kp.presence_id
     FROM (${added}) b
     LEFT JOIN term_key_presence kp ON kp.term_key = b.term_key`,
    first === last ? [first] : [first, last],
  );
  await tx.run(
    `INSERT INTO term_presence_sets (presence_id, content_ids, made_from, made_with)
     SELECT nextval('term_presence_seq'), list_concat(COALESCE(p.content_ids, []::INTEGER[]), x.added), x.presence_id, $1::INTEGER
     FROM (SELECT DISTINCT presence_id, added FROM temp.term_batch_added) x
     LEFT JOIN term_presence_sets p ON p.presence_id = x.presence_id`,
    [last],
  );
  // The new sets' additions computed apart and joined on both keys at once: joined on the
  // additions first, every key met every set of the batch (2.4M rows for one GO release).
  const madeNow = `(SELECT presence_id, made_from, list_filter(content_ids, id -> id >= $1::INTEGER) AS added
                    FROM term_presence_sets WHERE made_with = $2::INTEGER)`;
  await tx.run(
    `UPDATE term_key_presence SET presence_id = u.presence_id
     FROM (SELECT b.term_key, n.presence_id
           FROM temp.term_batch_added b JOIN ${madeNow} n ON n.made_from = b.presence_id AND n.added = b.added) u
     WHERE term_key_presence.term_key = u.term_key`,
    [first, last],
  );
  await tx.run(
    `INSERT INTO term_key_presence
     SELECT b.term_key, n.presence_id
     FROM temp.term_batch_added b JOIN ${madeNow} n ON n.made_from IS NULL AND n.added = b.added
     WHERE b.presence_id IS NULL`,
    [first, last],
  );
  await tx.run('DROP TABLE temp.term_batch_added');
}

/** Every file of a version with its content hash (what the term recorder plans from). */
export async function versionFileHashes(conn: SqlConnection, versionId: string): Promise<{ relpath: string; format: string; sha256: string }[]> {
  return conn.all('SELECT relpath, format, sha256 FROM extracted_files WHERE version_id = $1::UUID ORDER BY relpath', [versionId]);
}
