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

/** A change is located at its path in the newer version, else its path in the older one. */
const inFolderSql = `($folder = '' OR dir = $folder OR starts_with(dir, $folder || '/'))`;

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

/** Per-format aggregates of a delta; the summary is their sum (one pass over the delta). */
export function deltaByFormatQuery(pair: VersionPair, prefix?: string): QuerySpec {
  const sum = (expr: string, kind?: ChangeKind): string =>
    `COALESCE(sum(${expr})${kind ? ` FILTER (WHERE kind = '${kind}')` : ''}, 0)::BIGINT`;
  const count = (kind: ChangeKind): string => `count(*) FILTER (WHERE kind = '${kind}')`;
  return {
    sql: `SELECT format,
            count(old_relpath) AS files_from, count(new_relpath) AS files_to,
            ${sum('old_size')} AS bytes_from, ${sum('new_size')} AS bytes_to,
            (${sum('new_size')} - ${sum('old_size')}) AS net_bytes,
            ${count('ADDED')} AS added_files, ${sum('new_size', 'ADDED')} AS added_bytes,
            ${count('REMOVED')} AS removed_files, ${sum('old_size', 'REMOVED')} AS removed_bytes,
            ${count('MODIFIED')} AS modified_files, ${sum('new_size', 'MODIFIED')} AS modified_bytes,
            ${count('RENAMED')} AS renamed_files, ${sum('new_size', 'RENAMED')} AS renamed_bytes,
            ${count('UNCHANGED')} AS unchanged_files, ${sum('new_size', 'UNCHANGED')} AS unchanged_bytes
          FROM version_delta($a, $b)
          WHERE ${inFolderSql}
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

const changeColumns = `kind, relpath, old_relpath, new_relpath, old_size, new_size, old_sha256, new_sha256,
  format, old_format, new_format, old_file_id::VARCHAR AS old_file_id, new_file_id::VARCHAR AS new_file_id`;

/** The change list, in path order; paged when `page` is given, else every row (exports). */
export function deltaChangesQuery(pair: VersionPair, query: DeltaQuery, page?: { offset: number; limit: number }): QuerySpec {
  return {
    sql: `SELECT ${changeColumns} FROM version_delta($a, $b)
          WHERE ${inFolderSql} AND ${kindCondition(query.kind)}
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
 * Two passes over the `version_delta` macro (per-format aggregates, then the page); the
 * page's total comes from the aggregates instead of a third count.
 */
export async function computeDelta(conn: SqlConnection, refA: VersionRef, refB: VersionRef, query: DeltaQuery = {}): Promise<DeltaResult> {
  const pair = await resolvePair(conn, refA, refB);
  const window = pageWindow(query.offset, query.limit);
  kindCondition(query.kind);
  const prefix = normaliseFolder(query.prefix);
  const byFormat = deltaByFormatQuery(pair, prefix);
  const summary = summariseDelta(pair, prefix, await conn.all<DeltaFormatRow>(byFormat.sql, byFormat.params));
  const changes = deltaChangesQuery(pair, query, window);
  const items = await conn.all<FileChange>(changes.sql, changes.params);
  return { summary, changes: { items, total: countOf(summary, query.kind), offset: window.offset, limit: window.limit } };
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
    sql: `WITH d AS (
            SELECT kind, relpath, dir, name, old_relpath, old_size, new_size FROM version_delta($a, $b) WHERE ${inFolderSql}
          ),
          entries AS (
            SELECT 'file' AS entry, name, relpath, kind, CASE WHEN kind = 'RENAMED' THEN old_relpath END AS old_relpath,
              1::BIGINT AS files,
              ${fileCols},
              (COALESCE(new_size, 0) - COALESCE(old_size, 0))::BIGINT AS net_bytes
            FROM d WHERE dir = $folder
            UNION ALL
            SELECT 'dir', child, CASE WHEN $folder = '' THEN child ELSE $folder || '/' || child END, NULL, NULL,
              count(*)::BIGINT,
              ${dirCols},
              (COALESCE(sum(new_size), 0) - COALESCE(sum(old_size), 0))::BIGINT
            FROM (SELECT *, split_part(CASE WHEN $folder = '' THEN dir ELSE dir[len($folder) + 2:] END, '/', 1) AS child
                  FROM d WHERE dir <> $folder)
            GROUP BY child
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
