/**
 * SQL for a root whose content objects live in a bucket: which objects the catalog
 * references, and the doctor's comparison of a bucket listing with the catalog.
 */
import { listValue } from './duckdb.js';
import type { WriteTx } from './open-catalog.js';
import type { SqlConnection } from './sql.js';

/** One distinct content the catalog references, with the size its rows give it. */
export interface ReferencedObject {
  readonly sha256: string;
  readonly size_bytes: number;
}

/** Of these contents, the ones some catalog row already references (so they are in the bucket). */
export async function referencedAmong(conn: SqlConnection, sha256s: readonly string[]): Promise<Set<string>> {
  if (sha256s.length === 0) return new Set();
  const rows = await conn.all<{ sha256: string }>(
    'SELECT DISTINCT f.sha256 FROM extracted_files f JOIN (SELECT unnest($1::VARCHAR[]) AS sha256) s USING (sha256)',
    [listValue([...sha256s])],
  );
  return new Set(rows.map((row) => row.sha256));
}

/** A file's path under the root, `S/V/data/RELPATH`, over `extracted_files f JOIN versions v`. */
const FILE_PATH_SQL = "v.service || '/' || v.version || '/data/' || f.relpath";

/**
 * Of these contents, the ones some catalog row references, each with one file that holds it
 * (its path under the root, the first in byte order) to name in a message.
 */
export async function referencedWithExample(conn: SqlConnection, sha256s: readonly string[]): Promise<Map<string, string>> {
  if (sha256s.length === 0) return new Map();
  const rows = await conn.all<{ sha256: string; example: string }>(
    `SELECT f.sha256, min(${FILE_PATH_SQL}) AS example
     FROM extracted_files f JOIN versions v USING (version_id) JOIN (SELECT unnest($1::VARCHAR[]) AS sha256) s USING (sha256)
     GROUP BY f.sha256`,
    [listValue([...sha256s])],
  );
  return new Map(rows.map((row) => [row.sha256, row.example]));
}

/** Every distinct content the catalog references, by SHA-256 (for `bucket push`, `--deep`). */
export async function referencedObjects(conn: SqlConnection): Promise<ReferencedObject[]> {
  return conn.all<ReferencedObject>('SELECT sha256, max(size_bytes) AS size_bytes FROM extracted_files GROUP BY sha256 ORDER BY sha256');
}

/** The listing columns, in table order. */
export const BUCKET_LISTING_COLUMNS = [
  { name: 'key', type: 'varchar' },
  { name: 'sha256', type: 'varchar' },
  { name: 'size_bytes', type: 'bigint' },
] as const;

/** Empties the listing before a new one is loaded. */
export async function clearBucketListing(tx: WriteTx): Promise<void> {
  await tx.run('DELETE FROM staging_bucket_listing');
}

/** What the comparison found, counted, with the first examples of each kind. */
export interface BucketComparison {
  readonly listed: number;
  readonly listed_bytes: number;
  readonly referenced: number;
  readonly referenced_bytes: number;
  readonly missing: readonly { readonly sha256: string; readonly size_bytes: number; readonly example: string }[];
  readonly missing_count: number;
  readonly unreferenced: readonly { readonly key: string; readonly size_bytes: number }[];
  readonly unreferenced_count: number;
  readonly unreferenced_bytes: number;
  readonly size_mismatches: readonly { readonly sha256: string; readonly expected_size: number; readonly actual_size: number }[];
  readonly size_mismatch_count: number;
  /** Keys under the content area that are not `ab/<sha256>`. */
  readonly strays: readonly { readonly key: string; readonly size_bytes: number }[];
  readonly stray_count: number;
}

/**
 * Compares the loaded listing with the catalog, all in SQL: contents referenced but not
 * listed (missing), listed but not referenced (unreferenced, GC candidates), listed with
 * another size than the catalog's rows say, and keys that are not content keys.
 */
export async function compareBucketListing(conn: SqlConnection, examples: number): Promise<BucketComparison> {
  // The example is a file's path under the root (S/V/data/RELPATH), as doctor names files: a
  // service and relpath alone name no file when several versions hold them.
  await conn.run(`CREATE OR REPLACE TEMP TABLE bucket_refs AS
    SELECT f.sha256, max(f.size_bytes) AS size_bytes, min(${FILE_PATH_SQL}) AS example
    FROM extracted_files f JOIN versions v USING (version_id) GROUP BY f.sha256`);
  try {
    const totals = await conn.one<{ listed: number; listed_bytes: number; referenced: number; referenced_bytes: number }>(`
      SELECT (SELECT count(*) FROM staging_bucket_listing) AS listed,
             (SELECT COALESCE(sum(size_bytes), 0) FROM staging_bucket_listing) AS listed_bytes,
             (SELECT count(*) FROM bucket_refs) AS referenced,
             (SELECT COALESCE(sum(size_bytes), 0) FROM bucket_refs) AS referenced_bytes`);
    const missingCount = await conn.scalar<number>('SELECT count(*) FROM bucket_refs r ANTI JOIN staging_bucket_listing l USING (sha256)');
    const missing = await conn.all<BucketComparison['missing'][number]>(
      'SELECT r.sha256, r.size_bytes, r.example FROM bucket_refs r ANTI JOIN staging_bucket_listing l USING (sha256) ORDER BY r.sha256 LIMIT $1', [examples]);
    const unrefTotals = await conn.one<{ n: number; bytes: number }>(
      'SELECT count(*) AS n, COALESCE(sum(size_bytes), 0) AS bytes FROM staging_bucket_listing l WHERE l.sha256 IS NOT NULL AND l.sha256 NOT IN (SELECT sha256 FROM bucket_refs)');
    const unreferenced = await conn.all<BucketComparison['unreferenced'][number]>(
      'SELECT key, size_bytes FROM staging_bucket_listing l WHERE l.sha256 IS NOT NULL AND l.sha256 NOT IN (SELECT sha256 FROM bucket_refs) ORDER BY key LIMIT $1', [examples]);
    const mismatchCount = await conn.scalar<number>('SELECT count(*) FROM bucket_refs r JOIN staging_bucket_listing l USING (sha256) WHERE l.size_bytes <> r.size_bytes');
    const mismatches = await conn.all<BucketComparison['size_mismatches'][number]>(
      `SELECT r.sha256, r.size_bytes AS expected_size, l.size_bytes AS actual_size
       FROM bucket_refs r JOIN staging_bucket_listing l USING (sha256) WHERE l.size_bytes <> r.size_bytes ORDER BY r.sha256 LIMIT $1`, [examples]);
    const strayCount = await conn.scalar<number>('SELECT count(*) FROM staging_bucket_listing WHERE sha256 IS NULL');
    const strays = await conn.all<BucketComparison['strays'][number]>('SELECT key, size_bytes FROM staging_bucket_listing WHERE sha256 IS NULL ORDER BY key LIMIT $1', [examples]);
    return {
      listed: totals?.listed ?? 0, listed_bytes: totals?.listed_bytes ?? 0, referenced: totals?.referenced ?? 0, referenced_bytes: totals?.referenced_bytes ?? 0,
      missing, missing_count: missingCount ?? 0, unreferenced, unreferenced_count: unrefTotals?.n ?? 0, unreferenced_bytes: unrefTotals?.bytes ?? 0,
      size_mismatches: mismatches, size_mismatch_count: mismatchCount ?? 0, strays, stray_count: strayCount ?? 0,
    };
  } finally {
    await conn.run('DROP TABLE IF EXISTS bucket_refs');
  }
}

/** Every unreferenced content object of the loaded listing (a GC plan's victims), by key. */
export async function unreferencedListed(conn: SqlConnection): Promise<{ key: string; sha256: string; size_bytes: number }[]> {
  return conn.all<{ key: string; sha256: string; size_bytes: number }>(
    `SELECT key, sha256, size_bytes FROM staging_bucket_listing
     WHERE sha256 IS NOT NULL AND sha256 NOT IN (SELECT DISTINCT sha256 FROM extracted_files) ORDER BY key`);
}

/** A sample (or all, when `sample` is null) of the referenced contents, for `--deep`. */
export async function referencedSample(conn: SqlConnection, sample: number | null): Promise<ReferencedObject[]> {
  if (sample === null) return referencedObjects(conn);
  return conn.all<ReferencedObject>(
    `SELECT sha256, size_bytes FROM (SELECT sha256, max(size_bytes) AS size_bytes FROM extracted_files GROUP BY sha256)
     ORDER BY hash(sha256 || $2) LIMIT $1`, [sample, String(Date.now())]);
}

/** The files of one version for checkout: path, content and size, in path order. */
export async function versionFilesForCheckout(conn: SqlConnection, versionId: string): Promise<{ relpath: string; sha256: string; size_bytes: number; mtime_ms: number | null; cas_relpath: string | null }[]> {
  return conn.all(
    'SELECT relpath, sha256, size_bytes, epoch_ms(mtime) AS mtime_ms, cas_relpath FROM extracted_files WHERE version_id = $1::UUID ORDER BY relpath', [versionId]);
}
