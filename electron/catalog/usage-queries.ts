import type { StorageUsage, UsageRow } from '../shared/models.js';
import type { Catalog } from './open-catalog.js';
import type { SqlConnection } from './sql.js';

/**
 * Bytes of distinct content in the whole catalog: what the content store really holds.
 * Grouped by the four integer content keys (the whole sha256), not the 64-char string.
 */
export const UNIQUE_CONTENT_BYTES_SQL = `SELECT COALESCE(sum(size_bytes), 0) FROM (
  SELECT any_value(size_bytes) AS size_bytes FROM extracted_files
  GROUP BY content_key, content_key_2, content_key_3, content_key_4)`;

/**
 * Bytes and files by service, version and format, in one scan (GROUPING SETS).
 *
 * `unique_bytes` counts each distinct content once (UNIQUE_CONTENT_BYTES_SQL): the gap to `total_bytes` is what the content store saves
 * by hardlinking unchanged files across versions.
 */
export async function storageUsage(conn: SqlConnection, limit = 100): Promise<StorageUsage> {
  const grouped = await conn.all<{ dimension: string; key: string | null; files: number; bytes: number }>(
    `SELECT CASE WHEN GROUPING(f.service) = 0 THEN 'service' WHEN GROUPING(f.version_id) = 0 THEN 'version'
                 WHEN GROUPING(f.format) = 0 THEN 'format' ELSE 'total' END AS dimension,
            COALESCE(f.service, f.version_id::VARCHAR, f.format) AS key, count(*) AS files, COALESCE(sum(f.size_bytes), 0) AS bytes
     FROM extracted_files f
     GROUP BY GROUPING SETS ((f.service), (f.version_id), (f.format), ())`,
  );
  const unique = await conn.scalar<number>(UNIQUE_CONTENT_BYTES_SQL);
  const names = new Map(
    (await conn.all<{ version_id: string; name: string }>("SELECT version_id::VARCHAR AS version_id, service || '/' || version AS name FROM versions"))
      .map((row) => [row.version_id, row.name]),
  );
  const pick = (dimension: string, rename?: (key: string) => string): UsageRow[] =>
    grouped
      .filter((row) => row.dimension === dimension)
      .map((row) => ({ key: rename ? rename(row.key ?? '') : (row.key ?? ''), files: row.files, bytes: row.bytes }))
      .sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key))
      .slice(0, limit);
  const total = grouped.find((row) => row.dimension === 'total');
  return {
    total_files: total?.files ?? 0,
    total_bytes: total?.bytes ?? 0,
    unique_bytes: unique ?? 0,
    by_service: pick('service'),
    by_version: pick('version', (id) => names.get(id) ?? id),
    by_format: pick('format'),
  };
}

const usageCache = new WeakMap<Catalog, { generation: number; usage: Promise<StorageUsage> }>();

/**
 * Storage usage, recomputed only after the catalog changed.
 *
 * Counting distinct content over every file row is the one catalog query that grows
 * with the whole catalog rather than one version, and its answer only changes on a
 * write, so the Storage page and repeated CLI calls reuse it until the next write.
 */
export function cachedStorageUsage(catalog: Catalog): Promise<StorageUsage> {
  const cached = usageCache.get(catalog);
  if (cached && cached.generation === catalog.generation) return cached.usage;
  const usage = catalog.read((conn) => storageUsage(conn));
  usageCache.set(catalog, { generation: catalog.generation, usage });
  usage.catch(() => usageCache.delete(catalog));
  return usage;
}
