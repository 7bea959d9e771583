import { OntocatError } from '../shared/errors.js';
import { ONTOLOGY_FORMATS } from '../shared/formats.js';
import type { Page, Severity, SortDirection, ValidationRecord, ValidationSummaryRow } from '../shared/models.js';
import type { VersionRef } from '../shared/version-ref.js';
import { likeLiteral, orderBy, pageWindow, pageWithTotal, type ListOrder } from './paging.js';
import type { QuerySpec } from './query-spec.js';
import { listValue } from './duckdb.js';
import type { SqlConnection } from './sql.js';
import { requireVersionId } from './version-queries.js';
import { normaliseFolder } from './file-queries.js';

export interface ListValidationsQuery {
  readonly passed?: boolean;
  readonly validator?: string;
  readonly severity?: Severity;
  readonly format?: string;
  readonly prefix?: string;
  readonly search?: string;
  readonly file_id?: string;
  readonly validation_id?: string;
  readonly sort?: 'relpath' | 'severity' | 'validator' | 'rule';
  readonly direction?: SortDirection;
  readonly offset?: number;
  readonly limit?: number;
}

/**
 * Results sort by the chosen key, then path, rule and line; many tie on all of those
 * (quality checks of one file carry no line), so the result's id ends the order.
 */
const validationOrder: ListOrder<NonNullable<ListValidationsQuery['sort']>> = {
  sorts: {
    relpath: 'f.relpath',
    severity: "CASE val.severity WHEN 'ERROR' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END",
    validator: 'val.validator',
    rule: 'val.rule',
  },
  fallback: 'severity',
  then: 'f.relpath, val.rule, val.line NULLS LAST',
  unique: 'val.validation_id',
};

type RawValidation = Omit<ValidationRecord, 'details'> & { details_json: string | null; total: number };

/** Columns of a validation result row (details as JSON text). */
const validationColumns = `val.validation_id, val.file_id, val.version_id, f.relpath, f.format, val.validator, val.rule, val.severity,
            val.passed, val.message, val.line, val.col, val.subject, val.details_json, val.run_at`;

/**
 * A version's validation results, filtered and sorted; one page when `page` (with the
 * match count as `total`), else every row (exports).
 */
export function validationListQuery(versionId: string, query: ListValidationsQuery, page?: { offset: number; limit: number }): QuerySpec {
  if (query.severity && !['ERROR', 'WARN', 'INFO'].includes(query.severity)) {
    throw new OntocatError('BAD_INPUT', `Unknown severity '${query.severity}'; use ERROR, WARN or INFO.`);
  }
  const order = orderBy(validationOrder, query.sort, query.direction);
  // Joining on the version as well as the file lets DuckDB filter the files side to this
  // version before the join instead of probing every file row of the catalog (2x faster).
  return {
    sql: `SELECT ${validationColumns}${page ? ', count(*) OVER () AS total' : ''}
     FROM validations val JOIN extracted_files f USING (file_id, version_id)
     WHERE val.version_id = $id
       AND ($passed IS NULL OR val.passed = $passed)
       AND ($validator IS NULL OR val.validator = $validator)
       AND ($severity IS NULL OR val.severity = $severity)
       AND ($format IS NULL OR f.format = $format)
       -- A folder, as files and ls read it: 'sub' is not 'sub2/' or 'subfile.nt'.
       AND ($prefix = '' OR starts_with(f.relpath, $prefix || '/'))
       AND ($file_id IS NULL OR val.file_id = $file_id::UUID)
       AND ($validation_id IS NULL OR val.validation_id = $validation_id::UUID)
       AND ($search IS NULL OR val.message ILIKE '%' || $search || '%' ESCAPE '\\' OR f.relpath ILIKE '%' || $search || '%' ESCAPE '\\')
     ORDER BY ${order}${page ? ' LIMIT $limit OFFSET $offset' : ''}`,
    params: {
      id: versionId, passed: query.passed ?? null, validator: query.validator ?? null, severity: query.severity ?? null,
      format: query.format ?? null, prefix: normaliseFolder(query.prefix), file_id: query.file_id ?? null,
      validation_id: query.validation_id ?? null, search: query.search ? likeLiteral(query.search) : null, ...(page ? { limit: page.limit, offset: page.offset } : {}),
    },
  };
}

/** Lists a version's validation results, filtered, sorted and paged. */
export async function listValidations(conn: SqlConnection, ref: VersionRef, query: ListValidationsQuery = {}): Promise<Page<ValidationRecord>> {
  const id = await requireVersionId(conn, ref);
  const { offset, limit } = pageWindow(query.offset, query.limit);
  const page = (window: { offset: number; limit: number }) => {
    const spec = validationListQuery(id, query, window);
    return conn.all<RawValidation>(spec.sql, spec.params);
  };
  const listed = await pageWithTotal(await page({ offset, limit }), { offset, limit }, () => page({ offset: 0, limit: 1 }));
  return {
    ...listed,
    items: listed.items.map(({ details_json, ...row }) => ({ ...row, details: details_json ? (JSON.parse(details_json) as Record<string, unknown>) : null })),
  };
}

/** Pass/fail counts per validator, format and severity for a version. */
export async function validationSummary(conn: SqlConnection, ref: VersionRef): Promise<ValidationSummaryRow[]> {
  const id = await requireVersionId(conn, ref);
  return conn.all<ValidationSummaryRow>(
    `SELECT val.validator, f.format, val.severity, count(*) FILTER (WHERE val.passed) AS passed, count(*) FILTER (WHERE NOT val.passed) AS failed
     FROM validations val JOIN extracted_files f USING (file_id, version_id)
     WHERE val.version_id = $1
     GROUP BY ALL ORDER BY failed DESC, val.validator, f.format, val.severity`,
    [id],
  );
}

/** The validator version a syntax row records (`details.validator_version`), as SQL over its `details_json` column. */
export function recordedValidatorVersionSql(detailsJson: string): string {
  return `TRY_CAST(json_extract_string(${detailsJson}, '$.validator_version') AS INTEGER)`;
}

/**
 * The oldest and newest validator version a version's files were validated with, from
 * their syntax rows (every parsed file has one, carrying `details.validator_version`).
 */
export async function validatorVersions(conn: SqlConnection, ref: VersionRef): Promise<{ oldest: number | null; newest: number | null }> {
  const id = await requireVersionId(conn, ref);
  const row = await conn.one<{ oldest: number | null; newest: number | null }>(
    `SELECT min(v) AS oldest, max(v) AS newest FROM (
       SELECT ${recordedValidatorVersionSql('details_json')} AS v
       FROM validations WHERE version_id = $1 AND rule = 'syntax')`,
    [id],
  );
  return { oldest: row?.oldest ?? null, newest: row?.newest ?? null };
}

/** A file of a version as validation needs it. */
export interface FileToValidate {
  readonly relpath: string;
  readonly format: string;
  readonly sniffed_format: string | null;
  readonly size_bytes: number;
  /**
   * Its content hash for an ontology file (the term index keys on it), else null: most
   * files of a large package are not ontologies, and reading 64 characters a row for
   * 80,000 rows was half the listing's time.
   */
  readonly sha256: string | null;
  /** The stored file's mtime as recorded (epoch ms), null for rows recorded without one. */
  readonly mtime_ms: number | null;
}

/** The files of a version no validator reads, as their disk check needs them: paths and recorded sizes, by path. */
export interface UnparsedFiles {
  readonly relpaths: readonly string[];
  readonly sizes: readonly number[];
}

/** What `validateVersion` reads of a version: the files a validator parses, in full, and the others' paths and sizes. */
export interface FilesToValidate {
  readonly parsed: FileToValidate[];
  readonly unparsed: UnparsedFiles;
}

/** Splits `relpath TAB size` lines (LF-separated) into paths and sizes. */
function splitPathSizeLines(text: string | null): UnparsedFiles {
  const relpaths: string[] = [];
  const sizes: number[] = [];
  let start = 0;
  while (text !== null && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const tab = text.lastIndexOf('\t', end);
    relpaths.push(text.slice(start, tab));
    sizes.push(Number(text.slice(tab + 1, end)));
    start = end + 1;
  }
  return { relpaths, sizes };
}

/**
 * Every file of a version by path: those whose format is in `parsedFormats` with their
 * declared and sniffed format, size and (ontologies) hash; the others (most files of a
 * large package: images, archives) as paths and sizes only (what `validateVersion` reads).
 *
 * The others come as ONE text of `relpath TAB size` lines that DuckDB builds: turning
 * 66,627 rows of material-design-icons into row objects cost about 3 µs a row on the
 * thread that also feeds the validation workers, splitting one string a tenth of that.
 * Paths with a tab or line feed cannot be framed so (the catalog refuses control
 * characters in paths, but an older catalog might hold one): those versions are read row
 * by row instead.
 */
export async function listFilesToValidate(conn: SqlConnection, ref: VersionRef, parsedFormats: readonly string[]): Promise<FilesToValidate> {
  const id = await requireVersionId(conn, ref);
  const formats = listValue([...parsedFormats]);
  const parsed = await conn.all<FileToValidate>(
    `SELECT relpath, format, sniffed_format, size_bytes, CASE WHEN list_contains($2, format) THEN sha256 END AS sha256, epoch_ms(mtime) AS mtime_ms
     FROM extracted_files WHERE version_id = $1 AND list_contains($3, format) ORDER BY relpath`,
    [id, listValue([...ONTOLOGY_FORMATS]), formats],
  );
  const others = `FROM extracted_files WHERE version_id = $1 AND NOT coalesce(list_contains($2, format), false)`;
  const framed = await conn.one<{ unframed: number; text: string | null }>(
    `SELECT count(*) FILTER (WHERE contains(relpath, chr(9)) OR contains(relpath, chr(10))) AS unframed,
            string_agg(relpath || chr(9) || size_bytes, chr(10) ORDER BY relpath) AS text
     ${others}`,
    [id, formats],
  );
  if (framed && framed.unframed === 0) return { parsed, unparsed: splitPathSizeLines(framed.text) };
  const rows = await conn.all<{ relpath: string; size_bytes: number }>(`SELECT relpath, size_bytes ${others} ORDER BY relpath`, [id, formats]);
  return { parsed, unparsed: { relpaths: rows.map((row) => row.relpath), sizes: rows.map((row) => row.size_bytes) } };
}

/** The recorded content hash of some files of a version, by path (the few a validation must hash to check). */
export async function recordedHashes(conn: SqlConnection, ref: VersionRef, relpaths: readonly string[]): Promise<Map<string, string>> {
  const id = await requireVersionId(conn, ref);
  const rows = await conn.all<{ relpath: string; sha256: string }>(
    'SELECT relpath, sha256 FROM extracted_files WHERE version_id = $1 AND list_contains($2, relpath)', [id, listValue([...relpaths])],
  );
  return new Map(rows.map((row) => [row.relpath, row.sha256]));
}
