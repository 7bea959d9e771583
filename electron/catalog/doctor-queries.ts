import type { SqlConnection } from './sql.js';

/**
 * The doctor's questions to the catalog, each one set-based SQL over the fs listing
 * (`staging_fs_listing`) and `v_catalog_paths`: anti-joins and joins, never a loop.
 */

/**
 * Joins every catalogued file with the listing once, into a temp table the checks below
 * read: one pass over the catalog instead of one per check.
 */
export async function buildComparison(conn: SqlConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE doctor_cmp AS
    SELECT c.file_id, c.root_relpath, c.size_bytes, c.sha256, c.mtime, c.cas_relpath, c.damaged,
           s.relpath IS NOT NULL AS on_disk, s.size_bytes AS disk_size, s.mtime AS disk_mtime,
           o.relpath IS NOT NULL AS cas_listed
    FROM v_catalog_paths c
    LEFT JOIN staging_fs_listing s ON s.scope = 'root' AND s.relpath = c.root_relpath
    LEFT JOIN staging_fs_listing o ON o.scope = 'cas' AND o.relpath = c.cas_relpath`);
}

export interface MissingFileRow {
  readonly file_id: string;
  readonly path: string;
  readonly size_bytes: number;
  readonly cas_relpath: string | null;
  /** The object is listed (objects are listed without their size; check it before use). */
  readonly cas_present: boolean;
}

/** Catalogued data files (not already marked damaged) that are not on disk; needs `buildComparison`. */
export function missingDataFiles(conn: SqlConnection): Promise<MissingFileRow[]> {
  return conn.all<MissingFileRow>(`
    SELECT file_id::VARCHAR AS file_id, root_relpath AS path, size_bytes, cas_relpath, cas_listed AS cas_present
    FROM temp.doctor_cmp WHERE NOT damaged AND NOT on_disk ORDER BY path`);
}

/** Archives the catalog points at that are not on disk. */
export function missingArchives(conn: SqlConnection): Promise<{ artifact_id: string; path: string; size_bytes: number }[]> {
  return conn.all(`
    SELECT a.artifact_id::VARCHAR AS artifact_id, a.fs_relpath AS path, a.size_bytes
    FROM artifacts a
    WHERE a.fs_relpath IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staging_fs_listing s WHERE s.scope = 'root' AND s.relpath = a.fs_relpath)
    ORDER BY path`);
}

/** Files in the service tree that no row accounts for. */
export function orphanFiles(conn: SqlConnection): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all('SELECT relpath AS path, size_bytes FROM v_fs_orphans ORDER BY path');
}

/** Listed files of one scope (`temp`, `latest`, `cas`). */
export function listedFiles(conn: SqlConnection, scope: string): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all('SELECT relpath AS path, size_bytes FROM staging_fs_listing WHERE scope = $1 ORDER BY path', [scope]);
}

/** Every latest pointer with its version name. */
export function latestPointers(conn: SqlConnection): Promise<{ service: string; version: string; updated_at: string; by: string }[]> {
  return conn.all('SELECT lp.slot AS service, v.version, lp.updated_at, lp."by" AS "by" FROM latest_pointer lp JOIN versions v USING (version_id) ORDER BY service');
}

export interface CasMissingRow {
  readonly cas_relpath: string;
  readonly sha256: string;
  readonly size_bytes: number;
  /** Data files of that content that are on disk with the right size: candidates to rebuild the object from. */
  readonly sources: readonly string[];
}

/** Content store objects that rows reference but that are not on disk; needs `buildComparison`. */
export function missingCasObjects(conn: SqlConnection): Promise<CasMissingRow[]> {
  return conn.all<CasMissingRow>(`
    SELECT cas_relpath, any_value(sha256) AS sha256, any_value(size_bytes) AS size_bytes,
           COALESCE(list(root_relpath ORDER BY root_relpath) FILTER (WHERE on_disk AND disk_size = size_bytes), []) AS sources
    FROM temp.doctor_cmp
    WHERE cas_relpath IS NOT NULL AND NOT damaged AND NOT cas_listed
    GROUP BY cas_relpath
    ORDER BY cas_relpath`);
}

/** Content store objects that no row references (sizes are -1: objects are listed by name). */
export function unreferencedCasObjects(conn: SqlConnection): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all(`
    SELECT s.relpath AS path, s.size_bytes
    FROM staging_fs_listing s
    WHERE s.scope = 'cas' AND NOT EXISTS (SELECT 1 FROM extracted_files f WHERE f.cas_relpath = s.relpath)
    ORDER BY path`);
}

export interface PresentFileRow {
  readonly file_id: string;
  readonly path: string;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly cas_relpath: string | null;
  /** Size or mtime on disk differs from the row. */
  readonly changed: boolean;
}

/**
 * Catalogued data files on disk (not damaged): only those whose size or mtime changed,
 * or with `all`, every one (the deep check re-hashes them all); needs `buildComparison`.
 */
export function presentDataFiles(conn: SqlConnection, all: boolean): Promise<PresentFileRow[]> {
  return conn.all<PresentFileRow>(`
    SELECT * FROM (
      SELECT file_id::VARCHAR AS file_id, root_relpath AS path, size_bytes, sha256, cas_relpath,
             -- 1 ms of slack: tools that copy mtimes (utimes, cp -p) can round the sub-millisecond part down.
             (disk_size <> size_bytes OR (mtime IS NOT NULL AND abs(epoch_ms(disk_mtime) - epoch_ms(mtime)) > 1)) AS changed
      FROM temp.doctor_cmp
      WHERE on_disk AND NOT damaged)
    WHERE $all OR changed
    ORDER BY path`, { all });
}

/** Data files (not damaged) that share one content store object. */
export function filesOfObject(conn: SqlConnection, casRelpath: string): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all('SELECT root_relpath AS path, size_bytes FROM v_catalog_paths WHERE cas_relpath = $1 AND NOT damaged ORDER BY path', [casRelpath]);
}

/** Versions with damaged files. */
export function damagedVersions(conn: SqlConnection): Promise<{ service: string; version: string; damaged_files: number }[]> {
  return conn.all('SELECT service, version, damaged_files FROM v_damaged_versions ORDER BY service, version');
}
