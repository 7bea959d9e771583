/**
 * Sources, runs, releases, candidates and notifications in the catalog (migration 0010).
 *
 * Every reader of source_releases and candidates joins versions: a version pruned since
 * leaves its rows behind, and such a row counts as gone (no foreign keys, see 0001).
 */
import { listValue } from './duckdb.js';
import type { Candidate, Notification, RunRecord, RunStatus, RunSummary, RunTrigger, SourceSpec } from '../shared/contract/sources.js';
import type { Page } from '../shared/models.js';
import { versionId } from './ids.js';
import type { ColumnSpec, WriteTx } from './open-catalog.js';
import { fixedOrder, pageWithTotal } from './paging.js';
import type { SqlConnection } from './sql.js';

/** A source row as stored. */
export interface SourceRow {
  readonly source_id: string;
  readonly service: string;
  readonly spec: SourceSpec;
  readonly enabled: boolean;
  readonly created_at: string;
  readonly updated_at: string;
  /** When the schedule was last set or changed (what its firings count from). */
  readonly schedule_set_at: string;
}

interface RawSourceRow {
  source_id: string;
  service: string;
  spec_json: string;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  schedule_set_at: string | null;
}

function sourceOf(raw: RawSourceRow): SourceRow {
  const spec = JSON.parse(raw.spec_json) as SourceSpec;
  return { source_id: raw.source_id, service: raw.service, spec: { ...spec, enabled: raw.enabled }, enabled: raw.enabled, created_at: raw.created_at, updated_at: raw.updated_at, schedule_set_at: raw.schedule_set_at ?? raw.created_at };
}

/** Every source, by id. */
export async function listSourceRows(conn: SqlConnection): Promise<SourceRow[]> {
  const rows = await conn.all<RawSourceRow>('SELECT source_id, service, spec_json, enabled, created_at, updated_at, schedule_set_at FROM sources ORDER BY source_id');
  return rows.map(sourceOf);
}

/** One source, or null. */
export async function getSourceRow(conn: SqlConnection, id: string): Promise<SourceRow | null> {
  const row = await conn.one<RawSourceRow>('SELECT source_id, service, spec_json, enabled, created_at, updated_at, schedule_set_at FROM sources WHERE source_id = $1', [id]);
  return row ? sourceOf(row) : null;
}

/** JSON with keys in sorted order, so the same spec is the same text however it was written. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (inner && typeof inner === 'object' && !Array.isArray(inner)
    ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : inner));
}

/** Adds or replaces a source; returns whether it was new, changed or the same. */
export async function upsertSource(tx: WriteTx, spec: SourceSpec): Promise<'added' | 'updated' | 'unchanged'> {
  const enabled = spec.enabled ?? true;
  const { enabled: _ignored, ...rest } = spec;
  const json = stableJson(rest);
  const before = await tx.one<{ spec_json: string; enabled: boolean }>('SELECT spec_json, enabled FROM sources WHERE source_id = $1', [spec.id]);
  if (before && before.spec_json === json && before.enabled === enabled) return 'unchanged';
  if (before) {
    // A schedule set or changed counts its firings from now: the earlier ones were not this schedule's.
    const rescheduled = ((JSON.parse(before.spec_json) as SourceSpec).schedule ?? null) !== (rest.schedule ?? null);
    await tx.run(`UPDATE sources SET service = $2, spec_json = $3, enabled = $4, updated_at = now()::TIMESTAMP${rescheduled ? ', schedule_set_at = now()::TIMESTAMP' : ''} WHERE source_id = $1`, [spec.id, spec.service, json, enabled]);
    return 'updated';
  }
  await tx.run('INSERT INTO sources (source_id, service, spec_json, enabled, created_at, updated_at, schedule_set_at) VALUES ($1, $2, $3, $4, now()::TIMESTAMP, now()::TIMESTAMP, now()::TIMESTAMP)', [spec.id, spec.service, json, enabled]);
  return 'added';
}

/** Pauses or resumes a source. */
export async function setSourceEnabled(tx: WriteTx, id: string, enabled: boolean): Promise<void> {
  await tx.run('UPDATE sources SET enabled = $2, updated_at = now()::TIMESTAMP WHERE source_id = $1', [id, enabled]);
}

/** Removes a source and what only it needs (validators); its runs stay as history. */
export async function deleteSource(tx: WriteTx, id: string): Promise<void> {
  await tx.run('DELETE FROM source_validators WHERE source_id = $1', [id]);
  await tx.run('DELETE FROM sources WHERE source_id = $1', [id]);
}

const runColumns = 'run_id, source_id, trigger, started_at, finished_at, status, version, duration_ms, error_code, error_message';

/**
 * Starts a run row (status running).
 *
 * `idempotency_key` is the release the run is bringing in, known once its download is in:
 * a run killed later leaves it behind as evidence for the run that completes it.
 */
export async function insertRun(tx: WriteTx, run: {
  run_id: string; source_id: string; trigger: RunTrigger; started_at: string; manifest: unknown; idempotency_key?: string | null;
}): Promise<void> {
  await tx.run(
    `INSERT INTO source_runs VALUES ($1, $2, $3, $4::TIMESTAMP, NULL, 'running', NULL, $5, NULL, NULL, NULL, $6)`,
    [run.run_id, run.source_id, run.trigger, run.started_at, run.idempotency_key ?? null, JSON.stringify(run.manifest)],
  );
}

/** Notes on a running row the version it is about to ingest (before the ingest commits it). */
export async function setRunningVersion(tx: WriteTx, runId: string, version: string): Promise<void> {
  await tx.run(`UPDATE source_runs SET version = $2 WHERE run_id = $1 AND status = 'running'`, [runId, version]);
}

/**
 * Runs of a source that stopped (killed, failed or cancelled) while bringing release `key`
 * in as a version, newest first: the version may have been committed without being recorded.
 */
export async function stoppedRunsOfRelease(conn: SqlConnection, sourceId: string, key: string): Promise<{ run_id: string; version: string; started_at: string; status: RunStatus }[]> {
  return conn.all<{ run_id: string; version: string; started_at: string; status: RunStatus }>(
    `SELECT run_id, version, started_at, status FROM source_runs
     WHERE source_id = $1 AND idempotency_key = $2 AND version IS NOT NULL AND status IN ('interrupted', 'failed', 'cancelled')
     ORDER BY started_at DESC, run_id DESC`,
    [sourceId, key],
  );
}

/** The columns of source_runs in table order, for the appender. */
const RUN_COLUMNS: readonly ColumnSpec[] = [
  { name: 'run_id', type: 'varchar' },
  { name: 'source_id', type: 'varchar' },
  { name: 'trigger', type: 'varchar' },
  { name: 'started_at', type: 'timestamp' },
  { name: 'finished_at', type: 'timestamp' },
  { name: 'status', type: 'varchar' },
  { name: 'version', type: 'varchar' },
  { name: 'idempotency_key', type: 'varchar' },
  { name: 'duration_ms', type: 'bigint' },
  { name: 'error_code', type: 'varchar' },
  { name: 'error_message', type: 'varchar' },
  { name: 'manifest_json', type: 'varchar' },
];

/**
 * Finished runs written through the appender in the caller's transaction (a sync's
 * unchanged checks): 200 rows as one INSERT of 2,400 bound parameters took longer than
 * the 200 conditional GETs they record.
 */
export async function insertFinishedRuns(tx: WriteTx, runs: readonly RunRecord[]): Promise<void> {
  await tx.append('source_runs', RUN_COLUMNS, runs.map((run) => [
    run.run_id, run.source_id, run.trigger, run.started_at, run.finished_at, run.status, run.version, run.idempotency_key,
    run.duration_ms, run.error_code, run.error_message, JSON.stringify(run.manifest),
  ]));
}

/** All stored validators, by source id and artifact key. */
export async function allValidators(conn: SqlConnection): Promise<Map<string, StoredValidators>> {
  const rows = await conn.all<StoredValidators & { source_id: string; artifact_key: string }>('SELECT source_id, artifact_key, url, etag, last_modified, sha256 FROM source_validators');
  return new Map(rows.map((row) => [`${row.source_id}\0${row.artifact_key}`, { url: row.url, etag: row.etag, last_modified: row.last_modified, sha256: row.sha256 }]));
}

/** Ends a run row with its outcome and manifest. */
export async function finishRun(tx: WriteTx, run: {
  run_id: string; status: Exclude<RunStatus, 'running'>; finished_at: string; version: string | null; idempotency_key: string | null;
  duration_ms: number; error_code: string | null; error_message: string | null; manifest: unknown;
}): Promise<void> {
  await tx.run(
    `UPDATE source_runs SET status = $2, finished_at = $3::TIMESTAMP, version = $4, idempotency_key = $5, duration_ms = $6,
       error_code = $7, error_message = $8, manifest_json = $9 WHERE run_id = $1`,
    [run.run_id, run.status, run.finished_at, run.version, run.idempotency_key, run.duration_ms, run.error_code, run.error_message, JSON.stringify(run.manifest)],
  );
}

/** Runs of a source left 'running' by a process that died (not one of `live`) become 'interrupted'. */
export async function markInterruptedRuns(tx: WriteTx, sourceId: string, live: ReadonlySet<string>): Promise<number> {
  const rows = await tx.all<{ run_id: string }>(`SELECT run_id FROM source_runs WHERE source_id = $1 AND status = 'running'`, [sourceId]);
  const dead = rows.filter((row) => !live.has(row.run_id));
  for (const row of dead) {
    await tx.run(`UPDATE source_runs SET status = 'interrupted', finished_at = now()::TIMESTAMP, error_message = 'The process running it stopped.' WHERE run_id = $1`, [row.run_id]);
  }
  return dead.length;
}

interface RawRun extends RunSummary {
  idempotency_key: string | null;
  manifest_json: string;
}

function runOf(raw: RawRun): RunRecord {
  const { manifest_json, ...rest } = raw;
  return { ...rest, manifest: JSON.parse(manifest_json) as RunRecord['manifest'] };
}

/** Runs newest first; runs started in the same instant (one sync's checks) by id, so pages never repeat one. */
const runOrder = fixedOrder({ keys: 'started_at DESC', unique: 'run_id DESC' });

/**
 * Runs, newest first, of one source or all. The page carries its total (one read: a count
 * read apart could include a run committed after the page was read, or miss one).
 */
export async function listRuns(conn: SqlConnection, sourceId: string | undefined, window: { offset: number; limit: number }): Promise<Page<RunRecord>> {
  const id = sourceId ?? null;
  const page = (offset: number, limit: number) => conn.all<RawRun & { total: number }>(
    `SELECT ${runColumns}, idempotency_key, manifest_json, count(*) OVER () AS total FROM source_runs
     WHERE ($id IS NULL OR source_id = $id)
     ORDER BY ${runOrder} LIMIT $limit OFFSET $offset`,
    { id, limit, offset },
  );
  const listed = await pageWithTotal(await page(window.offset, window.limit), window, () => page(0, 1));
  return { ...listed, items: listed.items.map(runOf) };
}

/** One run. */
export async function getRun(conn: SqlConnection, runId: string): Promise<RunRecord | null> {
  const row = await conn.one<RawRun>(`SELECT ${runColumns}, idempotency_key, manifest_json FROM source_runs WHERE run_id = $1`, [runId]);
  return row ? runOf(row) : null;
}

/** Per source: its last run, and the figures health needs. */
export interface RunStats {
  readonly source_id: string;
  readonly last_run: RunSummary | null;
  readonly last_checked: string | null;
  readonly last_changed: string | null;
  readonly last_scheduled: string | null;
  readonly consecutive_failures: number;
  readonly pending_candidates: number;
}

/** Run statistics of every source (one query each for runs and candidates). */
export async function runStats(conn: SqlConnection): Promise<Map<string, RunStats>> {
  const last = await conn.all<RunSummary>(
    `SELECT ${runColumns} FROM source_runs QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY started_at DESC, run_id DESC) = 1`,
  );
  const figures = await conn.all<{ source_id: string; last_checked: string | null; last_changed: string | null; last_scheduled: string | null; last_ok: string | null }>(
    `SELECT source_id,
       max(finished_at) FILTER (WHERE status IN ('changed', 'unchanged', 'failed')) AS last_checked,
       max(finished_at) FILTER (WHERE status = 'changed') AS last_changed,
       max(started_at) FILTER (WHERE trigger = 'schedule') AS last_scheduled,
       max(started_at) FILTER (WHERE status IN ('changed', 'unchanged')) AS last_ok
     FROM source_runs GROUP BY source_id`,
  );
  const failures = await conn.all<{ source_id: string; n: number }>(
    `SELECT r.source_id, count(*) AS n FROM source_runs r
     LEFT JOIN (SELECT source_id, max(started_at) AS ok FROM source_runs WHERE status IN ('changed', 'unchanged') GROUP BY source_id) o USING (source_id)
     WHERE r.status = 'failed' AND (o.ok IS NULL OR r.started_at > o.ok) GROUP BY r.source_id`,
  );
  const pending = await conn.all<{ source_id: string; n: number }>(
    `SELECT c.source_id, count(*) AS n FROM candidates c JOIN versions v USING (version_id) WHERE c.state = 'pending' GROUP BY c.source_id`,
  );
  const out = new Map<string, RunStats>();
  const ids = new Set([...last.map((r) => r.source_id), ...pending.map((r) => r.source_id)]);
  for (const id of ids) {
    const fig = figures.find((row) => row.source_id === id);
    out.set(id, {
      source_id: id,
      last_run: last.find((row) => row.source_id === id) ?? null,
      last_checked: fig?.last_checked ?? null,
      last_changed: fig?.last_changed ?? null,
      last_scheduled: fig?.last_scheduled ?? null,
      consecutive_failures: failures.find((row) => row.source_id === id)?.n ?? 0,
      pending_candidates: pending.find((row) => row.source_id === id)?.n ?? 0,
    });
  }
  return out;
}

/** Release dates of a service's versions with real evidence, oldest first by release order. */
export async function serviceReleaseDates(conn: SqlConnection): Promise<Map<string, string[]>> {
  const rows = await conn.all<{ service: string; order_date: string }>(
    `SELECT service, order_date FROM v_release_order WHERE release_date_source <> 'ingest' AND order_date IS NOT NULL ORDER BY service, release_rank`,
  );
  const out = new Map<string, string[]>();
  for (const row of rows) out.set(row.service, [...(out.get(row.service) ?? []), row.order_date]);
  return out;
}

/** The validators a source last saw for an artifact. */
export interface StoredValidators {
  readonly url: string;
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly sha256: string;
}

export async function getValidators(conn: SqlConnection, sourceId: string, artifactKey: string): Promise<StoredValidators | null> {
  return conn.one<StoredValidators>('SELECT url, etag, last_modified, sha256 FROM source_validators WHERE source_id = $1 AND artifact_key = $2', [sourceId, artifactKey]);
}

export async function putValidators(tx: WriteTx, sourceId: string, artifactKey: string, value: StoredValidators): Promise<void> {
  await tx.run(
    'INSERT OR REPLACE INTO source_validators VALUES ($1, $2, $3, $4, $5, $6, now()::TIMESTAMP)',
    [sourceId, artifactKey, value.url, value.etag, value.last_modified, value.sha256],
  );
}

/** The version an idempotency key became, while that version still exists. */
export async function findRelease(conn: SqlConnection, key: string): Promise<{ service: string; version: string } | null> {
  return conn.one<{ service: string; version: string }>(
    'SELECT v.service, v.version FROM source_releases r JOIN versions v USING (version_id) WHERE r.idempotency_key = $1', [key],
  );
}

/** Records which version an idempotency key became (replacing a row whose version was pruned). */
export async function putRelease(tx: WriteTx, row: { key: string; source_id: string; service: string; version: string; run_id: string }): Promise<void> {
  await tx.run(
    'INSERT OR REPLACE INTO source_releases VALUES ($1, $2, $3, $4, $5, $6, now()::TIMESTAMP)',
    [row.key, row.source_id, versionId(row.service, row.version), row.service, row.version, row.run_id],
  );
}

/** One artifact of a release as fetched: its file name and content. */
export interface NamedContent {
  readonly name: string;
  readonly sha256: string;
}

/**
 * Whether a version's artifacts hold each of these: the same content under the same name
 * (two artifacts swapped, or one serving the other's bytes, are the same contents but
 * another release); an artifact of a name the version lacks (a mirror naming its file
 * otherwise) matches any artifact of that content.
 */
function holdsRelease(stored: readonly { name: string; sha256: string | null }[], wanted: readonly NamedContent[]): boolean {
  return wanted.every((artifact) => {
    const named = stored.filter((row) => row.name === artifact.name);
    return (named.length > 0 ? named : stored).some((row) => row.sha256 === artifact.sha256);
  });
}

/** The artifacts (name, content) of a version. */
async function artifactsOf(conn: SqlConnection, versionIdOf: string): Promise<{ name: string; sha256: string | null }[]> {
  return conn.all<{ name: string; sha256: string | null }>('SELECT name, sha256 FROM artifacts WHERE version_id = $1', [versionIdOf]);
}

/** The service's newest version (release order) when it has each of these artifacts (see `holdsRelease`). */
export async function newestHasContent(conn: SqlConnection, service: string, artifacts: readonly NamedContent[]): Promise<string | null> {
  const wanted = [...new Set(artifacts.map((artifact) => artifact.sha256))];
  const row = await conn.one<{ version: string; version_id: string }>(
    `SELECT r.version, r.version_id FROM v_release_order r
     WHERE r.service = $service AND r.release_rank = r.service_versions
       AND (SELECT count(DISTINCT a.sha256) FROM artifacts a WHERE a.version_id = r.version_id AND list_contains($shas::VARCHAR[], a.sha256)) = $n`,
    { service, shas: listValue(wanted), n: wanted.length },
  );
  return row && holdsRelease(await artifactsOf(conn, row.version_id), artifacts) ? row.version : null;
}

/**
 * The newest version of the service (release order) that has each of these artifacts (see
 * `holdsRelease`), whichever its version name: a mirror serving an old release names it by its own day.
 */
export async function versionHoldingContent(conn: SqlConnection, service: string, artifacts: readonly NamedContent[]): Promise<string | null> {
  const wanted = [...new Set(artifacts.map((artifact) => artifact.sha256))];
  const rows = await conn.all<{ version: string; version_id: string }>(
    `SELECT r.version, r.version_id FROM v_release_order r
     WHERE r.service = $service
       AND (SELECT count(DISTINCT a.sha256) FROM artifacts a WHERE a.version_id = r.version_id AND list_contains($shas::VARCHAR[], a.sha256)) = $n
     ORDER BY r.release_rank DESC`,
    { service, shas: listValue(wanted), n: wanted.length },
  );
  for (const row of rows) {
    if (holdsRelease(await artifactsOf(conn, row.version_id), artifacts)) return row.version;
  }
  return null;
}

/** A version's artifacts by name (sha256), and whether the version exists at all. */
export async function versionArtifactShas(conn: SqlConnection, service: string, version: string): Promise<{ exists: boolean; byName: Map<string, string | null> }> {
  const vid = versionId(service, version);
  const exists = (await conn.scalar<number>('SELECT count(*) FROM versions WHERE version_id = $1', [vid])) ?? 0;
  const rows = await conn.all<{ name: string; sha256: string | null }>('SELECT name, sha256 FROM artifacts WHERE version_id = $1', [vid]);
  return { exists: exists > 0, byName: new Map(rows.map((row) => [row.name, row.sha256])) };
}

/** The SHA-256 of each of these data files of a version (by relpath), where it has them. */
export async function versionFileShas(conn: SqlConnection, service: string, version: string, relpaths: readonly string[]): Promise<Map<string, string>> {
  const rows = await conn.all<{ relpath: string; sha256: string }>(
    'SELECT relpath, sha256 FROM extracted_files WHERE version_id = $1 AND list_contains($2::VARCHAR[], relpath)',
    [versionId(service, version), listValue([...relpaths])],
  );
  return new Map(rows.map((row) => [row.relpath, row.sha256]));
}

/** A stored archive of the service with this content (for an artifact answered 304), or null. */
export async function storedArtifactPath(conn: SqlConnection, service: string, sha256: string): Promise<{ fs_relpath: string; size_bytes: number; content_type: string | null } | null> {
  return conn.one<{ fs_relpath: string; size_bytes: number; content_type: string | null }>(
    `SELECT fs_relpath, size_bytes, content_type FROM artifacts WHERE service = $1 AND sha256 = $2 AND fs_relpath IS NOT NULL ORDER BY fs_relpath LIMIT 1`,
    [service, sha256],
  );
}

/** Adds a pending candidate unless the version already has a candidate row. */
export async function insertCandidate(tx: WriteTx, row: { service: string; version: string; source_id: string; run_id: string }): Promise<boolean> {
  const vid = versionId(row.service, row.version);
  const before = await tx.scalar<number>('SELECT count(*) FROM candidates WHERE version_id = $1', [vid]);
  if ((before ?? 0) > 0) return false;
  await tx.run(`INSERT INTO candidates VALUES ($1, $2, $3, 'pending', now()::TIMESTAMP, NULL, NULL, NULL)`, [vid, row.source_id, row.run_id]);
  return true;
}

/** Records a decision on a candidate (adding the row for a version no run brought in). */
export async function decideCandidate(tx: WriteTx, service: string, version: string, state: 'approved' | 'rejected', by: string, reason: string | null): Promise<void> {
  const vid = versionId(service, version);
  const exists = (await tx.scalar<number>('SELECT count(*) FROM candidates WHERE version_id = $1', [vid])) ?? 0;
  if (exists === 0) {
    await tx.run(`INSERT INTO candidates VALUES ($1, '', '', $2, now()::TIMESTAMP, now()::TIMESTAMP, $3, $4)`, [vid, state, by, reason]);
    return;
  }
  await tx.run('UPDATE candidates SET state = $2, decided_at = now()::TIMESTAMP, decided_by = $3, reason = $4 WHERE version_id = $1', [vid, state, by, reason]);
}

/** A version's candidate decision (state, who, why), or null when it has none. */
export async function candidateRow(conn: SqlConnection, service: string, version: string): Promise<Pick<Candidate, 'state' | 'decided_by' | 'reason'> | null> {
  return conn.one<Pick<Candidate, 'state' | 'decided_by' | 'reason'>>('SELECT state, decided_by, reason FROM candidates WHERE version_id = $1', [versionId(service, version)]);
}

/** The state of a version's candidate row, or null when it has none. */
export async function candidateState(conn: SqlConnection, service: string, version: string): Promise<Candidate['state'] | null> {
  return conn.scalar<Candidate['state']>('SELECT state FROM candidates WHERE version_id = $1', [versionId(service, version)]);
}

/** Newest release first within a service; the version id ends it so pages never repeat or drop a row. */
const candidateOrder = fixedOrder({ keys: 'v.service, r.release_rank DESC', unique: 'v.version_id' });

/**
 * One page of candidate rows (without impact) and how many there are, by service, then
 * release order newest first, as every version list reads: a backfill or a mirror brings
 * releases in any order, and the queue in arrival order put an older release above the
 * newest. Paged, not cut: the queue once stopped at 1,000 rows without a word.
 */
export async function listCandidateRows(
  conn: SqlConnection, state: Candidate['state'] | 'all', service: string | undefined, window: { readonly offset: number; readonly limit: number },
): Promise<Page<Omit<Candidate, 'impact'>>> {
  // The total rides on the page's rows (one read, so it is the page's own count).
  const page = (offset: number, limit: number) => conn.all<Omit<Candidate, 'impact'> & { total: number }>(
    `SELECT v.service, v.version, c.source_id, c.run_id, c.state, c.created_at, c.decided_at, c.decided_by, c.reason, v.release_date,
            (SELECT lv.version FROM latest_pointer lp JOIN versions lv ON lv.version_id = lp.version_id WHERE lp.slot = v.service) AS latest,
            count(*) OVER () AS total
     FROM candidates c JOIN versions v USING (version_id) JOIN v_release_order r USING (version_id)
     WHERE ($state = 'all' OR c.state = $state) AND ($service IS NULL OR v.service = $service)
     ORDER BY ${candidateOrder}
     LIMIT $limit OFFSET $offset`,
    { state, service: service ?? null, limit, offset },
  );
  return pageWithTotal(await page(window.offset, window.limit), window, () => page(0, 1));
}

/** Adds a notification unless its key is known; returns the stored row. */
export async function ensureNotification(tx: WriteTx, row: { key: string; event_type: string; target: string; payload: unknown }): Promise<Notification> {
  await tx.run(
    `INSERT INTO notifications VALUES ($1, $2, $3, $4, 'pending', 0, NULL, NULL, now()::TIMESTAMP, NULL) ON CONFLICT DO NOTHING`,
    [row.key, row.event_type, row.target, JSON.stringify(row.payload)],
  );
  return (await getNotification(tx, row.key))!;
}

export async function getNotification(conn: SqlConnection, key: string): Promise<Notification | null> {
  return conn.one<Notification>(
    'SELECT delivery_key, event_type, target, status, attempts, last_status, last_error, created_at, delivered_at FROM notifications WHERE delivery_key = $1', [key],
  );
}

/** Records one delivery attempt. */
export async function recordDelivery(tx: WriteTx, key: string, outcome: { delivered: boolean; final: boolean; http: number | null; error: string | null }): Promise<void> {
  await tx.run(
    `UPDATE notifications SET attempts = attempts + 1, last_status = $2, last_error = $3,
       status = CASE WHEN $4 THEN 'delivered' WHEN $5 THEN 'failed' ELSE status END,
       delivered_at = CASE WHEN $4 THEN now()::TIMESTAMP ELSE delivered_at END
     WHERE delivery_key = $1`,
    [key, outcome.http, outcome.error, outcome.delivered, outcome.final],
  );
}

/** Notifications newest first; those of one transaction share created_at, so the key breaks the tie. */
const notificationOrder = fixedOrder({ keys: 'created_at DESC', unique: 'delivery_key' });

/** Notifications, newest first, one page. */
export async function listNotifications(conn: SqlConnection, window: { offset: number; limit: number }): Promise<Page<Notification>> {
  const total = (await conn.scalar<number>('SELECT count(*) FROM notifications')) ?? 0;
  const items = await conn.all<Notification>(
    `SELECT delivery_key, event_type, target, status, attempts, last_status, last_error, created_at, delivered_at
     FROM notifications ORDER BY ${notificationOrder} LIMIT $limit OFFSET $offset`, window,
  );
  return { items, total, offset: window.offset, limit: window.limit };
}

/** Replaces a run's manifest (a run records what it learnt as it goes). */
export async function updateRunManifest(tx: WriteTx, runId: string, manifest: unknown): Promise<void> {
  await tx.run('UPDATE source_runs SET manifest_json = $2 WHERE run_id = $1', [runId, JSON.stringify(manifest)]);
}
