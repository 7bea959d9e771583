import { OntocatError } from '../shared/errors.js';
import type { FileRecord, LatestPointer, Page, SortDirection, ValidationHealth, VersionStats, VersionSummary } from '../shared/models.js';
import { emptyHealth } from '../shared/validation-health.js';
import type { ServiceSummary } from '../shared/contract/core.js';
import type { ReleaseDateSource } from '../shared/release-order.js';
import type { VersionRef } from '../shared/version-ref.js';
import { versionId } from './ids.js';
import { listAppliedMigrations } from './migrations.js';
import type { Catalog } from './open-catalog.js';
import { sqlText, type SqlConnection } from './sql.js';
import { untilChange } from './until-change.js';
import { releasedBefore } from './release-order.js';
import { orderBy, pageWindow, type ListOrder } from './paging.js';

export interface ListVersionsQuery {
  readonly service?: string;
  /** Default `release` (newest release first, see v_release_order), then by service. */
  readonly sort?: 'release' | 'created_at' | 'service' | 'version' | 'files' | 'bytes';
  readonly direction?: SortDirection;
  readonly offset?: number;
  readonly limit?: number;
}

const versionOrder: ListOrder<NonNullable<ListVersionsQuery['sort']>> = {
  // By version means the natural order of version strings (1.2 < 1.10, v_release_order's
  // version_key), as within a service; the plain text order put 1.10 before 1.2.
  sorts: { release: 'release_key', created_at: 'created_at', service: 'service', version: 'version_key', files: 'files', bytes: 'bytes' },
  fallback: 'release',
  then: 'service, version_key, version',
  unique: 'version_id',
};

/** Lists versions with their file, byte and validation-health counts, newest release first by default. */
export async function listVersions(conn: SqlConnection, query: ListVersionsQuery = {}): Promise<Page<VersionSummary>> {
  const { offset, limit } = pageWindow(query.offset, query.limit);
  const order = orderBy(versionOrder, query.sort, query.direction ?? (query.sort ? 'asc' : 'desc'));
  const service = query.service ?? null;
  // One query whatever the sort: files, bytes and health are kept per version
  // (version_totals), so every version's stats cost a row, not a count of its files. The
  // values are literals: a command runs this once on a cold connection, where binding
  // them cost about 3 ms of 33 (offset and limit are whole numbers from pageWindow).
  const rows = await conn.all<VersionSummary & { total: number }>(
    `SELECT * EXCLUDE (release_key, version_key), count(*) OVER () AS total
     FROM v_version_stats JOIN (SELECT version_id, version_key FROM versions) USING (version_id)
     ${service === null ? '' : `WHERE service = ${sqlText(service)}`}
     ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
  );
  if (rows.length === 0 && offset > 0) {
    const total = await conn.scalar<number>('SELECT count(*) FROM versions WHERE ($1 IS NULL OR service = $1)', [service]);
    return { items: [], total: total ?? 0, offset, limit };
  }
  return { items: rows.map(({ total: _total, ...row }) => row), total: rows[0]?.total ?? 0, offset, limit };
}

/**
 * `listVersions` answered from the catalog session, kept until the catalog next changes.
 *
 * A page's stats count every file row of its versions (a million rows in a large catalog),
 * while they change only on a write; the Versions page and `ontocat versions` through a
 * running app ask for the same pages again and again.
 */
export function listVersionsOf(catalog: Catalog, query: ListVersionsQuery = {}): Promise<Page<VersionSummary>> {
  const key = JSON.stringify(['versions:list', query.service ?? null, query.sort ?? null, query.direction ?? null, query.offset ?? null, query.limit ?? null]);
  return untilChange(catalog, key, () => catalog.read((conn) => listVersions(conn, query)));
}

/** Lists the services with their version counts, latest version and newest release. */
export async function listServices(conn: SqlConnection): Promise<ServiceSummary[]> {
  // Straight from the release order and file sizes: a service list needs no validation health.
  return conn.all(
    `WITH sizes AS (SELECT version_id, sum(size_bytes) AS bytes FROM extracted_files GROUP BY version_id)
     SELECT r.service, count(*) AS versions, max(CASE WHEN lp.version_id IS NOT NULL THEN r.version END) AS latest,
            arg_max(r.version, r.release_rank) AS newest, COALESCE(sum(s.bytes), 0) AS bytes
     FROM v_release_order r
     LEFT JOIN sizes s USING (version_id)
     LEFT JOIN latest_pointer lp ON lp.slot = r.service AND lp.version_id = r.version_id
     GROUP BY r.service ORDER BY r.service`,
  );
}

/** `listServices`, kept until the catalog next changes (it sums the sizes of every file row). */
export function listServicesOf(catalog: Catalog): Promise<ServiceSummary[]> {
  return untilChange(catalog, 'services:list', () => catalog.read((conn) => listServices(conn)));
}

/** What `ontocat info` counts: the schema version applied last, versions and file rows. */
export interface CatalogCounts {
  readonly schema_version: number;
  readonly versions: number;
  readonly files: number;
}

/** The catalog's counts, kept until it next changes (a running app is asked them often). */
export function catalogCountsOf(catalog: Catalog): Promise<CatalogCounts> {
  return untilChange(catalog, 'catalog:counts', () => catalog.read(async (conn) => {
    const migrations = await listAppliedMigrations(conn);
    const counts = await conn.one<{ versions: number; files: number }>(
      'SELECT (SELECT count(*) FROM versions) AS versions, (SELECT count(*) FROM extracted_files) AS files',
    );
    return { schema_version: migrations.at(-1)?.version ?? 0, versions: counts?.versions ?? 0, files: counts?.files ?? 0 };
  }));
}

/** Fails with a clear NOT_FOUND when the version is not in the catalog. */
export async function requireVersionId(conn: SqlConnection, ref: VersionRef): Promise<string> {
  const id = versionId(ref.service, ref.version);
  const found = await conn.scalar<number>('SELECT count(*) FROM versions WHERE version_id = $1', [id]);
  if (!found) {
    const known = await conn.all<{ version: string }>(
      'SELECT version FROM v_release_order WHERE service = $1 ORDER BY release_rank DESC LIMIT 5', [ref.service],
    );
    const hint = known.length > 0 ? ` Known versions of ${ref.service}: ${known.map((row) => row.version).join(', ')}.` : ` The catalog has no service '${ref.service}'.`;
    throw new OntocatError('NOT_FOUND', `Unknown version ${ref.service}/${ref.version}.${hint}`);
  }
  return id;
}

export const fileColumnsSql = `f.file_id, f.artifact_id, f.version_id, f.service, v.version, f.relpath, f.format, f.sniffed_format, f.size_bytes, f.sha256, f.mtime, f.cas_relpath`;

/** Files, bytes, per-format counts, validation health and the largest files of a version. */
export async function versionStats(conn: SqlConnection, ref: VersionRef, largest = 10, orderAgainst?: VersionRef): Promise<VersionStats> {
  const id = await requireVersionId(conn, ref);
  if (orderAgainst && orderAgainst.service !== ref.service) {
    throw new OntocatError('BAD_INPUT', `${orderAgainst.service}/${orderAgainst.version} is not a version of ${ref.service}; release order compares versions of one service.`);
  }
  const head = await conn.one<{
    files: number; bytes: number; is_latest: boolean; health: ValidationHealth;
    release_date: string | null; release_date_source: ReleaseDateSource | null; release_rank: number;
  }>(
    `SELECT files, bytes, is_latest, health, release_date, release_date_source, release_rank
     FROM v_version_stats WHERE version_id = $1`,
    [id],
  );
  const byFormat = await conn.all<{ format: string; files: number; bytes: number }>(
    `SELECT format, count(*) AS files, sum(size_bytes) AS bytes FROM extracted_files WHERE version_id = $1
     GROUP BY format ORDER BY bytes DESC, format`,
    [id],
  );
  const largestFiles = await conn.all<FileRecord>(
    `SELECT ${fileColumnsSql} FROM extracted_files f JOIN versions v USING (version_id)
     WHERE f.version_id = $1 ORDER BY f.size_bytes DESC, f.relpath LIMIT $2`,
    [id, largest],
  );
  return {
    service: ref.service,
    version: ref.version,
    version_id: id,
    is_latest: head?.is_latest ?? false,
    release_date: head?.release_date ?? null,
    release_date_source: head?.release_date_source ?? null,
    release_rank: head?.release_rank ?? 0,
    files: head?.files ?? 0,
    bytes: head?.bytes ?? 0,
    by_format: byFormat,
    health: head?.health ?? emptyHealth(),
    largest_files: largestFiles,
    ...(orderAgainst ? { order_against: { ref: `${orderAgainst.service}/${orderAgainst.version}`, older: await releasedBefore(conn, ref, orderAgainst) } } : {}),
  };
}

/** The latest pointer of a service slot, or null when none is set. */
export async function getLatest(conn: SqlConnection, service: string): Promise<LatestPointer | null> {
  return conn.one<LatestPointer>(
    `SELECT lp.slot, lp.version_id, v.service, v.version, lp.updated_at, lp."by"
     FROM latest_pointer lp JOIN versions v USING (version_id) WHERE lp.slot = $1`,
    [service],
  );
}

/** Every latest pointer, one per service slot. */
export async function listLatest(conn: SqlConnection): Promise<LatestPointer[]> {
  return conn.all<LatestPointer>(
    `SELECT lp.slot, lp.version_id, v.service, v.version, lp.updated_at, lp."by"
     FROM latest_pointer lp JOIN versions v USING (version_id) ORDER BY lp.slot`,
  );
}

/** A version's pin: whether it is pinned, the curator's reason and since when. */
export async function pinInfo(conn: SqlConnection, ref: VersionRef): Promise<{ ref: string; pinned: boolean; reason: string | null; pinned_at: string | null }> {
  const id = await requireVersionId(conn, ref);
  const row = await conn.one<{ pinned: boolean; reason: string | null; pinned_at: string | null }>(
    `SELECT v.pinned, CASE WHEN v.pinned THEN NULLIF(p.reason, '') END AS reason, CASE WHEN v.pinned THEN p.pinned_at END AS pinned_at
     FROM versions v LEFT JOIN version_pins p USING (version_id) WHERE v.version_id = $1`, [id]);
  return { ref: `${ref.service}/${ref.version}`, pinned: row?.pinned ?? false, reason: row?.reason ?? null, pinned_at: row?.pinned_at ?? null };
}
