import type { DeltaFormatRow } from '../shared/contract/delta.js';
import type {
  CadenceReport, CadenceRow, CadenceServiceRow, GrowthReport, HotspotRow, LatestReportRow, ValidationHealthRow,
} from '../shared/contract/report.js';
import { OntocatError } from '../shared/errors.js';
import { knownReleaseDay } from '../shared/release-order.js';
import { parseVersionRef, type VersionRef } from '../shared/version-ref.js';
import { deltaByFormatQuery, resolvePair, summariseDelta } from './delta-queries.js';
import type { QuerySpec } from './query-spec.js';
import type { SqlConnection } from './sql.js';
import { previousRelease, releasedBefore, releaseDateOf } from './release-order.js';
import { requireVersionId } from './version-queries.js';

/**
 * The version each service is judged by in reports: the one its latest pointer names,
 * else its newest in release order (v_release_order).
 */
const currentVersionsCte = `current_versions AS (
  SELECT * FROM (
    SELECT s.*, row_number() OVER (PARTITION BY s.service ORDER BY s.is_latest DESC, s.release_rank DESC) AS pick,
           count(*) OVER (PARTITION BY s.service) AS versions
    FROM v_version_stats s
    WHERE ($service IS NULL OR s.service = $service)
  ) WHERE pick = 1
)`;

async function requireService(conn: SqlConnection, service: string | undefined): Promise<void> {
  if (service === undefined) return;
  const found = await conn.scalar<number>('SELECT count(*) FROM versions WHERE service = $1', [service]);
  if (!found) throw new OntocatError('NOT_FOUND', `The catalog has no service '${service}'.`);
}

/** Latest version summary per service. */
export function latestReportQuery(input: { service?: string }): QuerySpec {
  return {
    sql: `WITH ${currentVersionsCte}
          SELECT c.service, c.version, c.created_at, c.is_latest AS pointer_set, c.versions, c.files, c.bytes,
                 (SELECT count(DISTINCT format) FROM extracted_files f WHERE f.version_id = c.version_id) AS formats,
                 h.health.files_unparsable, h.health.files_with_errors, h.health.errors, h.health.warnings
          FROM current_versions c JOIN v_version_health h USING (version_id) ORDER BY c.service`,
    params: { service: input.service ?? null },
  };
}

export async function latestReport(conn: SqlConnection, input: { service?: string } = {}): Promise<LatestReportRow[]> {
  await requireService(conn, input.service);
  const spec = latestReportQuery(input);
  return conn.all<LatestReportRow>(spec.sql, spec.params);
}

/** Resolves a growth report's two versions: by default the previous and the current version of the service. */
export async function growthPair(conn: SqlConnection, input: { service: string; from?: string; to?: string }): Promise<{ from: VersionRef; to: VersionRef }> {
  await requireService(conn, input.service);
  const refOf = (text: string): VersionRef => {
    const ref = parseVersionRef(text);
    if (ref.service !== input.service) throw new OntocatError('BAD_INPUT', `${text} is not a version of ${input.service}.`);
    return ref;
  };
  let to: VersionRef;
  if (input.to) to = refOf(input.to);
  else {
    const current = await conn.one<{ version: string }>(
      `WITH ${currentVersionsCte} SELECT version FROM current_versions`, { service: input.service },
    );
    to = { service: input.service, version: current!.version };
  }
  if (input.from) {
    const from = refOf(input.from);
    await refuseBackwards(conn, from, to, input.to === undefined);
    return { from, to };
  }
  await requireVersionId(conn, to);
  const previous = await previousRelease(conn, to);
  if (!previous) throw new OntocatError('NOT_FOUND', `${input.service}/${to.version} has no earlier release to compare with.`);
  return { from: { service: input.service, version: previous }, to };
}

/**
 * Growth runs from the older release to the newer: a pair given the other way round read
 * as a shrinking growth with no word. Refused (BAD_INPUT), naming the release order
 * (DESIGN.md: release date, then version name; never ingest order) and the pair to ask for.
 */
async function refuseBackwards(conn: SqlConnection, from: VersionRef, to: VersionRef, toIsCurrent: boolean): Promise<void> {
  if (!(await releasedBefore(conn, to, from))) return;
  const released = async (ref: VersionRef): Promise<string> => {
    const stored = await releaseDateOf(conn, ref);
    const day = knownReleaseDay(stored);
    // An ingest date orders a version with no release date of its own; say which it is.
    if (day !== null) return `released ${day}`;
    return stored.release_date ? `no release date, ingested ${stored.release_date.slice(0, 10)}` : 'no release date';
  };
  throw new OntocatError('BAD_INPUT',
    `${from.service}/${from.version} (${await released(from)}) is newer than ${to.service}/${to.version} (${await released(to)}${toIsCurrent ? ', the current version' : ''}) in release order, `
    + `and growth runs from the older version to the newer: ask for --from ${to.version} --to ${from.version}.`);
}

/** Growth from one version to another, by format (defaults: previous -> current version). */
export async function growthReport(conn: SqlConnection, input: { service: string; from?: string; to?: string }): Promise<GrowthReport> {
  const refs = await growthPair(conn, input);
  const pair = await resolvePair(conn, refs.from, refs.to);
  const spec = deltaByFormatQuery(pair);
  const rows = await conn.all<DeltaFormatRow>(spec.sql, spec.params);
  return { service: input.service, from: pair.from, to: pair.to, summary: summariseDelta(pair, '', rows), rows };
}

/** Resolves the versions a validation or hotspot report covers: one ref, or the current version of each service. */
async function scopeParams(conn: SqlConnection, input: { service?: string; ref?: string }): Promise<{ service: string | null; ref_id: string | null }> {
  await requireService(conn, input.service);
  const refId = input.ref ? await requireVersionId(conn, parseVersionRef(input.ref)) : null;
  return { service: input.service ?? null, ref_id: refId };
}

const scopeCte = `${currentVersionsCte},
  scope AS (
    SELECT version_id FROM current_versions WHERE $ref_id IS NULL
    UNION ALL SELECT $ref_id::UUID WHERE $ref_id IS NOT NULL
  )`;

/**
 * Validation health per validator and format over the current versions (or one version),
 * by the definition of migrations/0005_validation_health.sql.
 *
 * CHECKED is the files each validator read, not only those it left a row for: a syntax
 * validator records a result for every file; quality records only its findings but reads
 * every file that parsed with terms (the syntax result's `details.terms`, as
 * validate-file.ts runs it); the disk check ('storage') covers every file of a validated
 * version. Counting syntax rows gave quality 0 files checked beside its errors. Only the
 * syntax validators parse, so only they have parsed/unparsable files and a parse rate.
 */
export function validationReportQuery(params: { service: string | null; ref_id: string | null }): QuerySpec {
  return {
    sql: `WITH ${scopeCte},
          scoped AS (
            SELECT val.*, f.format FROM validations val JOIN extracted_files f USING (file_id, version_id)
            WHERE val.version_id IN (SELECT version_id FROM scope)
          ),
          checked AS (
            SELECT validator, format, file_id FROM scoped WHERE rule = 'syntax'
            UNION
            SELECT 'quality', format, file_id FROM scoped
            WHERE rule = 'syntax' AND passed AND json_exists(details_json, '$.terms')
            UNION
            SELECT 'storage', f.format, f.file_id FROM extracted_files f
            WHERE f.version_id IN (SELECT version_id FROM scoped)
            UNION
            SELECT validator, format, file_id FROM scoped WHERE validator IN ('quality', 'storage')
          ),
          checked_counts AS (SELECT validator, format, count(*) AS files_checked FROM checked GROUP BY ALL),
          health AS (
            SELECT validator, format,
                   count(*) FILTER (WHERE rule = 'syntax') AS files_parsed_of,
                   count(*) FILTER (WHERE rule = 'syntax' AND passed) AS files_parsed,
                   count(*) FILTER (WHERE rule = 'syntax' AND NOT passed) AS files_unparsable,
                   count(DISTINCT file_id) FILTER (WHERE NOT passed AND severity = 'ERROR') AS files_with_errors,
                   count(*) FILTER (WHERE rule <> 'syntax' AND NOT passed AND severity = 'ERROR') AS errors,
                   count(*) FILTER (WHERE rule <> 'syntax' AND NOT passed AND severity = 'WARN') AS warnings,
                   count(*) FILTER (WHERE rule <> 'syntax' AND NOT passed AND severity = 'INFO') AS infos
            FROM scoped GROUP BY validator, format
          )
          SELECT h.validator, h.format, COALESCE(c.files_checked, 0) AS files_checked, h.files_parsed, h.files_unparsable,
                 round(h.files_parsed / nullif(h.files_parsed_of, 0), 4)::DOUBLE AS parse_rate,
                 h.files_with_errors, h.errors, h.warnings, h.infos
          FROM health h LEFT JOIN checked_counts c USING (validator, format)
          ORDER BY h.files_with_errors DESC, h.errors DESC, h.validator, h.format`,
    params,
  };
}

export async function validationReport(conn: SqlConnection, input: { service?: string; ref?: string } = {}): Promise<ValidationHealthRow[]> {
  const spec = validationReportQuery(await scopeParams(conn, input));
  return conn.all<ValidationHealthRow>(spec.sql, spec.params);
}

/**
 * Services, formats and folders (`service/first/levels`, `depth` deep; `service (top level)`
 * for the files at a version's top level) that dominate bytes or
 * validation errors in the current versions: the top `top` of each dimension by either.
 */
export function hotspotsReportQuery(params: { service: string | null; ref_id: string | null }, top = 10, depth = 1): QuerySpec {
  return {
    sql: `WITH ${scopeCte},
          failures AS (
            SELECT file_id, count(*) AS failed FROM validations
            WHERE version_id IN (SELECT version_id FROM scope) AND NOT passed AND severity = 'ERROR' GROUP BY file_id
          ),
          files AS (
            SELECT f.service, f.format, f.dir, f.size_bytes, COALESCE(fl.failed, 0) AS failed
            FROM extracted_files f LEFT JOIN failures fl USING (file_id)
            WHERE f.version_id IN (SELECT version_id FROM scope)
          ),
          totals AS (SELECT COALESCE(sum(size_bytes), 0) AS bytes, COALESCE(sum(failed), 0) AS errors FROM files),
          dims AS (
            SELECT 'service' AS dimension, service AS key, count(*) AS files, sum(size_bytes) AS bytes, sum(failed) AS errors FROM files GROUP BY 2
            UNION ALL
            SELECT 'format', format, count(*), sum(size_bytes), sum(failed) FROM files GROUP BY 2
            UNION ALL
            -- Files at a version's top level have no folder: they read as the service's own, not as 'service/.'.
            SELECT 'folder', CASE WHEN dir = '' THEN service || ' (top level)' ELSE service || '/' || array_to_string(string_split(dir, '/')[1:$depth], '/') END,
                   count(*), sum(size_bytes), sum(failed) FROM files GROUP BY 2
          ),
          ranked AS (
            SELECT d.dimension, d.key, d.files, d.bytes::BIGINT AS bytes,
                   round(CASE WHEN t.bytes = 0 THEN 0 ELSE d.bytes / t.bytes END, 4)::DOUBLE AS bytes_share,
                   d.errors::BIGINT AS errors,
                   round(CASE WHEN t.errors = 0 THEN 0 ELSE d.errors / t.errors END, 4)::DOUBLE AS errors_share,
                   row_number() OVER (PARTITION BY d.dimension ORDER BY d.bytes DESC, d.key) AS bytes_rank,
                   row_number() OVER (PARTITION BY d.dimension ORDER BY d.errors DESC, d.key) AS errors_rank
            FROM dims d, totals t
          )
          SELECT * FROM ranked WHERE bytes_rank <= $top OR (errors > 0 AND errors_rank <= $top)
          ORDER BY CASE dimension WHEN 'service' THEN 0 WHEN 'format' THEN 1 ELSE 2 END, bytes DESC, errors DESC, key`,
    params: { ...params, top, depth },
  };
}

export async function hotspotsReport(conn: SqlConnection, input: { service?: string; top?: number; depth?: number } = {}): Promise<HotspotRow[]> {
  const spec = hotspotsReportQuery(await scopeParams(conn, input), input.top, input.depth);
  return conn.all<HotspotRow>(spec.sql, spec.params);
}

/**
 * Releases of each service in release order, with days since and growth over the previous one.
 *
 * Days run between release dates; where they disagree with the order (a version placed by
 * its version string whose ingest date is earlier), there is no cadence to tell: null.
 *
 * A release is a no-op when it has the same paths with the same contents as the previous
 * one; that is compared through an order-independent fingerprint (xor of per-file hashes
 * of path and sha256) plus the file count, in one pass over the files.
 */
const releasesCte = `fingerprints AS (
    SELECT version_id, count(*) AS files, sum(size_bytes) AS bytes, bit_xor(hash(relpath, sha256)) AS fp
    FROM extracted_files GROUP BY version_id
  ),
  releases AS (
    SELECT v.service, v.version, v.created_at, v.release_date, v.release_date_source, v.release_rank,
           COALESCE(fp.files, 0) AS files, COALESCE(fp.bytes, 0)::BIGINT AS bytes, COALESCE(fp.fp, 0) AS fp,
           lag(v.version) OVER w AS previous, lag(v.release_date) OVER w AS previous_at,
           lag(COALESCE(fp.files, 0)) OVER w AS previous_files, lag(COALESCE(fp.bytes, 0)::BIGINT) OVER w AS previous_bytes,
           lag(COALESCE(fp.fp, 0)) OVER w AS previous_fp,
           v.release_date_source <> 'ingest' AS dated,
           bool_or(v.release_date_source <> 'ingest') OVER (PARTITION BY v.service) AS service_dated,
           last_value(CASE WHEN v.release_date_source <> 'ingest' THEN v.release_date END IGNORE NULLS)
             OVER (PARTITION BY v.service ORDER BY v.release_rank ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS previous_dated_at
    FROM v_release_order v LEFT JOIN fingerprints fp USING (version_id)
    WHERE $service IS NULL OR v.service = $service
    WINDOW w AS (PARTITION BY v.service ORDER BY v.release_rank)
  ),
  -- Days run between known release dates: in a service where some are known, from the
  -- previous release with a known date, and none for a version whose date is its ingest
  -- date (an ingest date after a dated release made a 2,529-day gap in 2,515 days); where
  -- none is known, between ingest dates.
  cadence AS (
    SELECT service, version, created_at, CASE WHEN dated OR NOT service_dated THEN release_date END AS known_at,
           release_date, release_date_source, release_rank, previous,
           CASE WHEN service_dated AND dated AND previous_dated_at <= release_date
                  THEN round(date_diff('second', previous_dated_at, release_date) / 86400.0, 3)::DOUBLE
                WHEN NOT service_dated AND previous_at <= release_date
                  THEN round(date_diff('second', previous_at, release_date) / 86400.0, 3)::DOUBLE END AS days_since_previous,
           files, bytes, files - previous_files AS growth_files, bytes - previous_bytes AS growth_bytes,
           (previous IS NOT NULL AND files = previous_files AND fp = previous_fp) AS noop
    FROM releases
  )`;

export function cadenceReportQuery(input: { service?: string }): QuerySpec {
  return {
    sql: `WITH ${releasesCte}
          SELECT service, version, created_at, release_date, release_date_source, previous, days_since_previous,
                 files, bytes, growth_files, growth_bytes, noop
          FROM cadence ORDER BY service, release_rank`,
    params: { service: input.service ?? null },
  };
}

export async function cadenceReport(conn: SqlConnection, input: { service?: string } = {}): Promise<CadenceReport> {
  await requireService(conn, input.service);
  const spec = cadenceReportQuery(input);
  const rows = await conn.all<CadenceRow>(spec.sql, spec.params);
  const services = await conn.all<CadenceServiceRow>(
    `WITH ${releasesCte}
     SELECT service, count(*) AS versions, min(known_at) AS first_at, max(known_at) AS last_at,
            round(avg(days_since_previous), 3)::DOUBLE AS mean_days, round(median(days_since_previous), 3)::DOUBLE AS median_days,
            max(days_since_previous) AS max_days, count(*) FILTER (WHERE noop) AS noop_releases,
            round(avg(growth_bytes), 1)::DOUBLE AS mean_growth_bytes
     FROM cadence GROUP BY service ORDER BY service`,
    spec.params,
  );
  return { services, rows };
}
