/**
 * Plain reference queries over the term index: the obvious SQL, straight from the tables
 * (every term row joined to every file of every version, case folded on the fly, whole
 * states aggregated and compared list by list), with no stored hash, no lower-cased
 * column and no index. The fast queries in electron/catalog/term-index-queries.ts must
 * answer exactly what these answer (term-index-reference.test.ts).
 */
import { listValue } from '@duckdb/node-api';
import type { TermHistory, TermMatch } from '../../electron/shared/contract/terms.js';
import type { SqlConnection } from '../../electron/catalog/sql.js';
import { termIdent } from '../../electron/shared/curie.js';

/**
 * Every search hit, in the documented order (closeness, ident, service), no paging. Text
 * is folded on the fly (lower(), and final sigma as sigma) on both sides; a query that
 * names a term identity its text does not spell (an OBO PURL, `obo:` CURIE or EDAM IRI)
 * matches that identity's keys exactly. A hit is a term in a service where one of its
 * matched keys is, and lists the versions of the service holding any key of the term.
 * With `latest_only`, a label matches only in a service whose latest version's files give
 * the key that label (an id, CURIE or alias matches wherever the key is), and the hit is
 * a term in the service's latest version.
 */
export async function referenceSearch(
  conn: SqlConnection, query: { query: string; match: TermMatch; service?: string; latest_only?: boolean },
): Promise<Record<string, unknown>[]> {
  const asked = query.query.trim();
  const ident = termIdent(asked.replace(/^obo:/, 'http://purl.obolibrary.org/obo/'));
  const fold = (text: string): string => `replace(lower(${text}), 'ς', 'σ')`;
  const test = (column: string): string => (query.match === 'exact' ? `${fold(column)} = ${fold('$q')}`
    : query.match === 'prefix' ? `starts_with(${fold(column)}, ${fold('$q')})` : `contains(${fold(column)}, ${fold('$q')})`);
  const close = (column: string): string => `CASE WHEN ${fold(column)} = ${fold('$q')} THEN 0 WHEN starts_with(${fold(column)}, ${fold('$q')}) THEN 1 ELSE 2 END`;
  return conn.all(
    `WITH cand AS (
       SELECT term_key, 0 AS matched, ${close('term')} AS closeness, NULL AS service FROM term_keys WHERE ${test('term')}
       UNION ALL SELECT term_key, 1, ${close('curie')}, NULL FROM term_keys WHERE curie IS NOT NULL AND ${test('curie')}
       UNION ALL SELECT term_key, CASE WHEN alias THEN 0 ELSE 2 END, ${close('label')}, NULL FROM term_labels WHERE ${test('label')} AND (NOT $latest OR alias)
       UNION ALL SELECT t.term_key, 2, ${close('t.label')}, f.service
         FROM (SELECT content_id, term_key, unnest(labels) AS label FROM file_terms) t
         JOIN term_index_contents c ON c.content_id = t.content_id JOIN extracted_files f ON f.sha256 = c.sha256
         JOIN latest_pointer lp ON lp.slot = f.service AND lp.version_id = f.version_id
         WHERE $latest AND ${test('t.label')}
       UNION ALL SELECT term_key, 0, 0, NULL FROM term_keys WHERE ident = $ident AND $ident <> $q
     ),
     best AS (
       SELECT term_key, service, min(closeness) AS closeness, arg_min(matched, closeness * 3 + matched) AS matched
       FROM (SELECT DISTINCT c.term_key, f.service, c.closeness, c.matched
             FROM cand c JOIN file_terms t ON t.term_key = c.term_key
             JOIN term_index_contents ic ON ic.content_id = t.content_id JOIN extracted_files f ON f.sha256 = ic.sha256
             WHERE c.service IS NULL OR c.service = f.service)
       GROUP BY term_key, service
     ),
     found AS (
       SELECT k.ident, b.service, min(b.closeness) AS closeness, min(b.matched) AS matched
       FROM best b JOIN term_keys k ON k.term_key = b.term_key
       WHERE ($service IS NULL OR b.service = $service)
       GROUP BY k.ident, b.service
     ),
     present AS (
       SELECT k.ident, k.term, k.curie, f.service, f.version_id, t.label, t.kind, t.deprecated, h.closeness, h.matched
       FROM found h JOIN term_keys k ON k.ident = h.ident JOIN file_terms t ON t.term_key = k.term_key
       JOIN term_index_contents c ON c.content_id = t.content_id JOIN extracted_files f ON f.sha256 = c.sha256 AND f.service = h.service
     ),
     per_version AS (
       SELECT p.ident, p.service, p.version_id, r.version, r.release_rank, (lp.version_id IS NOT NULL) AS is_latest,
              list_distinct(list(p.term)) AS ids, min(p.curie) AS curie, min(p.label) AS label, min(p.kind) AS kind,
              bool_or(p.deprecated) AS deprecated, min(p.closeness) AS closeness, min(p.matched) AS matched
       FROM present p JOIN v_release_order r ON r.version_id = p.version_id
       LEFT JOIN latest_pointer lp ON lp.slot = p.service AND lp.version_id = p.version_id
       GROUP BY p.ident, p.service, p.version_id, r.version, r.release_rank, lp.version_id
     )
     SELECT ident, service, list_sort(list_distinct(flatten(list(ids)))) AS ids, min(curie) AS curie,
            arg_max(label, release_rank) AS label, arg_max(kind, release_rank) AS kind,
            ['id', 'curie', 'label'][min(matched) + 1] AS matched_on,
            list(version ORDER BY release_rank) AS versions, count(*) AS version_count,
            arg_min(version, release_rank) AS first_version, arg_max(version, release_rank) AS last_version,
            bool_or(is_latest) AS in_latest, arg_max(deprecated, release_rank) AS deprecated_in_last
     FROM per_version GROUP BY ident, service
     HAVING NOT $latest OR bool_or(is_latest)
     ORDER BY min(closeness), ident, service`,
    { q: asked, ident, service: query.service ?? null, latest: query.latest_only ?? false },
  );
}

/** A version's state of every term over its indexed files (less `skip` paths), aggregated in full. */
function statesSql(version: string, skip: string): string {
  return `SELECT k.ident, min(t.kind) AS kind,
                 list_sort(list_distinct(flatten(list(t.labels)))) AS labels, min(t.label) AS label,
                 min(t.definition_md5) AS definition_md5, bool_or(t.deprecated) AS deprecated,
                 list_sort(list_distinct(flatten(list(t.parents)))) AS parents,
                 list_sort(list_distinct(flatten(list(t.replaced_by)))) AS replaced_by
          FROM extracted_files f JOIN term_index_contents c ON c.sha256 = f.sha256
          JOIN file_terms t ON t.content_id = c.content_id JOIN term_keys k ON k.term_key = t.term_key
          WHERE f.version_id = ${version}::UUID AND NOT list_contains(string_split(${skip}, chr(31)), f.relpath)
          GROUP BY k.ident`;
}

const changesSql = `
  WITH a AS (${statesSql('$a', '$skip_a')}), b AS (${statesSql('$b', '$skip_b')}),
  j AS (
    SELECT COALESCE(a.ident, b.ident) AS ident, COALESCE(b.kind, a.kind) AS kind, a.kind AS a_kind, b.kind AS b_kind, a.ident IS NOT NULL AS in_a, b.ident IS NOT NULL AS in_b,
           a.labels AS a_labels, b.labels AS b_labels, COALESCE(b.label, a.label) AS label, a.definition_md5 AS a_def, b.definition_md5 AS b_def,
           a.parents AS a_parents, b.parents AS b_parents, a.deprecated AS a_dep, b.deprecated AS b_dep, a.replaced_by AS a_repl, b.replaced_by AS b_repl
    FROM a FULL OUTER JOIN b ON a.ident = b.ident
  ),
  changes AS (
    SELECT 'ADDED' AS change, * FROM j WHERE NOT in_a
    UNION ALL SELECT 'REMOVED', * FROM j WHERE NOT in_b
    UNION ALL SELECT 'RELABELLED', * FROM j WHERE in_a AND in_b AND a_labels <> b_labels
    UNION ALL SELECT 'REDEFINED', * FROM j WHERE in_a AND in_b AND a_def IS DISTINCT FROM b_def
    UNION ALL SELECT 'REPARENTED', * FROM j WHERE in_a AND in_b AND a_parents <> b_parents
    UNION ALL SELECT 'RETYPED', * FROM j WHERE in_a AND in_b AND a_kind <> b_kind
    UNION ALL SELECT 'DEPRECATED', * FROM j WHERE in_a AND in_b AND b_dep AND NOT a_dep
    UNION ALL SELECT 'UNDEPRECATED', * FROM j WHERE in_a AND in_b AND a_dep AND NOT b_dep
    UNION ALL SELECT 'REPLACED', * FROM j WHERE in_a AND in_b AND a_dep AND len(b_repl) > 0 AND a_repl <> b_repl
  )`;

/**
 * The definitions of `x` (a chr(31)-joined term_definitions text) that `y` lacks, in `x`'s
 * order, ' | '-joined; NULL for none.
 */
const definitionsOnlyIn = (x: string, y: string): string => `(
  SELECT string_agg(d, ' | ' ORDER BY o) FROM (
    SELECT unnest(string_split(${x}.definition, chr(31))) AS d, generate_subscripts(string_split(${x}.definition, chr(31)), 1) AS o)
  WHERE d NOT IN (SELECT unnest(string_split(COALESCE(${y}.definition, ''), chr(31)))) OR ${y}.definition IS NULL)`;

/** Every term change of a version pair (as the delta's change rows show them), ordered by kind then ident. */
export async function referenceDelta(conn: SqlConnection, aId: string, bId: string, skipA: readonly string[] = [], skipB: readonly string[] = []): Promise<Record<string, unknown>[]> {
  return conn.all(
    `${changesSql}
     SELECT c.change, c.ident, c.kind, c.label,
            NULLIF(array_to_string(c.a_labels, ' | '), '') AS old_label, NULLIF(array_to_string(c.b_labels, ' | '), '') AS new_label,
            CASE c.change WHEN 'REDEFINED' THEN ${definitionsOnlyIn('da', 'db')} WHEN 'REPARENTED' THEN NULLIF(array_to_string(c.a_parents, ', '), '') WHEN 'RETYPED' THEN c.a_kind WHEN 'REPLACED' THEN NULLIF(array_to_string(c.a_repl, ', '), '')
                          WHEN 'RELABELLED' THEN (SELECT string_agg(l, ' | ' ORDER BY l) FROM unnest(c.a_labels) u(l) WHERE NOT list_contains(c.b_labels, l)) END AS before,
            CASE c.change WHEN 'REDEFINED' THEN ${definitionsOnlyIn('db', 'da')} WHEN 'REPARENTED' THEN NULLIF(array_to_string(c.b_parents, ', '), '') WHEN 'RETYPED' THEN c.b_kind
                          WHEN 'DEPRECATED' THEN NULLIF(array_to_string(c.b_repl, ', '), '') WHEN 'REPLACED' THEN NULLIF(array_to_string(c.b_repl, ', '), '')
                          WHEN 'RELABELLED' THEN (SELECT string_agg(l, ' | ' ORDER BY l) FROM unnest(c.b_labels) u(l) WHERE NOT list_contains(c.a_labels, l)) END AS after
     FROM changes c
     LEFT JOIN term_definitions da ON c.change = 'REDEFINED' AND da.definition_md5 = c.a_def
     LEFT JOIN term_definitions db ON c.change = 'REDEFINED' AND db.definition_md5 = c.b_def
     ORDER BY CASE c.change WHEN 'ADDED' THEN 0 WHEN 'REMOVED' THEN 1 WHEN 'RELABELLED' THEN 2 WHEN 'REDEFINED' THEN 3 WHEN 'REPARENTED' THEN 4 WHEN 'RETYPED' THEN 5 WHEN 'DEPRECATED' THEN 6 WHEN 'UNDEPRECATED' THEN 7 ELSE 8 END, c.ident`,
    { a: aId, b: bId, skip_a: skipA.join('\u001f'), skip_b: skipB.join('\u001f') },
  );
}

/** The number of terms of each version (less `skip` paths): what old_terms / new_terms must be. */
export async function referenceTermCounts(conn: SqlConnection, aId: string, bId: string, skipA: readonly string[] = [], skipB: readonly string[] = []): Promise<{ old_terms: number; new_terms: number }> {
  const row = await conn.one<{ old_terms: number; new_terms: number }>(
    `SELECT (SELECT count(*) FROM (${statesSql('$a', '$skip_a')})) AS old_terms, (SELECT count(*) FROM (${statesSql('$b', '$skip_b')})) AS new_terms`,
    { a: aId, b: bId, skip_a: skipA.join('\u001f'), skip_b: skipB.join('\u001f') },
  );
  return { old_terms: Number(row!.old_terms), new_terms: Number(row!.new_terms) };
}

/** A history's present states as `referenceHistory` gives them (service, release order). */
export function presentStates(history: TermHistory): Record<string, unknown>[] {
  return history.timelines.flatMap((timeline) => timeline.versions.filter((state) => state.present).map((state) => ({
    service: timeline.service, version: state.version, release_rank: state.release_rank, label: state.label, labels: state.labels, synonyms: state.synonyms,
    definition: state.definition, definitions: state.definitions, deprecated: state.deprecated, parents: state.parents, replaced_by: state.replaced_by,
    consider: state.consider, files: state.files,
  })));
}

/** One term's state in each version that holds it (over every file of the version), by service and release order. */
export async function referenceHistory(conn: SqlConnection, idents: readonly string[]): Promise<Record<string, unknown>[]> {
  return conn.all(
    `SELECT s.service, s.version, s.release_rank, s.label, s.labels, s.synonyms, string_split(d.definition, chr(31))[1] AS definition,
            COALESCE(string_split(d.definition, chr(31)), []) AS definitions, s.deprecated, s.parents, s.replaced_by, s.consider, s.files
     FROM (
       SELECT f.service, r.version, r.release_rank, min(t.label) AS label,
              list_sort(list_distinct(flatten(list(t.labels)))) AS labels,
              list_sort(list_distinct(flatten(list(t.synonyms)))) AS synonyms,
              min(t.definition_md5) AS definition_md5,
              bool_or(t.deprecated) AS deprecated,
              list_sort(list_distinct(flatten(list(t.parents)))) AS parents,
              list_sort(list_distinct(flatten(list(t.replaced_by)))) AS replaced_by,
              list_sort(list_distinct(flatten(list(t.consider)))) AS consider,
              list_sort(list_distinct(list(f.relpath))) AS files
       FROM term_keys k JOIN file_terms t ON t.term_key = k.term_key
       JOIN term_index_contents c ON c.content_id = t.content_id JOIN extracted_files f ON f.sha256 = c.sha256
       JOIN v_release_order r ON r.version_id = f.version_id
       WHERE k.ident IN (SELECT unnest($idents::VARCHAR[]))
       GROUP BY f.service, r.version, r.release_rank
     ) s LEFT JOIN term_definitions d ON d.definition_md5 = s.definition_md5
     ORDER BY s.service, s.release_rank`,
    { idents: listValue([...idents]) },
  );
}
