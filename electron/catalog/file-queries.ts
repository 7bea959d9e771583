import { OntocatError } from '../shared/errors.js';
import type { ArtifactRecord, DirEntry, FileRecord, Page, SortDirection } from '../shared/models.js';
import type { VersionRef } from '../shared/version-ref.js';
import { fixedOrder, likeLiteral, orderBy, pageWindow, pageWithTotal, type ListOrder } from './paging.js';
import { contentKeySql } from './ids.js';
import type { SqlConnection } from './sql.js';
import { fileColumnsSql, requireVersionId } from './version-queries.js';

export type ValidationStatusFilter = 'failed' | 'passed' | 'unvalidated';

export interface ListFilesQuery {
  readonly prefix?: string;
  readonly format?: string;
  readonly search?: string;
  readonly status?: ValidationStatusFilter;
  readonly sort?: 'relpath' | 'name' | 'size_bytes' | 'format' | 'mtime';
  readonly direction?: SortDirection;
  readonly offset?: number;
  readonly limit?: number;
}

/** Paths are unique within a version. */
const fileOrder: ListOrder<NonNullable<ListFilesQuery['sort']>> = {
  sorts: { relpath: 'f.relpath', name: 'f.name', size_bytes: 'f.size_bytes', format: 'f.format', mtime: 'f.mtime' },
  fallback: 'relpath',
  unique: 'f.relpath',
};

/** Normalises a folder prefix: no leading slash, no trailing slash, never `..`. */
export function normaliseFolder(prefix: string | undefined): string {
  const folder = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (folder.split('/').some((part) => part === '..' || part === '.')) {
    throw new OntocatError('UNSAFE_PATH', `Invalid folder '${prefix}': '.' and '..' are not allowed.`);
  }
  return folder;
}

/**
 * Fails with NOT_FOUND when no file of the given versions lies in `folder` ('' is the root):
 * a mistyped folder reads as an error, never as an empty answer. `where` names the versions.
 */
export async function requireFolder(conn: SqlConnection, versionIds: readonly [string] | readonly [string, string], folder: string, where: string): Promise<void> {
  if (folder === '') return;
  const exists = await conn.scalar<number>(
    `SELECT count(*) FROM (SELECT 1 FROM extracted_files WHERE version_id IN ($a::UUID, $b::UUID) AND (dir = $folder OR starts_with(dir, $folder || '/')) LIMIT 1)`,
    { a: versionIds[0], b: versionIds[1] ?? versionIds[0], folder },
  );
  if (!Number(exists)) throw new OntocatError('NOT_FOUND', `No folder '${folder}' in ${where}.`);
}

/**
 * The files filter by validation health (migrations/0005_validation_health.sql):
 * `failed` has errors (does not parse, or an ERROR finding), `passed` is checked without
 * errors (warnings allowed), `unvalidated` is neither: the three split the files.
 */
function statusCondition(status: ValidationStatusFilter | undefined): string {
  switch (status) {
    case undefined: return 'true';
    // Semi-joins against the version's file health ($id), not correlated subqueries.
    case 'failed': return 'f.file_id IN (SELECT file_id FROM v_file_health WHERE version_id = $id AND (unparsable OR errors > 0))';
    case 'passed': return 'f.file_id IN (SELECT file_id FROM v_file_health WHERE version_id = $id AND checked AND NOT unparsable AND errors = 0)';
    // Neither of the above: a file whose only finding is an ERROR without a syntax result
    // (missing on disk, unreadable) is failed, not also unvalidated.
    case 'unvalidated': return 'f.file_id NOT IN (SELECT file_id FROM v_file_health WHERE version_id = $id AND (checked OR unparsable OR errors > 0))';
    default: throw new OntocatError('BAD_INPUT', `Unknown validation status '${String(status)}'; use failed, passed or unvalidated.`);
  }
}

/** Lists a version's files, filtered, sorted and paged in DuckDB. */
export async function listFiles(conn: SqlConnection, ref: VersionRef, query: ListFilesQuery = {}): Promise<Page<FileRecord>> {
  const id = await requireVersionId(conn, ref);
  const { offset, limit } = pageWindow(query.offset, query.limit);
  const folder = normaliseFolder(query.prefix);
  const order = orderBy(fileOrder, query.sort, query.direction);
  const page = (at: number, size: number) => conn.all<FileRecord & { total: number }>(
    `SELECT ${fileColumnsSql}, count(*) OVER () AS total
     FROM extracted_files f JOIN versions v USING (version_id)
     WHERE f.version_id = $id
       AND ($folder = '' OR f.dir = $folder OR starts_with(f.dir, $folder || '/'))
       AND ($format IS NULL OR f.format = $format)
       AND ($search IS NULL OR nfc_normalize(f.name) ILIKE '%' || $search || '%' ESCAPE '\\')
       AND ${statusCondition(query.status)}
     ORDER BY ${order} LIMIT $limit OFFSET $offset`,
    { id, folder, format: query.format ?? null, search: query.search ? likeLiteral(query.search.normalize('NFC')) : null, limit: size, offset: at },
  );
  const rows = await page(offset, limit);
  if (rows.length === 0) await requireFolder(conn, [id], folder, `${ref.service}/${ref.version}`);
  return pageWithTotal(rows, { offset, limit }, () => page(0, 1));
}

export interface ListDirectoryQuery {
  readonly dir?: string;
  readonly format?: string;
  readonly status?: ValidationStatusFilter;
  readonly sort?: 'name' | 'bytes' | 'files';
  readonly direction?: SortDirection;
  readonly offset?: number;
  readonly limit?: number;
}

/** Folders come before files; a name is unique among the folders, and among the files, of one level. */
const dirOrder: ListOrder<NonNullable<ListDirectoryQuery['sort']>> = {
  sorts: { name: 'name', bytes: 'bytes', files: 'files' },
  fallback: 'name',
  unique: 'kind, name',
};

/**
 * Lists one folder level of a version: sub-folders with aggregated file counts and bytes,
 * then files. This is what a lazy tree expands; filters apply to the aggregates too.
 */
export async function listDirectory(conn: SqlConnection, ref: VersionRef, query: ListDirectoryQuery = {}): Promise<Page<DirEntry>> {
  const id = await requireVersionId(conn, ref);
  const { offset, limit } = pageWindow(query.offset, query.limit, 500);
  const folder = normaliseFolder(query.dir);
  const order = orderBy(dirOrder, query.sort, query.direction);
  const page = (at: number, size: number) => conn.all<DirEntry & { total: number }>(
    `WITH scoped AS (
       SELECT f.file_id, f.relpath, f.dir, f.name, f.size_bytes, f.format, f.sha256
       FROM extracted_files f
       WHERE f.version_id = $id
         AND ($folder = '' OR f.dir = $folder OR starts_with(f.dir, $folder || '/'))
         AND ($format IS NULL OR f.format = $format)
         AND ${statusCondition(query.status)}
     ),
     findings AS (
       SELECT file_id, errors + CASE WHEN unparsable THEN 1 ELSE 0 END AS errors, warnings
       FROM v_file_health WHERE version_id = $id AND (unparsable OR errors > 0 OR warnings > 0)
     ),
     -- Files doctor marked missing (no copy left) or quarantined (changed bytes moved to the trash).
     damage AS (SELECT file_id, kind FROM file_damage WHERE version_id = $id),
     entries AS (
       SELECT 'file' AS kind, s.name, s.relpath, 1 AS files, s.size_bytes AS bytes, s.format, s.sha256,
              s.file_id, COALESCE(fl.errors, 0) AS errors, COALESCE(fl.warnings, 0) AS warnings,
              dm.kind AS damage, CASE WHEN dm.kind IS NULL THEN 0 ELSE 1 END AS damaged
       FROM scoped s LEFT JOIN findings fl USING (file_id) LEFT JOIN damage dm USING (file_id)
       WHERE s.dir = $folder
       UNION ALL
       SELECT 'dir', child, CASE WHEN $folder = '' THEN child ELSE $folder || '/' || child END,
              count(*), sum(size_bytes), NULL, NULL, NULL, sum(COALESCE(fl.errors, 0)), sum(COALESCE(fl.warnings, 0)),
              NULL, count(dm.file_id)
       FROM (SELECT *, split_part(CASE WHEN $folder = '' THEN dir ELSE dir[len($folder) + 2:] END, '/', 1) AS child
             FROM scoped WHERE dir <> $folder) s
       LEFT JOIN findings fl USING (file_id) LEFT JOIN damage dm USING (file_id)
       GROUP BY child
     )
     SELECT *, count(*) OVER () AS total FROM entries
     ORDER BY kind ASC, ${order} LIMIT $limit OFFSET $offset`,
    { id, folder, format: query.format ?? null, limit: size, offset: at },
  );
  const rows = await page(offset, limit);
  if (rows.length === 0) await requireFolder(conn, [id], folder, `${ref.service}/${ref.version}`);
  return pageWithTotal(rows, { offset, limit }, () => page(0, 1));
}

/** Whether a version has a file at `relpath`. */
export async function hasFile(conn: SqlConnection, ref: VersionRef, relpath: string): Promise<boolean> {
  const id = await requireVersionId(conn, ref);
  return ((await conn.scalar<number>('SELECT count(*) FROM extracted_files WHERE version_id = $1 AND relpath = $2', [id, relpath])) ?? 0) > 0;
}

/** One file of a version by path. */
export async function getFile(conn: SqlConnection, ref: VersionRef, relpath: string): Promise<FileRecord> {
  const id = await requireVersionId(conn, ref);
  const row = await conn.one<FileRecord>(
    `SELECT ${fileColumnsSql},
            CASE WHEN d.file_id IS NULL THEN NULL ELSE {'kind': d.kind, 'plan_id': d.plan_id, 'detected_at': d.detected_at} END AS damage
     FROM extracted_files f JOIN versions v USING (version_id) LEFT JOIN file_damage d ON d.file_id = f.file_id
     WHERE f.version_id = $1 AND f.relpath = $2`,
    [id, relpath],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `No file '${relpath}' in ${ref.service}/${ref.version}.`);
  return row;
}

/** Every file, in any version, with this content: "where else does this live?". */
export async function findBySha256(conn: SqlConnection, sha256: string, limit = 200): Promise<{ files: FileRecord[]; artifacts: ArtifactRecord[] }> {
  const hash = sha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new OntocatError('BAD_INPUT', `'${sha256}' is not a SHA-256 (64 hex digits).`);
  // In release order within each service, as every list (DESIGN.md): ingest order put a
  // backfilled older release after the newer ones brought in before it.
  const files = await conn.all<FileRecord>(
    `SELECT ${fileColumnsSql} FROM extracted_files f JOIN versions v USING (version_id) JOIN v_release_order r USING (version_id)
     WHERE f.content_key = ${contentKeySql('$1')} AND f.sha256 = $1
     ORDER BY ${fixedOrder({ keys: 'f.service, r.release_rank', unique: 'f.relpath' })} LIMIT $2`,
    [hash, limit],
  );
  const artifacts = await conn.all<ArtifactRecord>(
    `SELECT a.*, v.version FROM artifacts a JOIN versions v USING (version_id) JOIN v_release_order r USING (version_id) WHERE a.sha256 = $1
     ORDER BY ${fixedOrder({ keys: 'a.service, r.release_rank, a.fetched_at', unique: 'a.artifact_id' })}`,
    [hash],
  );
  return { files, artifacts };
}

/** An artifact by id, with the number of files extracted from it. */
export async function findArtifact(conn: SqlConnection, artifactIdText: string): Promise<ArtifactRecord & { files: number }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(artifactIdText)) {
    throw new OntocatError('BAD_INPUT', `'${artifactIdText}' is not an artifact id.`);
  }
  const row = await conn.one<ArtifactRecord & { files: number }>(
    `SELECT a.*, v.version, (SELECT count(*) FROM extracted_files f WHERE f.artifact_id = a.artifact_id) AS files
     FROM artifacts a JOIN versions v USING (version_id) WHERE a.artifact_id = $1::UUID`,
    [artifactIdText],
  );
  if (!row) throw new OntocatError('NOT_FOUND', `No artifact ${artifactIdText}.`);
  return row;
}

/** The artifacts of a version. */
export async function listArtifacts(conn: SqlConnection, ref: VersionRef): Promise<ArtifactRecord[]> {
  const id = await requireVersionId(conn, ref);
  return conn.all<ArtifactRecord>(
    `SELECT a.*, v.version FROM artifacts a JOIN versions v USING (version_id) WHERE a.version_id = $1 ORDER BY a.name`,
    [id],
  );
}
