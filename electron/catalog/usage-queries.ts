import type { StorageUsage, UsageRow } from '../shared/models.js';
import type { SqlConnection } from './sql.js';

/**
 * Bytes and files by service, version and format.
 *
 * `unique_bytes` counts each distinct content once: the gap to `total_bytes` is what the
 * content store saves by hardlinking unchanged files across versions.
 */
export async function storageUsage(conn: SqlConnection, limit = 100): Promise<StorageUsage> {
  const totals = await conn.one<{ total_files: number; total_bytes: number; unique_bytes: number }>(
    `SELECT count(*) AS total_files, COALESCE(sum(size_bytes), 0) AS total_bytes,
            (SELECT COALESCE(sum(size_bytes), 0) FROM (SELECT any_value(size_bytes) AS size_bytes FROM extracted_files GROUP BY sha256)) AS unique_bytes
     FROM extracted_files`,
  );
  const group = (key: string, from = 'extracted_files f'): Promise<UsageRow[]> =>
    conn.all<UsageRow>(
      `SELECT ${key} AS key, count(*) AS files, sum(f.size_bytes) AS bytes FROM ${from}
       GROUP BY 1 ORDER BY bytes DESC, key LIMIT $1`,
      [limit],
    );
  return {
    total_files: totals?.total_files ?? 0,
    total_bytes: totals?.total_bytes ?? 0,
    unique_bytes: totals?.unique_bytes ?? 0,
    by_service: await group('f.service'),
    by_version: await group("v.service || '/' || v.version", 'extracted_files f JOIN versions v USING (version_id)'),
    by_format: await group('f.format'),
  };
}
