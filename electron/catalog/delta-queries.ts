import type {
  DeltaFormatRow, DeltaResult, DeltaSummary, DeltaTreeEntry, FileChange, KindFilter, KindTotals,
} from '../shared/contract/delta.js';
import { KIND_FILTERS } from '../shared/delta-kinds.js';
import { OntocatError } from '../shared/errors.js';
import type { Page } from '../shared/models.js';
import { formatVersionRef, type VersionRef } from '../shared/version-ref.js';
import { deltaChangesCte, deltaPairCtes, deltaTotalsCte, kindCountColumns, shaFromKeys, type DeltaScope } from './delta-sql.js';
import { normaliseFolder, requireFolder } from './file-queries.js';
import { fixedOrder, pageWindow, pageWithTotal } from './paging.js';
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

/** SQL params of a delta: the version ids, plus `$folder` when scoped to one. */
function deltaParams(pair: VersionPair, folder: string): { scope: DeltaScope; params: Record<string, string> } {
  const scoped = folder !== '';
  return { scope: { scoped }, params: scoped ? { a: pair.a, b: pair.b, folder } : { a: pair.a, b: pair.b } };
}

/** The per-format aggregate columns over `delta_totals` grouped by `format`. */
function byFormatColumns(): string {
  return `format,
            COALESCE(sum(files_from), 0)::BIGINT AS files_from,
            COALESCE(sum(files_to), 0)::BIGINT AS files_to,
            COALESCE(sum(bytes_from), 0)::BIGINT AS bytes_from, COALESCE(sum(bytes_to), 0)::BIGINT AS bytes_to,
            (COALESCE(sum(bytes_to), 0) - COALESCE(sum(bytes_from), 0))::BIGINT AS net_bytes,
            ${kindCountColumns},
            COALESCE(sum(bytes_to - bytes_from) FILTER (WHERE kind = 'MODIFIED'), 0)::BIGINT AS modified_net_bytes`;
}

const formatTotalsCte = (): string => deltaTotalsCte((_path, format) => [format], ['format']);

/** Per-format aggregates of a delta; the summary is their sum (no change is listed). */
export function deltaByFormatQuery(pair: VersionPair, prefix?: string): QuerySpec {
  const { scope, params } = deltaParams(pair, normaliseFolder(prefix));
  return {
    sql: `WITH ${deltaPairCtes(scope)}, ${formatTotalsCte()}
          SELECT ${byFormatColumns()} FROM delta_totals GROUP BY format ORDER BY format`,
    params,
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

/** Kinds whose filter lists unchanged paths, which the change list otherwise leaves out. */
const listsUnchanged = (kind: KindFilter | undefined): boolean => kind === 'all' || kind === 'unchanged';

/** Output columns of a change, over rows of `delta_changes` (hashes printed only for these rows). */
const changeColumns = `kind, relpath, CASE WHEN old_file_id IS NOT NULL THEN old_relpath END AS old_relpath,
  CASE WHEN new_file_id IS NOT NULL THEN new_relpath END AS new_relpath, old_size, new_size,
  ${shaFromKeys('a1', 'a2', 'a3', 'a4')} AS old_sha256, ${shaFromKeys('b1', 'b2', 'b3', 'b4')} AS new_sha256,
  COALESCE(new_format, old_format) AS format, old_format, new_format,
  old_file_id::VARCHAR AS old_file_id, new_file_id::VARCHAR AS new_file_id`;

/**
 * Changes in path order. A location is unique: it is a path of B, or a path only A has
 * (REMOVED); the kind is there for readers of the SQL, not for ties.
 */
const changeOrder = fixedOrder({ unique: 'relpath, kind' });

/** Rows of `delta_changes` matching `condition`, in path order, paged when `page`. */
const changeRows = (condition: string, page: boolean): string =>
  `(SELECT * FROM delta_changes WHERE ${condition} ORDER BY ${changeOrder}${page ? ' LIMIT $limit OFFSET $offset' : ''})`;

/** The change list, in path order; paged when `page` is given, else every row (exports). */
export function deltaChangesQuery(pair: VersionPair, query: DeltaQuery, page?: { offset: number; limit: number }): QuerySpec {
  const condition = kindCondition(query.kind);
  const { scope, params } = deltaParams(pair, normaliseFolder(query.prefix));
  return {
    sql: `WITH ${deltaPairCtes(scope)}, ${deltaChangesCte(listsUnchanged(query.kind))}
          SELECT ${changeColumns} FROM ${changeRows(condition, page !== undefined)}
          ORDER BY ${changeOrder}`,
    params: { ...params, ...(page ?? {}) },
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
 * One query: the join and the rename pairing run once, the per-format totals and the
 * page both read them, and the page's total comes from the totals instead of a count.
 */
export async function computeDelta(conn: SqlConnection, refA: VersionRef, refB: VersionRef, query: DeltaQuery = {}): Promise<DeltaResult> {
  const pair = await resolvePair(conn, refA, refB);
  const window = pageWindow(query.offset, query.limit);
  const condition = kindCondition(query.kind);
  const prefix = normaliseFolder(query.prefix);
  const { scope, params } = deltaParams(pair, prefix);
  const [row] = await conn.all<{ by_format: DeltaFormatRow[]; items: FileChange[] }>(
    `WITH ${deltaPairCtes(scope)}, ${deltaChangesCte(listsUnchanged(query.kind))}, ${formatTotalsCte()},
     by_format AS (SELECT ${byFormatColumns()} FROM delta_totals GROUP BY format),
     page AS (SELECT ${changeColumns} FROM ${changeRows(condition, true)})
     SELECT (SELECT COALESCE(list(by_format ORDER BY format), []) FROM by_format) AS by_format,
            (SELECT COALESCE(list(page ORDER BY ${changeOrder}), []) FROM page) AS items`,
    { ...params, limit: window.limit, offset: window.offset },
  );
  const summary = summariseDelta(pair, prefix, row?.by_format ?? []);
  // A folder neither version has is a typo, not "nothing changed".
  if (summary.files_from + summary.files_to === 0) await requireFolder(conn, [pair.a, pair.b], prefix, `${pair.from} or ${pair.to}`);
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
  const { scope, params } = deltaParams(pair, folder);
  // A location's path below the folder; its first segment names the entry at this level.
  const rest = (path: string): string => (scope.scoped ? `${path}[length($folder) + 2:]` : path);
  // A file moved out of a sub-folder also shows in that folder's line, as opening it shows
  // the move, and one moved from this level into a folder at its old name; a file renamed
  // within this level is one entry, at its new name.
  const totals = deltaTotalsCte(
    (path) => [`split_part(${rest(path)}, '/', 1)`, `contains(${rest(path)}, '/')`], ['seg', 'deep'], 'changes',
    (moved) => `(${moved} AND (contains(${rest('old_relpath')}, '/') OR contains(${rest('at_path')}, '/')))`,
  );
  return {
    sql: `WITH ${deltaPairCtes(scope)}, ${totals},
          entries AS (
            SELECT CASE WHEN deep THEN 'dir' ELSE 'file' END AS entry, seg AS name,
              ${scope.scoped ? "$folder || '/' || seg" : 'seg'} AS relpath,
              -- A file's own change, before a file that left its path (a path a new file took).
              CASE WHEN NOT deep THEN arg_min_null(kind, departure) END AS kind,
              -- Both paths of a file that changed its name: renamed, or named by its version (MODIFIED).
              CASE WHEN NOT deep THEN arg_min_null(CASE WHEN old_relpath <> new_relpath THEN old_relpath END, departure) END AS old_relpath,
              CASE WHEN NOT deep THEN arg_min_null(CASE WHEN old_relpath <> new_relpath THEN new_relpath END, departure) END AS new_relpath,
              sum(files)::BIGINT AS files,
              ${kindCountColumns},
              (COALESCE(sum(bytes_to), 0) - COALESCE(sum(bytes_from), 0))::BIGINT AS net_bytes
            FROM delta_totals GROUP BY seg, deep
          )
          SELECT *${page ? ', count(*) OVER () AS total' : ''} FROM entries
          WHERE NOT $changed_only OR files > unchanged_files
          ORDER BY ${fixedOrder({ unique: 'entry, name' })}${page ? ' LIMIT $limit OFFSET $offset' : ''}`,
    params: { ...params, changed_only: query.changed_only ?? true, ...(page ?? {}) },
  };
}

/** Lists one folder level of the tree of changes between two versions (lazy, like listDirectory). */
export async function deltaTree(conn: SqlConnection, refA: VersionRef, refB: VersionRef, query: DeltaTreeQuery = {}): Promise<Page<DeltaTreeEntry>> {
  const pair = await resolvePair(conn, refA, refB);
  const window = pageWindow(query.offset, query.limit, 500);
  const page = (at: { offset: number; limit: number }) => {
    const spec = deltaTreeQuery(pair, query, at);
    return conn.all<DeltaTreeEntry & { total: number }>(spec.sql, spec.params);
  };
  const rows = await page(window);
  if (rows.length === 0) await requireFolder(conn, [pair.a, pair.b], normaliseFolder(query.dir), `${pair.from} or ${pair.to}`);
  return pageWithTotal(rows, window, () => page({ offset: 0, limit: 1 }));
}

/**
 * The path in A of B's `relpath` as the file-level delta pairs it (a rename, or a
 * version-named file: EDAM_1.1.obo for EDAM_1.2.obo); null when B has no such file or it
 * pairs with none. What a term delta of one file compares when A has no file at that path.
 */
export async function deltaCounterpart(conn: SqlConnection, refA: VersionRef, refB: VersionRef, relpath: string): Promise<string | null> {
  const pair = await resolvePair(conn, refA, refB);
  return (await conn.scalar<string>(
    `WITH ${deltaPairCtes({ scoped: false })}
     SELECT old_relpath FROM delta_pairs WHERE new_relpath = $relpath AND old_file_id IS NOT NULL`,
    { a: pair.a, b: pair.b, relpath },
  )) ?? null;
}
