import type { Page, TermChange, TermChangeKind, TermDeltaSummary } from '../shared/models.js';
import { TERM_DELTA_KINDS } from '../shared/term-names.js';
import type { ColumnSpec, WriteTx } from './open-catalog.js';
import { fixedOrder, pageWindow, pageWithTotal } from './paging.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';
import { changeRank } from './term-change-rank.js';

export interface TermDeltaRun {
  readonly old_terms: number;
  readonly new_terms: number;
  readonly summary: TermDeltaSummary;
}

/** What a file pair's terms were read with: the parsers' version and the term rules (term-index.ts). */
export interface TermReadRules {
  readonly validator_version: number;
  readonly rules: number;
}

/**
 * The cached comparison of a file pair, or null when it was never computed or was
 * computed with other parsers or term rules than `readBy` (a cache never outlives them).
 */
export async function readTermDeltaRun(conn: SqlConnection, oldFileId: string, newFileId: string, readBy: TermReadRules): Promise<TermDeltaRun | null> {
  const run = await conn.one<{ old_terms: number; new_terms: number }>(
    `SELECT old_terms, new_terms FROM term_delta_runs
     WHERE old_file_id = $1::UUID AND new_file_id = $2::UUID AND validator_version = $3 AND rules = $4`,
    [oldFileId, newFileId, readBy.validator_version, readBy.rules],
  );
  if (!run) return null;
  const counts = await conn.all<{ change: TermChangeKind; n: number }>(
    'SELECT change, count(*) AS n FROM term_changes WHERE old_file_id = $1::UUID AND new_file_id = $2::UUID GROUP BY change',
    [oldFileId, newFileId],
  );
  const count = (kind: TermChangeKind): number => Number(counts.find((row) => row.change === kind)?.n ?? 0);
  const summary = Object.fromEntries(TERM_DELTA_KINDS.map((kind) => [kind.toLowerCase(), count(kind)])) as unknown as TermDeltaSummary;
  return { ...run, summary };
}

/** By kind of change (as the whole-version delta orders them), then term; (term, change) is the key of a file pair's changes. */
const termChangeOrder = fixedOrder({ keys: changeRank('change'), unique: 'term, change' });

/** Cached term changes of a file pair, optionally of one kind or matching text, in their order; paged when `page`. */
export function termChangesQuery(
  oldFileId: string,
  newFileId: string,
  query: { change?: TermChangeKind; search?: string },
  page?: { offset: number; limit: number },
): QuerySpec {
  return {
    sql: `SELECT term, term_kind, change, old_label, new_label, before, after${page ? ', count(*) OVER () AS total' : ''} FROM term_changes
     WHERE old_file_id = $old::UUID AND new_file_id = $new::UUID
       AND ($change IS NULL OR change = $change)
       AND ($search IS NULL OR contains(lower(term), lower($search)) OR contains(lower(COALESCE(old_label, '') || ' ' || COALESCE(new_label, '')), lower($search)))
     ORDER BY ${termChangeOrder}${page ? ' LIMIT $limit OFFSET $offset' : ''}`,
    params: {
      old: oldFileId, new: newFileId, change: query.change ?? null, search: query.search ?? null,
      ...(page ? { limit: page.limit, offset: page.offset } : {}),
    },
  };
}

/** One page of cached term changes of a file pair, optionally of one kind or matching text. */
export async function listTermChanges(
  conn: SqlConnection,
  oldFileId: string,
  newFileId: string,
  query: { change?: TermChangeKind; search?: string; offset?: number; limit?: number } = {},
): Promise<Page<TermChange>> {
  const { offset, limit } = pageWindow(query.offset, query.limit);
  const page = (window: { offset: number; limit: number }) => {
    const spec = termChangesQuery(oldFileId, newFileId, query, window);
    return conn.all<TermChange & { total: number }>(spec.sql, spec.params);
  };
  return pageWithTotal(await page({ offset, limit }), { offset, limit }, () => page({ offset: 0, limit: 1 }));
}

const termChangeColumns: readonly ColumnSpec[] = [
  { name: 'old_file_id', type: 'varchar' },
  { name: 'new_file_id', type: 'varchar' },
  { name: 'term', type: 'varchar' },
  { name: 'term_kind', type: 'varchar' },
  { name: 'change', type: 'varchar' },
  { name: 'old_label', type: 'varchar' },
  { name: 'new_label', type: 'varchar' },
  { name: 'before', type: 'varchar' },
  { name: 'after', type: 'varchar' },
];

/** Caches the comparison of a file pair (replacing any earlier one) in one transaction. */
export async function saveTermDelta(
  tx: WriteTx,
  oldFileId: string,
  newFileId: string,
  counts: { old_terms: number; new_terms: number },
  changes: readonly TermChange[],
  readBy: TermReadRules,
): Promise<void> {
  await tx.run('DELETE FROM term_changes WHERE old_file_id = $1::UUID AND new_file_id = $2::UUID', [oldFileId, newFileId]);
  await tx.run('DELETE FROM term_delta_runs WHERE old_file_id = $1::UUID AND new_file_id = $2::UUID', [oldFileId, newFileId]);
  await tx.append('term_changes', termChangeColumns, changes.map((c) => [oldFileId, newFileId, c.term, c.term_kind, c.change, c.old_label, c.new_label, c.before, c.after]));
  await tx.run(
    `INSERT INTO term_delta_runs (old_file_id, new_file_id, old_terms, new_terms, computed_at, validator_version, rules)
     VALUES ($1::UUID, $2::UUID, $3, $4, now()::TIMESTAMP, $5, $6)`,
    [oldFileId, newFileId, counts.old_terms, counts.new_terms, readBy.validator_version, readBy.rules],
  );
  // A cache fill, not a change a curator made: opening a term delta is no audit event.
}
