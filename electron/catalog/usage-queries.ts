import type { StorageUsage, UsageRow } from '../shared/models.js';
import type { Catalog } from './open-catalog.js';
import type { SqlConnection } from './sql.js';
import { untilChange } from './until-change.js';

/**
 * Bytes of distinct content in the whole catalog: what the content store really holds.
 * Grouped by the four integer content keys (the whole sha256), not the 64-char string.
 */
export const UNIQUE_CONTENT_BYTES_SQL = `SELECT COALESCE(sum(size_bytes), 0) FROM (
  SELECT any_value(size_bytes) AS size_bytes FROM extracted_files
  GROUP BY content_key, content_key_2, content_key_3, content_key_4)`;

/**
 * Bytes and files by service, version and format, the bytes of distinct content, and the
 * downloads versions keep as they came.
 *
 * One statement: files and bytes per version and format (a few hundred groups, from which
 * Node rolls up services, versions, formats and the total), next to the distinct-content
 * sum (UNIQUE_CONTENT_BYTES_SQL). `unique_bytes` counts each distinct content once: the
 * gap to `total_bytes` is what the content store saves by hardlinking unchanged files
 * across versions.
 */
export async function storageUsage(conn: SqlConnection, page: UsagePage = {}): Promise<StorageUsage> {
  return pageOfUsage(await wholeUsage(conn), page);
}

/** Which services of the usage to list: `limit` (default 100) from `offset`, largest first. */
export interface UsagePage {
  readonly offset?: number;
  readonly limit?: number;
}

const LISTED = 100;

/**
 * The usage with every service, version and format row: kept until the next write, and
 * paged per question (pageOfUsage). A slice kept instead cut the services at 100 with no
 * word of the rest.
 */
async function wholeUsage(conn: SqlConnection): Promise<StorageUsage> {
  const groups = await conn.all<{ name: string; service: string; format: string; files: number; bytes: number; unique_bytes: number }>(
    `WITH per_version AS (
       SELECT version_id, format, any_value(service) AS service, count(*) AS files, sum(size_bytes) AS bytes
       FROM extracted_files GROUP BY version_id, format)
     SELECT COALESCE(v.service || '/' || v.version, p.version_id::VARCHAR) AS name, p.service, p.format, p.files, p.bytes,
            (${UNIQUE_CONTENT_BYTES_SQL}) AS unique_bytes
     FROM per_version p LEFT JOIN versions v USING (version_id)`,
  );
  // Kept downloads are files of their own under S/V/archives/ (as verify, doctor and prune
  // count them), not rows of extracted_files; one row per path, as the disk has one file.
  const [kept] = await conn.all<{ versions: number; files: number; bytes: number }>(
    `SELECT (SELECT count(*) FROM versions) AS versions, count(*) AS files, COALESCE(sum(size_bytes), 0)::BIGINT AS bytes
     FROM (SELECT fs_relpath, any_value(size_bytes) AS size_bytes FROM artifacts WHERE fs_relpath IS NOT NULL GROUP BY fs_relpath)`,
  );
  const rollUp = (keyOf: (group: (typeof groups)[number]) => string): UsageRow[] => {
    const rows = new Map<string, { key: string; files: number; bytes: number }>();
    for (const group of groups) {
      const key = keyOf(group);
      const row = rows.get(key) ?? { key, files: 0, bytes: 0 };
      row.files += group.files;
      row.bytes += group.bytes;
      rows.set(key, row);
    }
    return [...rows.values()].sort((a, b) => b.bytes - a.bytes || a.key.localeCompare(b.key));
  };
  const byService = rollUp((group) => group.service);
  return {
    versions: kept?.versions ?? 0,
    total_files: groups.reduce((sum, group) => sum + group.files, 0),
    total_bytes: groups.reduce((sum, group) => sum + group.bytes, 0),
    unique_bytes: groups[0]?.unique_bytes ?? 0,
    downloads: { files: kept?.files ?? 0, bytes: kept?.bytes ?? 0 },
    by_service: byService,
    by_service_total: byService.length,
    by_version: rollUp((group) => group.name),
    by_format: rollUp((group) => group.format),
  };
}

/**
 * Storage usage, recomputed only after the catalog changed.
 *
 * Counting distinct content over every file row is the one catalog query that grows
 * with the whole catalog rather than one version, and its answer only changes on a
 * write, so the Storage page and repeated CLI calls reuse it until the next write.
 */
export async function cachedStorageUsage(catalog: Catalog, page: UsagePage = {}): Promise<StorageUsage> {
  return pageOfUsage(await untilChange(catalog, 'storage:usage', () => catalog.read((conn) => wholeUsage(conn))), page);
}

/** The asked page of services; versions and formats their 100 largest, as before (the Storage page says how many versions). */
function pageOfUsage(usage: StorageUsage, page: UsagePage): StorageUsage {
  const offset = page.offset ?? 0;
  return {
    ...usage,
    by_service: usage.by_service.slice(offset, offset + (page.limit ?? LISTED)),
    by_version: usage.by_version.slice(0, LISTED),
    by_format: usage.by_format.slice(0, LISTED),
  };
}
