import { listValue } from './duckdb.js';
import type { SqlConnection } from './sql.js';

/**
 * The doctor's questions to the catalog, each one set-based SQL over the fs listing
 * (`temp.fs_listing`) and `v_catalog_paths`: anti-joins and joins, never a loop.
 */

/**
 * Compares the catalog with the listing in one pass, into a temp table the checks below read.
 *
 * One full join of every catalogued file with the listed files and content store objects
 * answers every check at once: catalogued files missing, changed, or whose object is not
 * listed (every file with `deep`, which re-hashes them all), listed files no row
 * accounts for (orphan candidates) and objects no row references. Only those rows are
 * kept, so a healthy root keeps none and the comparison costs one join, not a copy of
 * the catalog. Damaged files take part in the join (their files are not orphans) but
 * are not kept (their findings were made already).
 */
export async function buildComparison(conn: SqlConnection, deep: boolean): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE doctor_cmp AS
    SELECT * FROM (
      SELECT c.file_id, c.root_relpath, c.size_bytes, c.sha256, c.cas_relpath, c.damaged,
             s.relpath AS listed_path, s.size_bytes AS disk_size, o.relpath AS listed_object,
             s.relpath IS NOT NULL AS on_disk, o.relpath IS NOT NULL AS cas_listed,
             -- One link only: the file no longer shares its inode with its content store object.
             COALESCE(s.nlink = 1 AND c.cas_relpath IS NOT NULL AND o.relpath IS NOT NULL, false) AS lone,
             -- 1 ms of slack: tools that copy mtimes (utimes, cp -p) can round the sub-millisecond part down.
             COALESCE(s.size_bytes <> c.size_bytes OR (c.mtime IS NOT NULL AND abs(epoch_ms(s.mtime) - epoch_ms(c.mtime)) > 1), false) AS changed
      FROM v_catalog_paths c
      FULL JOIN (SELECT relpath, size_bytes, mtime, nlink FROM temp.fs_listing WHERE scope = 'root') s ON s.relpath = c.root_relpath
      FULL JOIN (SELECT relpath FROM temp.fs_listing WHERE scope = 'cas') o ON o.relpath = c.cas_relpath)
    WHERE CASE WHEN file_id IS NULL THEN true
               ELSE NOT damaged AND ($deep OR NOT on_disk OR changed OR lone OR (cas_relpath IS NOT NULL AND NOT cas_listed)) END`, { deep });
}

/** Drops the comparison's temp tables: they would otherwise live as long as the connection. */
export async function dropComparison(conn: SqlConnection): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS temp.doctor_cmp');
  await conn.run('DROP TABLE IF EXISTS temp.doctor_cas_missing');
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
    FROM temp.doctor_cmp WHERE file_id IS NOT NULL AND NOT on_disk ORDER BY path`);
}

/** Archives the catalog points at that are not on disk. */
export function missingArchives(conn: SqlConnection): Promise<{ artifact_id: string; path: string; size_bytes: number; sha256: string | null }[]> {
  return conn.all(`
    SELECT a.artifact_id::VARCHAR AS artifact_id, a.fs_relpath AS path, a.size_bytes, a.sha256
    FROM artifacts a
    WHERE a.fs_relpath IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM temp.fs_listing s WHERE s.scope = 'root' AND s.relpath = a.fs_relpath)
    ORDER BY path`);
}

/** Archives the catalog points at, with a recorded SHA-256, that are on disk: their bytes are checked. */
export function presentArchives(conn: SqlConnection): Promise<{ path: string; size_bytes: number; sha256: string }[]> {
  return conn.all(`
    SELECT a.fs_relpath AS path, a.size_bytes, a.sha256
    FROM artifacts a
    WHERE a.fs_relpath IS NOT NULL AND a.sha256 IS NOT NULL
      AND EXISTS (SELECT 1 FROM temp.fs_listing s WHERE s.scope = 'root' AND s.relpath = a.fs_relpath)
    ORDER BY path`);
}

/** Files in the service tree that no row accounts for; needs `buildComparison`. */
export function orphanFiles(conn: SqlConnection): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all(`
    SELECT listed_path AS path, disk_size AS size_bytes
    FROM temp.doctor_cmp
    WHERE file_id IS NULL AND listed_path IS NOT NULL
      AND listed_path NOT IN (SELECT fs_relpath FROM artifacts WHERE fs_relpath IS NOT NULL)
    ORDER BY path`);
}

/** Listed files of one scope (`temp`, `latest`, `cas`). */
export function listedFiles(conn: SqlConnection, scope: string): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all('SELECT relpath AS path, size_bytes FROM temp.fs_listing WHERE scope = $1 ORDER BY path', [scope]);
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
  /** Every catalogued path of that content, on disk or not: where a copy in the trash may be found. */
  readonly paths: readonly string[];
}

/** Content store objects that rows reference but that are not on disk; needs `buildComparison`. */
export async function missingCasObjects(conn: SqlConnection): Promise<CasMissingRow[]> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE doctor_cas_missing AS
    SELECT cas_relpath, any_value(sha256) AS sha256, any_value(size_bytes) AS size_bytes
    FROM temp.doctor_cmp WHERE file_id IS NOT NULL AND cas_relpath IS NOT NULL AND NOT cas_listed GROUP BY cas_relpath`);
  if (((await conn.scalar<number>('SELECT count(*) FROM temp.doctor_cas_missing')) ?? 0) === 0) return [];
  // The sources may be unchanged files, which the comparison did not keep: look them up
  // for these few objects only.
  return conn.all<CasMissingRow>(`
    WITH candidates AS (
      SELECT c.cas_relpath, c.root_relpath, c.size_bytes
      FROM v_catalog_paths c
      WHERE NOT c.damaged AND c.cas_relpath IN (SELECT cas_relpath FROM temp.doctor_cas_missing))
    SELECT m.cas_relpath, m.sha256, m.size_bytes,
           COALESCE(list(k.root_relpath ORDER BY k.root_relpath) FILTER (WHERE s.relpath IS NOT NULL AND s.size_bytes = k.size_bytes), []) AS sources,
           list(k.root_relpath ORDER BY k.root_relpath) AS paths
    FROM temp.doctor_cas_missing m
    JOIN candidates k USING (cas_relpath)
    LEFT JOIN temp.fs_listing s ON s.scope = 'root' AND s.relpath = k.root_relpath
    GROUP BY m.cas_relpath, m.sha256, m.size_bytes
    ORDER BY m.cas_relpath`);
}

/** Content store objects that no row references (sizes are -1: objects are listed by name); needs `buildComparison`. */
export function unreferencedCasObjects(conn: SqlConnection): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all(`
    SELECT listed_object AS path, -1 AS size_bytes
    FROM temp.doctor_cmp
    WHERE file_id IS NULL AND listed_object IS NOT NULL
    ORDER BY path`);
}

export interface PresentFileRow {
  readonly file_id: string;
  readonly path: string;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly cas_relpath: string | null;
  /** The size the file has on disk (as listed), which a changed file no longer shares with the row. */
  readonly disk_size: number;
  /** Size or mtime on disk differs from the row. */
  readonly changed: boolean;
  /** The file has one link: it is not (any more) a hard link of its content store object. */
  readonly lone: boolean;
}

/**
 * Catalogued data files on disk (not damaged): only those whose size or mtime changed or
 * that have a single link (not a hard link of their content store object), or with `all`, every one (the deep check re-hashes them all); needs `buildComparison`.
 */
export function presentDataFiles(conn: SqlConnection, all: boolean): Promise<PresentFileRow[]> {
  return conn.all<PresentFileRow>(`
    SELECT file_id::VARCHAR AS file_id, root_relpath AS path, size_bytes, disk_size, sha256, cas_relpath, changed, lone
    FROM temp.doctor_cmp
    WHERE file_id IS NOT NULL AND on_disk AND ($all OR changed OR lone)
    ORDER BY path`, { all });
}

/** Data files (not damaged) that share one content store object. */
export function filesOfObject(conn: SqlConnection, casRelpath: string): Promise<{ path: string; size_bytes: number }[]> {
  return conn.all('SELECT root_relpath AS path, size_bytes FROM v_catalog_paths WHERE cas_relpath = $1 AND NOT damaged ORDER BY path', [casRelpath]);
}

/**
 * Versions with damaged files, by service then release order (DESIGN.md): ordering the
 * version names as text put 1.10 before 1.2.
 */
export function damagedVersions(conn: SqlConnection): Promise<{ service: string; version: string; damaged_files: number }[]> {
  return conn.all(`
    SELECT d.service, d.version, d.damaged_files
    FROM v_damaged_versions d JOIN v_release_order r USING (version_id)
    ORDER BY d.service, r.release_rank`);
}

/**
 * Versions recorded with files of a validatable format but without a single validation
 * row: their ingest stopped during validation (killed, cancelled), since validating any
 * such file writes at least one row. By service then release order, as every list.
 */
export function unvalidatedVersions(conn: SqlConnection, formats: readonly string[]): Promise<{ service: string; version: string; files: number }[]> {
  return conn.all(`
    SELECT v.service, v.version, count(*) AS files
    FROM versions v JOIN v_release_order r USING (version_id) JOIN extracted_files f USING (version_id)
    WHERE f.format IN (SELECT unnest($1::VARCHAR[]))
      AND NOT EXISTS (SELECT 1 FROM validations x WHERE x.version_id = v.version_id)
    GROUP BY v.service, v.version, r.release_rank ORDER BY v.service, r.release_rank`, [listValue([...formats])]);
}

/**
 * The given `service/version` names (version folders a finding lies in) in list order:
 * by service, then the catalogued versions in release order (v_release_order), then
 * folders of versions the catalog does not hold by the natural order of their names
 * (1.2 before 1.10), as a version list would place them.
 */
export async function releasePlaces(conn: SqlConnection, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await conn.all<{ name: string }>(`
    WITH named AS (SELECT DISTINCT unnest($1::VARCHAR[]) AS name)
    SELECT n.name
    FROM named n
    LEFT JOIN (SELECT v.service || '/' || v.version AS name, r.release_rank
               FROM versions v JOIN v_release_order r USING (version_id)) c USING (name)
    ORDER BY split_part(n.name, '/', 1), c.release_rank IS NULL, c.release_rank,
             release_version_key(split_part(n.name, '/', 2)), n.name`, [listValue([...names])]);
  return rows.map((row) => row.name);
}
