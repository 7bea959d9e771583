/**
 * Where things live under the storage root (DESIGN.md "Storage root"), as relative paths
 * with forward slashes. Every layer builds paths through these, never by hand.
 */
export const CAS_DIR = '.cas/sha256';
export const TRASH_DIR = '.trash';
export const BACKUPS_DIR = '.backups';
export const TEMP_DIR = '.tmp';
/**
 * Where DuckDB spills what does not fit its memory limit (large joins of the doctor's
 * fs listing). Its files belong to a running catalog, not to an interrupted write: the
 * fs scan skips this folder.
 */
export const DB_TEMP_DIR = '.tmp/duckdb';

/**
 * `.cas/sha256/ab/<sha256>`: one level of fan-out, as git and restic (256 folders, where
 * two levels made a folder for almost every second object of a 100,000-file store).
 */
export function casRelpath(sha256: string): string {
  return `${CAS_DIR}/${sha256.slice(0, 2)}/${sha256}`;
}

/** `.cas/sha256/ab/cd/<sha256>`: where stores made before one level keep objects until `migrate-store` moves them. */
export function legacyCasRelpath(sha256: string): string {
  return `${CAS_DIR}/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** The SHA-256 a content-store object's path names (either layout), or null for any other path. */
export function casObjectSha(relpath: string): string | null {
  return /^\.cas\/sha256\/(?:[0-9a-f]{2}\/){1,2}([0-9a-f]{64})$/.exec(relpath)?.[1] ?? null;
}

/** `<service>/<version>` */
export function versionDir(service: string, version: string): string {
  return `${service}/${version}`;
}

/** `<service>/<version>/data/<relpath>` */
export function dataRelpath(service: string, version: string, relpath: string): string {
  return `${service}/${version}/data/${relpath}`;
}

/** `<service>/<version>/archives/<name>` */
export function archiveRelpath(service: string, version: string, name: string): string {
  return `${service}/${version}/archives/${name}`;
}

/** `<service>/LATEST.json` */
export function latestRelpath(service: string): string {
  return `${service}/LATEST.json`;
}

/** Bodies of doctor and prune plans, gzipped JSON named by plan id (the catalog keeps their hash). */
export const PLANS_DIR = '.ontocat-plans';

/** The catalog published as Hive-partitioned Parquet for other engines (`ontocat publish`). */
export const PARQUET_DIR = 'parquet';
