/**
 * Validation results already in the catalog for the same content, by content hash.
 *
 * A file whose sha256 and format match a file of another version that was validated by
 * the same validator version gets that file's results instead of a new parse; the rows
 * are the ones the parse produced (syntax, notices, quality), not the per-version
 * checks the validate run adds itself (storage, format mismatch). The findings never
 * leave DuckDB: a reused file's rows are copied from its source's inside the write
 * transaction, with the ids a parse of the target would give them.
 */
import { OntocatError } from '../shared/errors.js';
import type { VersionRef } from '../shared/version-ref.js';
import { listValue } from './duckdb.js';
import { fileIdSql } from './ids.js';
import type { WriteTx } from './open-catalog.js';
import type { SqlConnection } from './sql.js';
import { recordedValidatorVersionSql } from './validation-queries.js';
import { requireVersionId } from './version-queries.js';

/** A file of the version being validated whose findings can be copied from another version's file with the same content. */
export interface ReusableSource {
  readonly target_relpath: string;
  readonly source_file_id: string;
  /** What the source's syntax check counted (its details), if it counted. */
  readonly triples: number | null;
  readonly terms: number | null;
  /**
   * Why the source's parse gave no terms to index, as its first failing `syntax` or
   * `remote-context` row says; null when it parsed. The term index records this verdict
   * for a reused content, as the parse would have.
   */
  readonly problem: string | null;
}

/** The reused files of one validation run, as `copyReusedFindings` takes them. */
export interface ReusedFiles {
  readonly relpaths: readonly string[];
  readonly sources: readonly string[];
  /** The rules the run makes itself, left out of the copy. */
  readonly skipRules: readonly string[];
  readonly validatorVersion: number;
}

/**
 * The findings of the sources named by `pairs` (a relation of `target_relpath`,
 * `source_file_id`) that a reuse copies, each with the subject its id is made from.
 *
 * A parse numbers a second finding of one rule on one subject `subject#2`, a third
 * `subject#3`, in the order found (`stagedFindingLines`); the source's rows are in that
 * order (`rowid`), so the n-th finding of a subject gets the same name here. `$skip` are
 * the rules left out.
 */
function copiedFindingsSql(pairs: string): string {
  return `SELECT *, CASE WHEN n = 1 THEN COALESCE(subject, '') ELSE COALESCE(subject, '') || '#' || n END AS id_subject
          FROM (SELECT p.target_relpath, p.source_file_id, v.rowid AS source_row, v.validator, v.rule, v.severity, v.passed,
                       v.message, v.line, v.col, v.subject, v.details_json,
                       row_number() OVER (PARTITION BY p.target_relpath, v.validator, v.rule, COALESCE(v.subject, '') ORDER BY v.rowid) AS n
                FROM ${pairs} p JOIN validations v ON v.file_id = p.source_file_id
                WHERE v.validator <> 'storage' AND NOT list_contains($skip::VARCHAR[], v.rule))`;
}

/**
 * For each file of `ref` whose content was validated elsewhere with `validatorVersion`,
 * one such source file, whose bytes on disk were its content then (no storage finding).
 * A source at the same path is preferred (its relative IRIs resolved
 * against the same base), then the first by file id so the choice is stable. A source at
 * another path whose findings name a file IRI is no source (they were resolved against its
 * own path), nor one whose findings a parse would number otherwise (a literal subject
 * `x#2` beside two findings on `x`): such a file is parsed again. `skipRules` are the
 * checks the run makes itself.
 */
export async function reusableSources(
  conn: SqlConnection,
  ref: VersionRef,
  validatorVersion: number,
  skipRules: readonly string[],
  decidingExtensions: readonly string[],
): Promise<ReusableSource[]> {
  // Same bytes, same format, and both named with an extension that decides it (or both
  // not): a format its content decided is tried in wider syntaxes when it fails.
  const decided = (relpath: string): string =>
    `list_contains($deciding, lower(regexp_extract(${relpath}, '[^/][.]([^./]+)$', 1)))`;
  const id = await requireVersionId(conn, ref);
  return conn.all<ReusableSource>(
    `WITH target AS (SELECT relpath, format, sha256 FROM extracted_files WHERE version_id = $vid),
     ranked AS (
       SELECT t.relpath AS target_relpath, f.relpath AS source_relpath, f.file_id AS source_file_id,
              row_number() OVER (PARTITION BY t.relpath ORDER BY (f.relpath = t.relpath) DESC, f.file_id) AS rank
       FROM target t
       JOIN extracted_files f ON f.sha256 = t.sha256 AND f.format = t.format AND f.version_id <> $vid
         AND ${decided('f.relpath')} = ${decided('t.relpath')}
       WHERE EXISTS (
         SELECT 1 FROM validations s
         WHERE s.file_id = f.file_id AND s.rule = 'syntax'
           AND ${recordedValidatorVersionSql('s.details_json')} = $validator_version
       )
         -- A file whose bytes on disk were not its content (a storage finding) was parsed as
         -- it was on disk: what it found is not the content's.
         AND NOT EXISTS (SELECT 1 FROM validations m WHERE m.file_id = f.file_id AND m.validator = 'storage')
     ),
     chosen AS (SELECT * FROM ranked WHERE rank = 1),
     copied AS (${copiedFindingsSql('chosen')})
     SELECT c.target_relpath, c.source_file_id::VARCHAR AS source_file_id,
            TRY_CAST(json_extract(arg_min(f.details_json, f.source_row) FILTER (WHERE f.rule = 'syntax'), '$.triples') AS BIGINT) AS triples,
            TRY_CAST(json_extract(arg_min(f.details_json, f.source_row) FILTER (WHERE f.rule = 'syntax'), '$.terms') AS BIGINT) AS terms,
            arg_min(COALESCE(f.message, 'The file did not parse cleanly.'), f.source_row)
              FILTER (WHERE f.rule IN ('syntax', 'remote-context') AND NOT f.passed) AS problem
     FROM chosen c JOIN copied f USING (target_relpath)
     GROUP BY c.target_relpath, c.source_file_id, c.source_relpath
     HAVING (c.source_relpath = c.target_relpath
             OR NOT bool_or(contains(COALESCE(f.subject, '') || COALESCE(f.message, '') || COALESCE(f.details_json, ''), 'file:///')))
        AND count(DISTINCT (f.validator, f.rule, f.id_subject)) = count(*)
     ORDER BY c.target_relpath`,
    { vid: id, validator_version: validatorVersion, skip: listValue([...skipRules]), deciding: listValue([...decidingExtensions]) },
  );
}

/**
 * Copies the findings of each reused file's source into the version `vid` being recorded,
 * as rows of the target file with the ids a parse of it would give, stamped `runAt`.
 *
 * The sources are checked again first, in this transaction: one whose syntax row of the
 * run's validator version has gone since it was chosen (its version pruned meanwhile)
 * refuses the whole write, so a reused file never ends up with no findings.
 */
export async function copyReusedFindings(tx: WriteTx, vid: string, reused: ReusedFiles, runAt: number): Promise<void> {
  if (reused.relpaths.length === 0) return;
  const pairs = `(SELECT unnest($relpaths::VARCHAR[]) AS target_relpath, unnest($sources::UUID[]) AS source_file_id)`;
  const params = { relpaths: listValue([...reused.relpaths]), sources: listValue([...reused.sources]) };
  const present = await tx.scalar<number>(
    `SELECT count(*) FROM ${pairs} p
     WHERE EXISTS (SELECT 1 FROM validations s WHERE s.file_id = p.source_file_id AND s.rule = 'syntax'
                     AND ${recordedValidatorVersionSql('s.details_json')} = $validator_version)`,
    { ...params, validator_version: reused.validatorVersion },
  );
  if (Number(present) !== reused.relpaths.length) {
    throw new OntocatError('CONFLICT', 'The catalog changed while the version was validated: results it was reusing are gone. Validate it again.');
  }
  await tx.run(
    `INSERT INTO validations
     SELECT md5('validation' || chr(0) || file_id::VARCHAR || chr(0) || validator || chr(0) || rule || chr(0) || id_subject)::UUID,
            file_id, $vid::UUID, validator, rule, severity, passed, message, line, col, subject, details_json, make_timestamp($run_at::BIGINT * 1000)
     FROM (SELECT ${fileIdSql('$vid', 'target_relpath')} AS file_id, * FROM (${copiedFindingsSql(pairs)}))
     ORDER BY target_relpath, source_row`,
    { ...params, vid, skip: listValue([...reused.skipRules]), run_at: runAt },
  );
}
