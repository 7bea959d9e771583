import type {
  FindingChange, FindingCounts, FindingStatus, ValidationDeltaResult, ValidationDeltaSummary,
} from '../shared/contract/delta.js';
import { OntocatError } from '../shared/errors.js';
import type { Severity } from '../shared/models.js';
import type { VersionRef } from '../shared/version-ref.js';
import { resolvePair, type VersionPair } from './delta-queries.js';
import { deltaPairCtes } from './delta-sql.js';
import { normaliseFolder } from './file-queries.js';
import { pageWindow } from './paging.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';

/**
 * Failed validations of both versions, matched into NEW / FIXED / PERSISTING.
 *
 * A finding's key is (path, validator, rule, subject); a path of A that was RENAMED (paired
 * as the file-level delta pairs renames) is keyed by its new path, so a finding that moved
 * with its file persists. Several findings with one key (two parse errors without a
 * subject) pair in order of line, column and message, so one can be fixed while the other
 * persists.
 */
function findingsCte(): string {
  const side = (version: string, keyPath: string, join: string): string => `
    SELECT ${keyPath} AS key_path, f.relpath AS path, val.validator, val.rule, val.severity, val.subject, val.message, val.line,
           row_number() OVER (PARTITION BY ${keyPath}, val.validator, val.rule, COALESCE(val.subject, '')
                              ORDER BY val.line NULLS LAST, val.col NULLS LAST, val.message NULLS LAST) AS occ
    FROM validations val JOIN extracted_files f USING (file_id, version_id) ${join}
    WHERE val.version_id = ${version}::UUID AND NOT val.passed`;
  return `
    ${deltaPairCtes({ scoped: false })},
    moves AS (SELECT old_relpath, new_relpath FROM delta_pairs WHERE old_file_id IS NOT NULL AND new_file_id IS NOT NULL),
    na AS (${side('$a', 'COALESCE(m.new_relpath, f.relpath)', 'LEFT JOIN moves m ON m.old_relpath = f.relpath')}),
    nb AS (${side('$b', 'f.relpath', '')}),
    findings AS (
      SELECT CASE WHEN na.key_path IS NULL THEN 'NEW' WHEN nb.key_path IS NULL THEN 'FIXED' ELSE 'PERSISTING' END AS status,
             COALESCE(nb.key_path, na.key_path) AS relpath, na.path AS old_relpath,
             COALESCE(nb.validator, na.validator) AS validator, COALESCE(nb.rule, na.rule) AS rule,
             COALESCE(nb.severity, na.severity) AS severity, COALESCE(nb.subject, na.subject) AS subject,
             COALESCE(nb.message, na.message) AS message, nb.line AS line, na.line AS old_line
      FROM na FULL OUTER JOIN nb
        ON na.key_path = nb.key_path AND na.validator = nb.validator AND na.rule = nb.rule
       AND COALESCE(na.subject, '') = COALESCE(nb.subject, '') AND na.occ = nb.occ
    )`;
}

const inFolderSql = `($folder = '' OR starts_with(relpath, $folder || '/'))`;

export interface ValidationDeltaQuery {
  readonly status?: 'new' | 'fixed' | 'persisting' | 'all';
  readonly severity?: Severity;
  readonly validator?: string;
  readonly prefix?: string;
  readonly offset?: number;
  readonly limit?: number;
}

/** The matched findings, most urgent first; paged when `page` is given, else every row. */
export function validationDeltaQuery(pair: VersionPair, query: ValidationDeltaQuery, page?: { offset: number; limit: number }): QuerySpec {
  const status = query.status ?? 'all';
  if (!['new', 'fixed', 'persisting', 'all'].includes(status)) {
    throw new OntocatError('BAD_INPUT', `Unknown finding status '${status}'; use new, fixed, persisting or all.`);
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
          ORDER BY CASE status WHEN 'NEW' THEN 0 WHEN 'PERSISTING' THEN 1 ELSE 2 END,
                   CASE severity WHEN 'ERROR' THEN 0 WHEN 'WARN' THEN 1 ELSE 2 END,
                   relpath, validator, rule, subject NULLS FIRST, line NULLS LAST, old_line NULLS LAST
          ${page ? 'LIMIT $limit OFFSET $offset' : ''}`,
    params: {
      a: pair.a, b: pair.b, folder: normaliseFolder(query.prefix), status: status.toUpperCase(),
      severity: query.severity ?? null, validator: query.validator ?? null, ...(page ?? {}),
    },
  };
}

function emptyCounts(): { new: number; fixed: number; persisting: number } {
  return { new: 0, fixed: 0, persisting: 0 };
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
  const bySeverity = new Map<Severity, { new: number; fixed: number; persisting: number }>();
  const byValidator = new Map<string, { new: number; fixed: number; persisting: number }>();
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
