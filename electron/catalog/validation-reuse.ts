/**
 * Validation results already in the catalog for the same content, by content hash.
 *
 * A file whose sha256 and format match a file of another version that was validated by
 * the same validator version gets that file's results instead of a new parse; the rows
 * are the ones the parse produced (syntax, notices, quality), not the per-version
 * checks the validate run adds itself (storage, format mismatch).
 */
import type { Severity } from '../shared/models.js';
import type { VersionRef } from '../shared/version-ref.js';
import { listValue } from './duckdb.js';
import type { SqlConnection } from './sql.js';
import { recordedValidatorVersionSql } from './validation-queries.js';
import { requireVersionId } from './version-queries.js';

/** One stored finding of a source file, as it was recorded (details still JSON). */
export interface ReusableRow {
  readonly target_relpath: string;
  readonly source_relpath: string;
  readonly validator: string;
  readonly rule: string;
  readonly severity: Severity;
  readonly passed: boolean;
  readonly message: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly subject: string | null;
  readonly details_json: string | null;
}

/**
 * For each file of `ref` whose content was validated elsewhere with `validatorVersion`,
 * the findings of one such source file, in the order they were recorded. A source at the
 * same path is preferred (its relative IRIs resolved against the same base), then the
 * first by file id so the choice is stable. `skipRules` are left out (checks the run
 * makes itself).
 */
export async function reusableValidations(
  conn: SqlConnection,
  ref: VersionRef,
  validatorVersion: number,
  skipRules: readonly string[],
): Promise<ReusableRow[]> {
  const id = await requireVersionId(conn, ref);
  return conn.all<ReusableRow>(
    `WITH target AS (SELECT relpath, format, sha256 FROM extracted_files WHERE version_id = $1),
     source AS (
       SELECT t.relpath AS target_relpath, f.relpath AS source_relpath, f.file_id,
              row_number() OVER (PARTITION BY t.relpath ORDER BY (f.relpath = t.relpath) DESC, f.file_id) AS rank
       FROM target t
       JOIN extracted_files f ON f.sha256 = t.sha256 AND f.format = t.format AND f.version_id <> $1
       WHERE EXISTS (
         SELECT 1 FROM validations s
         WHERE s.file_id = f.file_id AND s.rule = 'syntax'
           AND ${recordedValidatorVersionSql('s.details_json')} = $2
       )
     )
     SELECT s.target_relpath, s.source_relpath, v.validator, v.rule, v.severity, v.passed, v.message,
            v.line, v.col, v.subject, v.details_json
     FROM source s JOIN validations v ON v.file_id = s.file_id
     WHERE s.rank = 1 AND v.validator <> 'storage' AND NOT list_contains($3::VARCHAR[], v.rule)
     ORDER BY s.target_relpath, v.rowid`,
    [id, validatorVersion, listValue([...skipRules])],
  );
}
