import type {
  FindingChange, FindingCounts, FindingStatus, ValidationDeltaResult, ValidationDeltaSummary,
} from '../shared/contract/delta.js';
import { FINDING_FILTERS, type FindingFilter } from '../shared/delta-kinds.js';
import { OntocatError } from '../shared/errors.js';
import type { Severity } from '../shared/models.js';
import type { VersionRef } from '../shared/version-ref.js';
import { resolvePair, type VersionPair } from './delta-queries.js';
import { deltaPairCtes } from './delta-sql.js';
import { normaliseFolder } from './file-queries.js';
import { fixedOrder, pageWindow } from './paging.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';

/**
 * Failed validations of both versions, matched into NEW / FIXED / PERSISTING / GONE.
 *
 * A finding's key is (path, validator, rule, subject); a path of A that the file-level delta
 * pairs with another path of B (RENAMED, or a version-named file MODIFIED: EDAM_1.1.obo to
 * EDAM_1.2.obo) is keyed by its new path, so a finding that moved with its file persists. A finding of A whose file is REMOVED is GONE, not FIXED: nobody
 * fixed it, the file left. Several findings with one key (two parse errors without a
 * subject) pair by what they say (MESSAGE_KEY), then in order of line, column and message
 * (`occ`), so one can be fixed while the other persists; (key, message, occ) is unique,
 * which makes the list's order total.
 */
/**
 * A finding's message without its numbers and its file's own path: findings of one rule on
 * one subject pair by what they say, lines aside (a parser notice names its text and line;
 * when a line above it goes, the same notice moves up and is not FIXED, and the one that
 * went is), and a renamed file's findings that name their path still persist. Those that
 * say the same pair in line order.
 */
const MESSAGE_KEY = "regexp_replace(replace(COALESCE(val.message, ''), f.relpath, ''), '[0-9]+', '', 'g')";

function findingsCte(): string {
  const side = (version: string, keyPath: string, join: string, removed: string): string => `
    SELECT ${keyPath} AS key_path, f.relpath AS path, ${removed} AS file_removed, val.validator, val.rule, val.severity, val.subject, val.message, val.line,
           ${MESSAGE_KEY} AS message_key,
           row_number() OVER (PARTITION BY ${keyPath}, val.validator, val.rule, COALESCE(val.subject, ''), ${MESSAGE_KEY}
                              ORDER BY val.line NULLS LAST, val.col NULLS LAST, val.message NULLS LAST) AS occ
    FROM validations val JOIN extracted_files f USING (file_id, version_id) ${join}
    WHERE val.version_id = ${version}::UUID AND NOT val.passed`;
  return `
    ${deltaPairCtes({ scoped: false })},
    moves AS (SELECT old_relpath, new_relpath FROM delta_pairs WHERE old_file_id IS NOT NULL AND new_file_id IS NOT NULL),
    removed AS (SELECT old_relpath FROM delta_pairs WHERE new_file_id IS NULL),
    na AS (${side('$a', 'COALESCE(m.new_relpath, f.relpath)', 'LEFT JOIN moves m ON m.old_relpath = f.relpath',
      'f.relpath IN (SELECT old_relpath FROM removed)')}),
    nb AS (${side('$b', 'f.relpath', '', 'false')}),
    findings AS (
      SELECT CASE WHEN na.key_path IS NULL THEN 'NEW' WHEN nb.key_path IS NULL THEN (CASE WHEN na.file_removed THEN 'GONE' ELSE 'FIXED' END)
                  ELSE 'PERSISTING' END AS status, COALESCE(nb.occ, na.occ) AS occ,
             COALESCE(nb.key_path, na.key_path) AS relpath, na.path AS old_relpath,
             COALESCE(nb.validator, na.validator) AS validator, COALESCE(nb.rule, na.rule) AS rule,
             COALESCE(nb.severity, na.severity) AS severity, COALESCE(nb.subject, na.subject) AS subject,
             COALESCE(nb.message, na.message) AS message, nb.line AS line, na.line AS old_line
      FROM na FULL OUTER JOIN nb
        ON na.key_path = nb.key_path AND na.validator = nb.validator AND na.rule = nb.rule
       AND COALESCE(na.subject, '') = COALESCE(nb.subject, '') AND na.message_key = nb.message_key AND na.occ = nb.occ
    )`;
}

/** Most urgent first; a finding's key, message and occurrence are unique (see `findingsCte`). */
const findingOrder = fixedOrder({
  keys: `CASE status WHEN 'NEW' THEN 0 WHEN 'PERSISTING' THEN 1 WHEN 'FIXED' THEN 2 ELSE 3 END,
         CASE severity WHEN 'ERROR' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END,
         relpath, validator, rule, subject NULLS FIRST, line NULLS LAST, old_line NULLS LAST`,
  unique: 'message NULLS FIRST, occ',
});

/** A finding is in a folder when its file is there in either version (as folder-scoped file deltas count moves). */
const inFolderSql = `($folder = '' OR starts_with(relpath, $folder || '/') OR COALESCE(starts_with(old_relpath, $folder || '/'), false))`;

export interface ValidationDeltaQuery {
  readonly status?: FindingFilter;
  readonly severity?: Severity;
  readonly validator?: string;
  readonly prefix?: string;
  readonly offset?: number;
  readonly limit?: number;
}

/** The matched findings, most urgent first; paged when `page` is given, else every row. */
export function validationDeltaQuery(pair: VersionPair, query: ValidationDeltaQuery, page?: { offset: number; limit: number }): QuerySpec {
  const status = query.status ?? 'all';
  if (!FINDING_FILTERS.includes(status)) {
    throw new OntocatError('BAD_INPUT', `Unknown finding status '${status}'; use ${FINDING_FILTERS.join(', ')}.`);
  }
  if (query.severity && !['ERROR', 'WARN', 'INFO'].includes(query.severity)) {
    throw new OntocatError('BAD_INPUT', `Unknown severity '${query.severity}'; use ERROR, WARN or INFO.`);
  }
  return {
    sql: `WITH ${findingsCte()}
          SELECT status, relpath, old_relpath, validator, rule, severity, subject, message, line, old_line
          FROM findings
          WHERE ${inFolderSql}
            AND ($status = 'ALL' OR status = $status)
            AND ($severity IS NULL OR severity = $severity)
            AND ($validator IS NULL OR validator = $validator)
          ORDER BY ${findingOrder}
          ${page ? 'LIMIT $limit OFFSET $offset' : ''}`,
    params: {
      a: pair.a, b: pair.b, folder: normaliseFolder(query.prefix), status: status.toUpperCase(),
      severity: query.severity ?? null, validator: query.validator ?? null, ...(page ?? {}),
    },
  };
}

function emptyCounts(): { -readonly [K in keyof FindingCounts]: number } {
  return { new: 0, fixed: 0, persisting: 0, gone: 0 };
}

/**
 * The validation delta between two versions: counts by status, severity and validator
 * (within `prefix`), and one page of findings filtered by status, severity and validator.
 */
export async function validationDelta(
  conn: SqlConnection, refA: VersionRef, refB: VersionRef, query: ValidationDeltaQuery = {},
): Promise<ValidationDeltaResult> {
  const pair = await resolvePair(conn, refA, refB);
  const window = pageWindow(query.offset, query.limit);
  const spec = validationDeltaQuery(pair, query, window);
  const groups = await conn.all<{ status: FindingStatus; severity: Severity; validator: string; n: number }>(
    `WITH ${findingsCte()}
     SELECT status, severity, validator, count(*) AS n FROM findings WHERE ${inFolderSql}
     GROUP BY ALL ORDER BY ALL`,
    { a: pair.a, b: pair.b, folder: normaliseFolder(query.prefix) },
  );
  const totals = emptyCounts();
  const bySeverity = new Map<Severity, ReturnType<typeof emptyCounts>>();
  const byValidator = new Map<string, ReturnType<typeof emptyCounts>>();
  let matching = 0;
  for (const group of groups) {
    const key = group.status.toLowerCase() as keyof FindingCounts;
    totals[key] += group.n;
    if (!bySeverity.has(group.severity)) bySeverity.set(group.severity, emptyCounts());
    bySeverity.get(group.severity)![key] += group.n;
    if (!byValidator.has(group.validator)) byValidator.set(group.validator, emptyCounts());
    byValidator.get(group.validator)![key] += group.n;
    const status = query.status ?? 'all';
    if ((status === 'all' || status.toUpperCase() === group.status)
      && (!query.severity || query.severity === group.severity)
      && (!query.validator || query.validator === group.validator)) matching += group.n;
  }
  const severityOrder: readonly Severity[] = ['ERROR', 'WARN', 'INFO'];
  const summary: ValidationDeltaSummary = {
    from: pair.from,
    to: pair.to,
    ...totals,
    by_severity: severityOrder.filter((s) => bySeverity.has(s)).map((severity) => ({ severity, ...bySeverity.get(severity)! })),
    by_validator: [...byValidator.entries()].map(([validator, counts]) => ({ validator, ...counts })),
  };
  const items = await conn.all<FindingChange>(spec.sql, spec.params);
  return { summary, findings: { items, total: matching, offset: window.offset, limit: window.limit } };
}
