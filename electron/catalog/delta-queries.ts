import type {
  ChangeKind, DeltaFormatRow, DeltaResult, DeltaSummary, DeltaTreeEntry, FileChange, KindFilter, KindTotals,
} from '../shared/contract/delta.js';
import { KIND_FILTERS } from '../shared/contract/delta.js';
import { OntocatError } from '../shared/errors.js';
import type { Page } from '../shared/models.js';
import { formatVersionRef, type VersionRef } from '../shared/version-ref.js';
import { normaliseFolder } from './file-queries.js';
import { pageWindow } from './paging.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';
import { requireVersionId } from './version-queries.js';

/** Two versions resolved to their ids. */
export interface VersionPair {
  readonly a: string;
  readonly b: string;
  readonly from: string;
  readonly to: string;
}

/** Resolves both versions, failing with NOT_FOUND (naming known versions) for either. */
export async function resolvePair(conn: SqlConnection, refA: VersionRef, refB: VersionRef): Promise<VersionPair> {
  const a = await requireVersionId(conn, refA);
  const b = await requireVersionId(conn, refB);
  return { a, b, from: formatVersionRef(refA), to: formatVersionRef(refB) };
}

const kindConditions: Readonly<Record<KindFilter, string>> = {
  added: "kind = 'ADDED'",
  removed: "kind = 'REMOVED'",
  modified: "kind = 'MODIFIED'",
  renamed: "kind = 'RENAMED'",
  unchanged: "kind = 'UNCHANGED'",
  changed: "kind <> 'UNCHANGED'",
  all: 'true',
};

function kindCondition(kind: KindFilter | undefined): string {
  const condition = kindConditions[kind ?? 'changed'];
  if (!condition) throw new OntocatError('BAD_INPUT', `Unknown change kind '${String(kind)}'; use one of: ${KIND_FILTERS.join(', ')}.`);
  return condition;
}

/** The per-format aggregate columns of a delta over rows of `version_delta_ids` (no paths needed). */
function byFormatColumns(): string {
  const sum = (expr: string, kind?: ChangeKind): string =>
    `COALESCE(sum(${expr})${kind ? ` FILTER (WHERE kind = '${kind}')` : ''}, 0)::BIGINT`;
  const count = (kind: ChangeKind): string => `count(*) FILTER (WHERE kind = '${kind}')`;
  return `format,
            count(old_file_id) AS files_from, count(new_file_id) AS files_to,
            ${sum('old_size')} AS bytes_from, ${sum('new_size')} AS bytes_to,
            (${sum('new_size')} - ${sum('old_size')}) AS net_bytes,
            ${count('ADDED')} AS added_files, ${sum('new_size', 'ADDED')} AS added_bytes,
            ${count('REMOVED')} AS removed_files, ${sum('old_size', 'REMOVED')} AS removed_bytes,
            ${count('MODIFIED')} AS modified_files, ${sum('new_size', 'MODIFIED')} AS modified_bytes,
            ${count('RENAMED')} AS renamed_files, ${sum('new_size', 'RENAMED')} AS renamed_bytes,
            ${count('UNCHANGED')} AS unchanged_files, ${sum('new_size', 'UNCHANGED')} AS unchanged_bytes`;
}

/** Per-format aggregates of a delta; the summary is their sum (one pass over the delta). */
export function deltaByFormatQuery(pair: VersionPair, prefix?: string): QuerySpec {
  return {
    sql: `SELECT ${byFormatColumns()}
          FROM version_delta_ids($a, $b, $folder)
          GROUP BY format ORDER BY format`,
    params: { a: pair.a, b: pair.b, folder: normaliseFolder(prefix) },
  };
}

/** Adds up per-format rows into the delta summary. */
export function summariseDelta(pair: VersionPair, prefix: string, rows: readonly DeltaFormatRow[]): DeltaSummary {
  const total = (key: keyof Omit<DeltaFormatRow, 'format'>): number => rows.reduce((acc, row) => acc + row[key], 0);
  const kind = (name: 'added' | 'removed' | 'modified' | 'renamed' | 'unchanged'): KindTotals => ({
    count: total(`${name}_files`),
    bytes: total(`${name}_bytes`),
  });
  const added = kind('added');
  const removed = kind('removed');
  const modified = kind('modified');
  const renamed = kind('renamed');
  return {
    from: pair.from,
    to: pair.to,
    prefix,
    added,
    removed,
    modified,
    renamed,
    unchanged: kind('unchanged'),
    files_from: total('files_from'),
    files_to: total('files_to'),
    bytes_from: total('bytes_from'),
    bytes_to: total('bytes_to'),
    bytes_added: added.bytes,
    bytes_removed: removed.bytes,
    net_growth: total('net_bytes'),
    churn_bytes: modified.bytes,
    identical: added.count + removed.count + modified.count + renamed.count === 0,
    by_format: rows,
  };
}

export interface DeltaQuery {
  readonly kind?: KindFilter;
  readonly prefix?: string;
  readonly offset?: number;
  readonly limit?: number;
}

/** Joins paths and hashes of both sides onto rows `d` of `version_delta_ids`, by file id. */
const withPathsSql = (rows: string, columns: string): string => `(SELECT d.*, ${columns} FROM ${rows} d
  LEFT JOIN (SELECT file_id, relpath, sha256 FROM extracted_files WHERE version_id = $a::UUID) af ON af.file_id = d.old_file_id
  LEFT JOIN (SELECT file_id, relpath, sha256 FROM extracted_files WHERE version_id = $b::UUID) nf ON nf.file_id = d.new_file_id)`;

const changeColumns = `kind, relpath, old_relpath, new_relpath, old_size, new_size, old_sha256, new_sha256,
  format, old_format, new_format, old_file_id::VARCHAR AS old_file_id, new_file_id::VARCHAR AS new_file_id`;

/** The change list, in path order; paged when `page` is given, else every row (exports). */
export function deltaChangesQuery(pair: VersionPair, query: DeltaQuery, page?: { offset: number; limit: number }): QuerySpec {
  return {
    sql: `SELECT ${changeColumns} FROM version_delta_in($a, $b, $folder)
          WHERE ${kindCondition(query.kind)}
          ORDER BY relpath, kind${page ? ' LIMIT $limit OFFSET $offset' : ''}`,
    params: { a: pair.a, b: pair.b, folder: normaliseFolder(query.prefix), ...(page ?? {}) },
  };
}

function countOf(summary: DeltaSummary, kind: KindFilter | undefined): number {
  const changed = summary.added.count + summary.removed.count + summary.modified.count + summary.renamed.count;
  switch (kind ?? 'changed') {
    case 'changed': return changed;
    case 'all': return changed + summary.unchanged.count;
    default: return summary[kind as 'added'].count;
  }
}

/**
 * The file-level delta from `refA` to `refB`: summary plus one page of changes.
 *
 * One query and one pass over `version_delta_ids`: the per-format aggregates and the page
 * both read its materialised rows, and only the page's rows fetch their paths. The page's
 * total comes from the aggregates instead of a count.
 */
export async function computeDelta(conn: SqlConnection, refA: VersionRef, refB: VersionRef, query: DeltaQuery = {}): Promise<DeltaResult> {
  const pair = await resolvePair(conn, refA, refB);
  const window = pageWindow(query.offset, query.limit);
  const condition = kindCondition(query.kind);
  const prefix = normaliseFolder(query.prefix);
  const paths = `COALESCE(nf.relpath, af.relpath) AS relpath, af.relpath AS old_relpath, nf.relpath AS new_relpath,
    af.sha256 AS old_sha256, nf.sha256 AS new_sha256`;
  const [row] = await conn.all<{ by_format: DeltaFormatRow[]; items: FileChange[] }>(
    `WITH d AS MATERIALIZED (SELECT * FROM version_delta_ids($a, $b, $folder)),
     by_format AS (SELECT ${byFormatColumns()} FROM d GROUP BY format),
     page AS (
       SELECT ${changeColumns} FROM ${withPathsSql(`(SELECT * FROM d WHERE ${condition})`, paths)}
       ORDER BY relpath, kind LIMIT $limit OFFSET $offset
     )
     SELECT (SELECT COALESCE(list(by_format ORDER BY format), []) FROM by_format) AS by_format,
            (SELECT COALESCE(list(page ORDER BY relpath, kind), []) FROM page) AS items`,
    { a: pair.a, b: pair.b, folder: prefix, limit: window.limit, offset: window.offset },
  );
  const summary = summariseDelta(pair, prefix, row?.by_format ?? []);
  return { summary, changes: { items: row?.items ?? [], total: countOf(summary, query.kind), offset: window.offset, limit: window.limit } };
}

export interface DeltaTreeQuery {
  readonly dir?: string;
  /** Hide files and folders where nothing changed (default true). */
  readonly changed_only?: boolean;
  readonly offset?: number;
  readonly limit?: number;
}

/** One folder level of the tree of changes: sub-folders with per-kind aggregates, then files. */
export function deltaTreeQuery(pair: VersionPair, query: DeltaTreeQuery, page?: { offset: number; limit: number }): QuerySpec {
  const folder = normaliseFolder(query.dir);
  const kinds = ['ADDED', 'REMOVED', 'MODIFIED', 'RENAMED', 'UNCHANGED'] as const;
  const sizeOf = (kind: ChangeKind): string => (kind === 'REMOVED' ? 'old_size' : 'new_size');
  const fileCols = kinds.map((kind) => `(kind = '${kind}')::BIGINT AS ${kind.toLowerCase()}_files,
      CASE WHEN kind = '${kind}' THEN ${sizeOf(kind)} ELSE 0 END::BIGINT AS ${kind.toLowerCase()}_bytes`).join(',\n      ');
  const dirCols = kinds.map((kind) => `count(*) FILTER (WHERE kind = '${kind}')::BIGINT,
      COALESCE(sum(${sizeOf(kind)}) FILTER (WHERE kind = '${kind}'), 0)::BIGINT`).join(',\n      ');
  return {
    sql: `WITH d AS MATERIALIZED (SELECT * FROM version_delta_ids($a, $b, $folder)),
          entries AS (
            SELECT 'file' AS entry, seg AS name, relpath, kind, CASE WHEN kind = 'RENAMED' THEN old_relpath END AS old_relpath,
              1::BIGINT AS files,
              ${fileCols},
              (COALESCE(new_size, 0) - COALESCE(old_size, 0))::BIGINT AS net_bytes
            FROM ${withPathsSql('(SELECT * FROM d WHERE NOT deep)', 'COALESCE(nf.relpath, af.relpath) AS relpath, af.relpath AS old_relpath')}
            UNION ALL
            SELECT 'dir', seg, CASE WHEN $folder = '' THEN seg ELSE $folder || '/' || seg END, NULL, NULL,
              count(*)::BIGINT,
              ${dirCols},
              (COALESCE(sum(new_size), 0) - COALESCE(sum(old_size), 0))::BIGINT
            FROM d WHERE deep
            GROUP BY seg
          )
          SELECT *${page ? ', count(*) OVER () AS total' : ''} FROM entries
          WHERE NOT $changed_only OR files > unchanged_files
          ORDER BY entry ASC, name${page ? ' LIMIT $limit OFFSET $offset' : ''}`,
    params: { a: pair.a, b: pair.b, folder, changed_only: query.changed_only ?? true, ...(page ?? {}) },
  };
}

/** Lists one folder level of the tree of changes between two versions (lazy, like listDirectory). */
export async function deltaTree(conn: SqlConnection, refA: VersionRef, refB: VersionRef, query: DeltaTreeQuery = {}): Promise<Page<DeltaTreeEntry>> {
  const pair = await resolvePair(conn, refA, refB);
  const window = pageWindow(query.offset, query.limit, 500);
  const spec = deltaTreeQuery(pair, query, window);
  const rows = await conn.all<DeltaTreeEntry & { total: number }>(spec.sql, spec.params);
  const folder = normaliseFolder(query.dir);
  if (rows.length === 0 && folder !== '' && window.offset === 0) {
    const exists = await conn.scalar<number>(
      `SELECT count(*) FROM extracted_files WHERE version_id IN ($1::UUID, $2::UUID) AND (dir = $3 OR starts_with(dir, $3 || '/'))`,
      [pair.a, pair.b, folder],
    );
    if (!exists) throw new OntocatError('NOT_FOUND', `No folder '${folder}' in ${pair.from} or ${pair.to}.`);
  }
  return { items: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0, offset: window.offset, limit: window.limit };
}
