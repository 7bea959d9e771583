/**
 * The SQL of the file-level delta, as CTEs the delta queries build on.
 *
 * Semantics are those of the `version_delta` macro (migrations/0003_file_delta.sql): each
 * path gets one row, UNCHANGED / MODIFIED by path, RENAMED for an exact-content move paired
 * per sha256 in path order (no pairing for a split, the surplus of a collapse stays
 * REMOVED, a case-only move is a rename), then a version-named file MODIFIED under its new
 * name (EDAM_1.1.obo to EDAM_1.2.obo: delta_named_pairs, migration 0035), the rest REMOVED /
 * ADDED; a change is located at its path in B when it has one. The macro stays as the documented SQL interface; these
 * CTEs are how the app computes the same rows fast:
 *   * one full join of both versions by path, materialised once, carrying the integer
 *     content keys (the whole sha256 as four UBIGINTs) instead of the hash string;
 *   * rename pairing runs once, over the few paths that join left unmatched;
 *   * counts of UNCHANGED and MODIFIED come straight from the join, grouped, so the
 *     hundreds of thousands of unchanged rows are never copied into a change list;
 *   * hashes shown to the user are printed from the content keys for the rows read.
 * Scoped to a folder, the join reads only the folder's paths, while renames still pair
 * across the whole version: the unmatched paths' hashes select every file of either
 * version with that content, and those pair exactly as an unscoped delta would, so a file
 * moved into or out of the folder is RENAMED, not ADDED or REMOVED. Both kinds of move are
 * part of the folder's delta (the macro keeps only moves located in the folder, which
 * loses the files that left): a change belongs to the folder when either of its paths is
 * in it, and the folder's before and after totals count each side only where that side's
 * path is in the folder, so they equal the folder's real contents in each version.
 * test/integration/delta/delta-equivalence.test.ts holds these CTEs and the macros to the
 * same rows on random version pairs.
 */

import { CHANGE_KINDS } from '../shared/delta-kinds.js';

const sideColumns = 'file_id, relpath, size_bytes, format, content_key, content_key_2, content_key_3, content_key_4';

/** Where a delta reads: the whole versions, or only paths under `$folder`. */
export interface DeltaScope {
  /** True when `$folder` is a non-empty folder (the SQL then uses the parameter). */
  readonly scoped: boolean;
}

const inFolder = (path: string): string => `starts_with(${path}, $folder || '/')`;

function side(version: '$a' | '$b', scope: DeltaScope): string {
  return `SELECT ${sideColumns} FROM extracted_files WHERE version_id = ${version}::UUID${scope.scoped ? ` AND ${inFolder('relpath')}` : ''}`;
}

/** Keys equal on all four integers (NULL when either side is missing). */
const sameContent = (x: string, y: string): string =>
  `(${x}.content_key = ${y}.content_key AND ${x}.content_key_2 = ${y}.content_key_2 AND ${x}.content_key_3 = ${y}.content_key_3 AND ${x}.content_key_4 = ${y}.content_key_4)`;

/**
 * The paths of both versions joined, unmatched paths of either side, and their rename pairing.
 *
 * Defines `delta_join` (one row per path: both sides' ids, sizes, formats, keys a1..a4 and
 * b1..b4, and `same`, NULL when a side is missing) and `delta_pairs` (gone and new paths,
 * paired as renames where the rules allow, else one side NULL). A pair row says which of
 * its paths are in scope (`old_in`, `new_in`; when scoped, rows with neither are left out)
 * and where it sits in the scope (`at_path`: the new path when in scope, else the old one).
 */
export function deltaPairCtes(scope: DeltaScope): string {
  const gone = scope.scoped
    ? `delta_loose AS (
         SELECT a1 AS k1, a2 AS k2, a3 AS k3, a4 AS k4 FROM delta_join WHERE new_file_id IS NULL
         UNION SELECT b1, b2, b3, b4 FROM delta_join WHERE old_file_id IS NULL
       ),
       delta_content_a AS MATERIALIZED (
         SELECT f.file_id, f.relpath, f.size_bytes AS size, f.format, f.content_key AS k1, f.content_key_2 AS k2, f.content_key_3 AS k3, f.content_key_4 AS k4
         FROM extracted_files f SEMI JOIN delta_loose l
           ON f.content_key = l.k1 AND f.content_key_2 = l.k2 AND f.content_key_3 = l.k3 AND f.content_key_4 = l.k4
         WHERE f.version_id = $a::UUID
       ),
       delta_content_b AS MATERIALIZED (
         SELECT f.file_id, f.relpath, f.size_bytes AS size, f.format, f.content_key AS k1, f.content_key_2 AS k2, f.content_key_3 AS k3, f.content_key_4 AS k4
         FROM extracted_files f SEMI JOIN delta_loose l
           ON f.content_key = l.k1 AND f.content_key_2 = l.k2 AND f.content_key_3 = l.k3 AND f.content_key_4 = l.k4
         WHERE f.version_id = $b::UUID
       ),
       delta_gone AS (
         SELECT * FROM delta_content_a WHERE relpath NOT IN (
           SELECT relpath FROM extracted_files WHERE version_id = $b::UUID AND relpath IN (SELECT relpath FROM delta_content_a))
       ),
       delta_came AS (
         SELECT * FROM delta_content_b WHERE relpath NOT IN (
           SELECT relpath FROM extracted_files WHERE version_id = $a::UUID AND relpath IN (SELECT relpath FROM delta_content_b))
       ),`
    : `delta_gone AS (
         SELECT relpath, old_file_id AS file_id, old_size AS size, old_format AS format, a1 AS k1, a2 AS k2, a3 AS k3, a4 AS k4
         FROM delta_join WHERE new_file_id IS NULL
       ),
       delta_came AS (
         SELECT relpath, new_file_id AS file_id, new_size AS size, new_format AS format, b1 AS k1, b2 AS k2, b3 AS k3, b4 AS k4
         FROM delta_join WHERE old_file_id IS NULL
       ),`;
  // A side's path is in scope when it exists (and, scoped, lies under the folder).
  const inScope = (path: string): string => (scope.scoped ? `COALESCE(${inFolder(path)}, false)` : `${path} IS NOT NULL`);
  const numbered = (rows: string): string => `(SELECT *, row_number() OVER (PARTITION BY k1, k2, k3, k4 ORDER BY relpath) AS rn,
           count(*) OVER (PARTITION BY k1, k2, k3, k4) AS n FROM ${rows})`;
  const pairColumns = `old_relpath, old_file_id, old_size, old_format, a1, a2, a3, a4,
               new_relpath, new_file_id, new_size, new_format, b1, b2, b3, b4`;
  return `delta_join AS MATERIALIZED (
      SELECT relpath, fa.file_id AS old_file_id, fb.file_id AS new_file_id, fa.size_bytes AS old_size, fb.size_bytes AS new_size,
             fa.format AS old_format, fb.format AS new_format,
             fa.content_key AS a1, fa.content_key_2 AS a2, fa.content_key_3 AS a3, fa.content_key_4 AS a4,
             fb.content_key AS b1, fb.content_key_2 AS b2, fb.content_key_3 AS b3, fb.content_key_4 AS b4,
             ${sameContent('fa', 'fb')} AS same
      FROM (${side('$a', scope)}) fa FULL JOIN (${side('$b', scope)}) fb USING (relpath)
    ),
    ${gone}
    delta_content_pairs AS MATERIALIZED (
      SELECT g.relpath AS old_relpath, g.file_id AS old_file_id, g.size AS old_size, g.format AS old_format,
             g.k1 AS a1, g.k2 AS a2, g.k3 AS a3, g.k4 AS a4,
             c.relpath AS new_relpath, c.file_id AS new_file_id, c.size AS new_size, c.format AS new_format,
             c.k1 AS b1, c.k2 AS b2, c.k3 AS b3, c.k4 AS b4
      FROM ${numbered('delta_gone')} g FULL JOIN ${numbered('delta_came')} c
        ON c.k1 = g.k1 AND c.k2 = g.k2 AND c.k3 = g.k3 AND c.k4 = g.k4 AND c.rn = g.rn AND c.n <= g.n
    ),
    ${versionNamedPairCtes(scope)},
    delta_pairs AS MATERIALIZED (
      SELECT *, CASE WHEN new_in THEN new_relpath ELSE old_relpath END AS at_path
      FROM (
        SELECT *, ${inScope('old_relpath')} AS old_in, ${inScope('new_relpath')} AS new_in
        FROM (
          SELECT ${pairColumns} FROM delta_content_pairs
          WHERE COALESCE(old_file_id NOT IN (SELECT old_file_id FROM delta_named_pairs), true)
            AND COALESCE(new_file_id NOT IN (SELECT new_file_id FROM delta_named_pairs), true)
          UNION ALL
          SELECT ${pairColumns} FROM delta_named_pairs
        )
      )
      ${scope.scoped ? 'WHERE old_in OR new_in' : ''}
    )`;
}

/**
 * `delta_named_pairs`: a removed and an added file whose paths differ only by the version
 * each names (EDAM_1.1.obo and EDAM_1.2.obo; edam-1.25/EDAM.owl and edam-1.26/EDAM.owl),
 * paired as one MODIFIED file.
 *
 * Releases named by their version made every file of a delta REMOVED and ADDED, and every
 * finding of B NEW beside A's GONE. A file takes part only when its path holds its
 * version's string (version_named_path, migration 0035), no file of the other version has
 * its path or its content (content moves pair as renames first, in every scope alike), and
 * its named path is its version's only one: anything ambiguous stays REMOVED and ADDED.
 * Candidates come from the whole versions, cut first by a substring test, so a delta
 * scoped to a folder pairs a file with its counterpart outside, as renames do.
 */
function versionNamedPairCtes(scope: DeltaScope): string {
  const versionOf = (own: '$a' | '$b'): string => `(SELECT version FROM versions WHERE version_id = ${own}::UUID)`;
  // What every path naming the version holds (the version without a leading v): a cheap first cut.
  const bareVersion = (own: '$a' | '$b'): string => `ltrim(${versionOf(own)}, 'vV')`;
  // A side's files whose path the other version lacks: unscoped, the rename pairing's
  // leftovers (a few rows); scoped, the whole version's, cut first by a substring test.
  const loose = (own: '$a' | '$b', other: '$a' | '$b'): string => (scope.scoped
    ? `SELECT e.file_id, e.relpath, e.size_bytes AS size, e.format,
              e.content_key AS k1, e.content_key_2 AS k2, e.content_key_3 AS k3, e.content_key_4 AS k4
       FROM extracted_files e
       WHERE e.version_id = ${own}::UUID AND contains(e.relpath, ${bareVersion(own)})
         AND e.relpath NOT IN (SELECT o.relpath FROM extracted_files o WHERE o.version_id = ${other}::UUID
                                 AND contains(o.relpath, ${bareVersion(own)}))`
    : own === '$a'
      ? 'SELECT old_file_id AS file_id, old_relpath AS relpath, old_size AS size, old_format AS format, a1 AS k1, a2 AS k2, a3 AS k3, a4 AS k4 FROM delta_content_pairs WHERE new_file_id IS NULL'
      : 'SELECT new_file_id AS file_id, new_relpath AS relpath, new_size AS size, new_format AS format, b1 AS k1, b2 AS k2, b3 AS k3, b4 AS k4 FROM delta_content_pairs WHERE old_file_id IS NULL');
  const candidates = (own: '$a' | '$b', other: '$a' | '$b', name: string): string => `${name} AS MATERIALIZED (
      SELECT * FROM (
        SELECT l.*, version_named_path(l.relpath, ${versionOf(own)}) AS named
        FROM (${loose(own, other)}) l
        WHERE contains(l.relpath, ${bareVersion(own)}))
      WHERE named <> relpath
    )`;
  // Named once on its side, and its content nowhere in the other version (checked only
  // against the other's files with a candidate's first key).
  const alone = (name: string, other: '$a' | '$b'): string => `(
      SELECT *, count(*) OVER (PARTITION BY named) AS n FROM ${name} f
      WHERE NOT EXISTS (SELECT 1 FROM extracted_files o
                        WHERE o.version_id = ${other}::UUID AND o.content_key IN (SELECT k1 FROM ${name})
                          AND o.content_key = f.k1 AND o.content_key_2 = f.k2 AND o.content_key_3 = f.k3 AND o.content_key_4 = f.k4)
    )`;
  return `${candidates('$a', '$b', 'delta_named_a')},
    ${candidates('$b', '$a', 'delta_named_b')},
    delta_named_pairs AS MATERIALIZED (
      SELECT g.relpath AS old_relpath, g.file_id AS old_file_id, g.size AS old_size, g.format AS old_format,
             g.k1 AS a1, g.k2 AS a2, g.k3 AS a3, g.k4 AS a4,
             c.relpath AS new_relpath, c.file_id AS new_file_id, c.size AS new_size, c.format AS new_format,
             c.k1 AS b1, c.k2 AS b2, c.k3 AS b3, c.k4 AS b4
      FROM ${alone('delta_named_a', '$b')} g JOIN ${alone('delta_named_b', '$a')} c ON c.named = g.named AND g.n = 1 AND c.n = 1
    )`;
}

/** A pair's kind: one side alone, the same content moved (RENAMED), or a version-named file changed (MODIFIED). */
const pairKind = `CASE WHEN old_file_id IS NULL THEN 'ADDED' WHEN new_file_id IS NULL THEN 'REMOVED'
                       WHEN a1 = b1 AND a2 = b2 AND a3 = b3 AND a4 = b4 THEN 'RENAMED' ELSE 'MODIFIED' END`;
const keyColumns = 'a1, a2, a3, a4, b1, b2, b3, b4';

/**
 * `delta_changes`: one row per change (and per unchanged path when `unchanged`), with its
 * location `relpath`, both paths, ids, sizes, formats and content keys. Needs `deltaPairCtes`.
 */
export function deltaChangesCte(unchanged: boolean): string {
  return `delta_changes AS (
      SELECT ${pairKind} AS kind, COALESCE(new_relpath, old_relpath) AS relpath, old_relpath, new_relpath,
             old_file_id, new_file_id, old_size, new_size, old_format, new_format, ${keyColumns}
      FROM delta_pairs
      UNION ALL
      SELECT CASE WHEN same THEN 'UNCHANGED' ELSE 'MODIFIED' END, relpath, relpath, relpath,
             old_file_id, new_file_id, old_size, new_size, old_format, new_format, ${keyColumns}
      FROM delta_join WHERE ${unchanged ? 'same IS NOT NULL' : 'NOT same'}
    )`;
}

/**
 * `delta_totals`: files and bytes of each kind per group (`groups`: SQL expressions over a
 * row's location in scope and its format, named in `names`). Paths found on both sides are
 * counted from the join without listing them. A row carries `files` (changes), `kind_bytes`
 * (new size, REMOVED's old size) and, for the before/after totals, `files_from`/`bytes_from`
 * and `files_to`/`bytes_to` counted only for a side whose path is in scope; `departure`
 * marks the rows described next.
 *
 * Each side is counted in its own group: a file whose old path or format falls in another
 * group than its new one (moved to another folder, or read as another format) leaves its
 * before side in the old group, on a departure row, so every group's before total is what
 * that group held in A. `departures` says what else a departure row counts: `'sides'` only
 * the before side (files 0: each change counted once, as per-format totals add up to the
 * summary), `'changes'` the change too (files 1: a folder a file moved out of shows the move,
 * as opening it does). `departs` narrows which moves between groups leave a departure row
 * (given the SQL of "the groups differ"); the rest keep both sides on the change's row.
 * Needs `deltaPairCtes`.
 */
export function deltaTotalsCte(
  groups: (path: string, format: string) => readonly string[],
  names: readonly string[],
  departures: 'sides' | 'changes' = 'sides',
  departs: (moved: string) => string = (moved) => moved,
): string {
  const cols = (path: string, format: string, suffix = ''): string => groups(path, format).map((expr, i) => `${expr} AS ${names[i]}${suffix}`).join(', ');
  const moved = departs(`row(${groups('old_relpath', 'old_format').join(', ')}) IS DISTINCT FROM row(${groups('at_path', 'COALESCE(new_format, old_format)').join(', ')})`);
  const counted = departures === 'changes';
  // A path on both sides changes group only when the groups read its format (a folder
  // tree's do not): only then are the join's groups split by the old side's too.
  const byFormat = groups('p', 'old_format').join() !== groups('p', 'new_format').join();
  const was = names.map((name) => `${name}_was`);
  const regrouped = byFormat ? `row(${names.join(', ')}) IS DISTINCT FROM row(${was.join(', ')})` : 'false';
  // The join is grouped once, with no WHERE and the matched groups kept by HAVING (a WHERE
  // here would be pushed into the join's materialisation as one more filter over every
  // row); its few groups then give the rows of each side.
  return `delta_joined AS ${byFormat ? "MATERIALIZED " : ""}(
      SELECT *, ${regrouped} AS regrouped
      FROM (SELECT ${cols('relpath', 'new_format')}${byFormat ? `, ${cols('relpath', 'old_format', '_was')}` : ''}, same,
                   count(*) AS files, sum(old_size) AS bytes_from, sum(new_size) AS bytes_to
            FROM delta_join GROUP BY ALL HAVING count(same) > 0)
    ),
    delta_totals AS (
      SELECT ${names.join(', ')}, CASE WHEN same THEN 'UNCHANGED' ELSE 'MODIFIED' END AS kind,
             NULL::VARCHAR AS old_relpath, NULL::VARCHAR AS new_relpath,
             files, CASE WHEN regrouped THEN 0 ELSE files END AS files_from, files AS files_to,
             CASE WHEN regrouped THEN 0 ELSE bytes_from END AS bytes_from, bytes_to, bytes_to AS kind_bytes, false AS departure
      FROM delta_joined
      ${byFormat ? `UNION ALL
      SELECT ${was.map((name, i) => `${name} AS ${names[i]}`).join(', ')}, CASE WHEN same THEN 'UNCHANGED' ELSE 'MODIFIED' END, NULL, NULL,
             0, files, 0, bytes_from, 0, 0, true
      FROM delta_joined WHERE regrouped` : ''}
      UNION ALL
      SELECT ${cols('at_path', 'COALESCE(new_format, old_format)')}, ${pairKind}, old_relpath, new_relpath,
             1, (old_in AND NOT departed)::BIGINT, new_in::BIGINT, CASE WHEN old_in AND NOT departed THEN old_size END,
             CASE WHEN new_in THEN new_size END, COALESCE(new_size, old_size), false
      FROM (SELECT *, old_in AND ${moved} AS departed FROM delta_pairs)
      UNION ALL
      SELECT ${cols('old_relpath', 'old_format')}, ${pairKind}, old_relpath, new_relpath,
             ${counted ? 1 : 0}, 1, 0, old_size, 0, ${counted ? 'old_size' : 0}, true
      FROM delta_pairs WHERE old_in AND ${moved}
    )`;
}

/**
 * Files and bytes of each kind (`added_files`, `added_bytes`, …) summed over `delta_totals`
 * rows; bytes are new sizes, REMOVED's the old size.
 */
export const kindCountColumns = CHANGE_KINDS.map((kind) => {
  const name = kind.toLowerCase();
  return `COALESCE(sum(files) FILTER (WHERE kind = '${kind}'), 0)::BIGINT AS ${name}_files,
          COALESCE(sum(kind_bytes) FILTER (WHERE kind = '${kind}'), 0)::BIGINT AS ${name}_bytes`;
}).join(',\n          ');

/** SQL for a sha256 printed back from its four content keys (lower-case hex, as stored). */
export const shaFromKeys = (k1: string, k2: string, k3: string, k4: string): string =>
  `printf('%016x%016x%016x%016x', ${k1}, ${k2}, ${k3}, ${k4})`;
