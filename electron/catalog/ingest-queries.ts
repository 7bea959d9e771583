import { FILE_FORMATS, type FileFormat } from '../shared/formats.js';
import type { VersionRef } from '../shared/version-ref.js';
import { artifactId, versionId } from './ids.js';
import { fixedOrder } from './paging.js';
import type { SqlConnection } from './sql.js';
import { UNIQUE_CONTENT_BYTES_SQL } from './usage-queries.js';

/** What a conditional GET needs from the last download of the same artifact. */
export interface PreviousArtifact {
  readonly version: string;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly content_type: string | null;
  readonly sha256: string | null;
  readonly size_bytes: number;
  readonly fs_relpath: string;
  readonly fetched_at: string;
}

/**
 * The newest stored download of `name` from `sourceUrl` for a service (any version), or null.
 *
 * Only the same URL: HTTP validators belong to one resource, and another URL's
 * Last-Modified can earn a 304 from a server that compares dates alone.
 */
export async function previousArtifact(conn: SqlConnection, service: string, name: string, sourceUrl: string): Promise<PreviousArtifact | null> {
  return conn.one<PreviousArtifact>(
    `SELECT v.version, a.etag, a.last_modified, a.content_type, a.sha256, a.size_bytes, a.fs_relpath, a.fetched_at
     FROM artifacts a JOIN versions v USING (version_id)
     WHERE a.service = $1 AND a.name = $2 AND a.source_url = $3 AND a.fs_relpath IS NOT NULL AND a.status IN ('fresh', 'cached')
       AND (a.etag IS NOT NULL OR a.last_modified IS NOT NULL)
     ORDER BY ${fixedOrder({ keys: 'a.fetched_at DESC', unique: 'a.artifact_id' })} LIMIT 1`,
    [service, name, sourceUrl],
  );
}

/** The content an artifact of a version records (null when it records none of that name). */
export async function recordedArtifact(conn: SqlConnection, ref: VersionRef, name: string): Promise<{ sha256: string | null; size_bytes: number } | null> {
  return conn.one<{ sha256: string | null; size_bytes: number }>(
    'SELECT sha256, size_bytes FROM artifacts WHERE artifact_id = $1',
    [artifactId(versionId(ref.service, ref.version), name)],
  );
}

export interface FileDigest {
  readonly relpath: string;
  readonly sha256: string;
  readonly size_bytes: number;
  /** The stored file's mtime as recorded (null for a row that has none). */
  readonly mtime_ms: number | null;
}

/** The (path, content) set of a version, or null when the version is not catalogued. */
export async function versionFileDigests(conn: SqlConnection, ref: VersionRef): Promise<FileDigest[] | null> {
  const id = versionId(ref.service, ref.version);
  const exists = await conn.scalar<number>('SELECT count(*) FROM versions WHERE version_id = $1', [id]);
  if (!exists) return null;
  return conn.all<FileDigest>('SELECT relpath, sha256, size_bytes, epoch_ms(mtime) AS mtime_ms FROM extracted_files WHERE version_id = $1 ORDER BY relpath', [id]);
}

/** Whether a version is the latest of its service. */
export async function isLatestVersion(conn: SqlConnection, ref: VersionRef): Promise<boolean> {
  const found = await conn.scalar<number>('SELECT count(*) FROM latest_pointer WHERE slot = $1 AND version_id = $2', [ref.service, versionId(ref.service, ref.version)]);
  return (found ?? 0) > 0;
}

export interface StoredFileRow {
  readonly service: string;
  readonly version: string;
  /** Below the version's `data/` folder, or `archives/NAME` for a downloaded archive. */
  readonly relpath: string;
  /** A downloaded archive's place, relative to the root (null for a file: it is under `data/`). */
  readonly fs_relpath: string | null;
  readonly kind: 'file' | 'archive';
  readonly sha256: string;
  readonly size_bytes: number;
}

/**
 * Every catalogued file (of one version, or all), for re-hashing: the extracted files and
 * the downloads `fetch`, URL ingests and sync keep under `S/V/archives/`, whose SHA-256 the
 * catalog records as well.
 */
export async function filesToVerify(conn: SqlConnection, ref?: VersionRef): Promise<StoredFileRow[]> {
  return conn.all<StoredFileRow>(
    `SELECT service, version, relpath, fs_relpath, kind, sha256, size_bytes FROM (
       SELECT f.service, v.version, f.relpath, NULL AS fs_relpath, 'file' AS kind, f.sha256, f.size_bytes
       FROM extracted_files f JOIN versions v USING (version_id)
       WHERE $vid IS NULL OR f.version_id = $vid::UUID
       UNION ALL
       SELECT a.service, v.version,
              CASE WHEN starts_with(a.fs_relpath, a.service || '/' || v.version || '/') THEN a.fs_relpath[length(a.service || '/' || v.version || '/') + 1:] ELSE a.fs_relpath END,
              a.fs_relpath, 'archive', a.sha256, a.size_bytes
       FROM artifacts a JOIN versions v USING (version_id)
       WHERE a.fs_relpath IS NOT NULL AND a.sha256 IS NOT NULL AND ($vid IS NULL OR a.version_id = $vid::UUID))
     ORDER BY service, version, kind DESC, relpath`,
    { vid: ref ? versionId(ref.service, ref.version) : null },
  );
}

export interface DedupTotals {
  readonly files: number;
  readonly logical_bytes: number;
  readonly unique_files: number;
  readonly unique_bytes: number;
}

/** How much the content store saves: logical bytes against distinct contents. */
export async function dedupTotals(conn: SqlConnection, top: number): Promise<{
  totals: DedupTotals;
  by_service: { service: string; files: number; logical_bytes: number; unique_bytes: number }[];
  top_shared: { sha256: string; size_bytes: number; copies: number; bytes_saved: number; example_relpath: string }[];
}> {
  const totals = await conn.one<DedupTotals>(
    `SELECT count(*) AS files, COALESCE(sum(size_bytes), 0) AS logical_bytes,
            count(DISTINCT sha256) AS unique_files,
            (${UNIQUE_CONTENT_BYTES_SQL}) AS unique_bytes
     FROM extracted_files`,
  );
  const byService = await conn.all<{ service: string; files: number; logical_bytes: number; unique_bytes: number }>(
    `SELECT service, sum(n) AS files, sum(n * s) AS logical_bytes, sum(s) AS unique_bytes
     FROM (SELECT service, sha256, count(*) AS n, any_value(size_bytes) AS s FROM extracted_files GROUP BY service, sha256)
     GROUP BY service ORDER BY logical_bytes DESC, service`,
  );
  const topShared = await conn.all<{ sha256: string; size_bytes: number; copies: number; bytes_saved: number; example_relpath: string }>(
    `SELECT sha256, any_value(size_bytes) AS size_bytes, count(*) AS copies,
            (count(*) - 1) * any_value(size_bytes) AS bytes_saved, min(relpath) AS example_relpath
     FROM extracted_files GROUP BY sha256 HAVING count(*) > 1
     ORDER BY bytes_saved DESC, sha256 LIMIT $1`,
    [top],
  );
  return { totals: totals ?? { files: 0, logical_bytes: 0, unique_files: 0, unique_bytes: 0 }, by_service: byService, top_shared: topShared };
}

export interface FullFileRow {
  readonly relpath: string;
  readonly format: string;
  readonly sniffed_format: string | null;
  readonly size_bytes: number;
  readonly sha256: string;
  readonly mtime_ms: number | null;
  readonly cas_relpath: string | null;
  readonly artifact_id: string | null;
}

/** Every file row of a version, in the shape `replaceVersionFiles` takes back. */
export async function versionFileRows(conn: SqlConnection, ref: VersionRef): Promise<FullFileRow[]> {
  return conn.all<FullFileRow>(
    `SELECT relpath, format, sniffed_format, size_bytes, sha256, epoch_ms(mtime) AS mtime_ms, cas_relpath, artifact_id::VARCHAR AS artifact_id
     FROM extracted_files WHERE version_id = $1 ORDER BY relpath`,
    [versionId(ref.service, ref.version)],
  );
}

/** The SQL pattern of a store path in the older two-level layout (`.cas/sha256/ab/cd/<sha>`). */
export const LEGACY_CAS_LIKE = '.cas/sha256/__/__/%';

/**
 * Whether any catalogued file still points into the older two-level store layout: then
 * ingest also looks for existing content there (until `migrate-store` has moved it all).
 */
export async function hasLegacyCasRows(conn: SqlConnection): Promise<boolean> {
  return (await conn.scalar<boolean>('SELECT EXISTS (SELECT 1 FROM extracted_files WHERE cas_relpath LIKE $1)', [LEGACY_CAS_LIKE])) === true;
}

/**
 * The content store objects among `objects` whose mtime now differs from the one recorded
 * for a catalogued file linked to them: a file edited in place changes its object too.
 * Mtimes are compared in whole milliseconds, as recorded.
 */
export async function objectsWithOtherMtime(conn: SqlConnection, objects: readonly { cas_relpath: string; mtime_ms: number }[]): Promise<string[]> {
  if (objects.length === 0) return [];
  const rows = await conn.all<{ cas_relpath: string }>(`
    WITH seen AS (SELECT unnest(string_split($1, chr(0))) AS cas_relpath, unnest(string_split($2, ','))::BIGINT AS mtime_ms)
    SELECT DISTINCT s.cas_relpath FROM seen s JOIN extracted_files f ON f.cas_relpath = s.cas_relpath
    WHERE epoch_ms(f.mtime) <> s.mtime_ms
    ORDER BY s.cas_relpath`,
  [objects.map((object) => object.cas_relpath).join('\0'), objects.map((object) => String(Math.round(object.mtime_ms))).join(',')]);
  return rows.map((row) => row.cas_relpath);
}

const KNOWN_FORMATS: ReadonlySet<string> = new Set(FILE_FORMATS);

/**
 * What the catalog says the contents of at most `maxBytes` bytes look like (sha256 → sniffed
 * format, null where sniffing was inconclusive), from the newest version of `service` whose
 * rows were last recorded under the detection rules `rules` (its newest `files.recorded`
 * event says so: ingest's do, import-manifest's do not); empty when no version was.
 *
 * Every writer sniffs a file's first kilobytes (8 KiB to 64 KiB), so content of at most
 * `maxBytes` (8 KiB) was sniffed whole wherever it was recorded: under the same rules, its
 * recorded sniffed format is what sniffing it again would give.
 */
export async function recordedSniffedFormats(conn: SqlConnection, service: string, rules: number, maxBytes: number): Promise<Map<string, FileFormat | null>> {
  const source = await conn.scalar<string>(
    `SELECT v.version_id::VARCHAR FROM (
       SELECT json_extract_string(payload_json, '$.version') AS version, ts,
              TRY_CAST(json_extract_string(payload_json, '$.format_detection') AS INTEGER) AS rules
       FROM events WHERE type = 'files.recorded' AND json_extract_string(payload_json, '$.service') = $1
       QUALIFY row_number() OVER (PARTITION BY version ORDER BY ts DESC) = 1
     ) r JOIN versions v ON v.service = $1 AND v.version = r.version
     WHERE r.rules = $2 ORDER BY r.ts DESC LIMIT 1`,
    [service, rules],
  );
  const known = new Map<string, FileFormat | null>();
  if (!source) return known;
  // One string rather than a row object a file: 100,000 rows cost a fraction as one value.
  const listed = await conn.scalar<string>(
    `SELECT string_agg(sha256 || COALESCE(sniffed_format, ''), chr(10)) FROM (
       SELECT DISTINCT sha256, sniffed_format FROM extracted_files WHERE version_id = $1::UUID AND size_bytes <= $2)`,
    [source, maxBytes],
  );
  const disagreeing: string[] = [];
  for (const line of listed ? listed.split('\n') : []) {
    const sha256 = line.slice(0, 64);
    const sniffed = line.length > 64 ? line.slice(64) : null;
    if (known.has(sha256) && known.get(sha256) !== sniffed) disagreeing.push(sha256);
    // A format this build does not know is not taken.
    if (sniffed === null || KNOWN_FORMATS.has(sniffed)) known.set(sha256, sniffed as FileFormat | null);
    else disagreeing.push(sha256);
  }
  // Rows that disagree about the same bytes (none should): those bytes are sniffed again.
  for (const sha256 of disagreeing) known.delete(sha256);
  return known;
}
