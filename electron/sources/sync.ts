/**
 * Source runs: check each source once, bring a new release in as a candidate version.
 *
 * A run resolves each artifact of the source, sends each a conditional GET with what it
 * saw last time (every one 304 → unchanged, nothing downloaded), hashes the bodies while
 * streaming them into a work folder under the root, and stops as unchanged when the
 * content is a release already recorded (idempotency key: source + every artifact's
 * identity and content hash) or the service's newest version. Otherwise it names the
 * version by the source's version rule (the first artifact that has the evidence) and
 * hands the downloads to the ingest boundary as ONE version (atomic: a killed run leaves
 * no half version), then records the release, the candidate and the run.
 *
 * A run that stopped between the ingest commit and that transaction (killed, or its
 * validation cancelled) left a whole version nobody recorded. Its run row names the release
 * key and the version, so the next run of the same release completes that version as the
 * candidate, once, instead of taking it for a release it already has.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { versionStats } from '../catalog/version-queries.js';
import type { Catalog, WriteTx } from '../catalog/open-catalog.js';
import {
  allValidators, finishRun, findRelease, getSourceRow, insertFinishedRuns, getValidators, insertCandidate, insertRun, listSourceRows, markInterruptedRuns,
  newestHasContent, putRelease, putValidators, versionFileShas, versionHoldingContent, setRunningVersion, stoppedRunsOfRelease, storedArtifactPath, versionArtifactShas, type SourceRow,
  type StoredValidators, updateRunManifest,
} from '../catalog/source-queries.js';
import { archiveKindOf } from '../ingest/archive-readers.js';
import { artifactNameFromUrl, type DownloadedArtifact } from '../ingest/fetch-artifact.js';
import { downloadToFile, type DownloadOutcome } from '../ingest/http-download.js';
import { ingestAndValidate } from '../ingest/ingest-and-validate.js';
import { resolveLimits } from '../ingest/limits.js';
import { validateVersion } from '../ingest/validate/validate-version.js';
import { lazyWorkDir } from '../ingest/work-dir.js';
import { artifactNameKey, type ManifestInput, type ManifestOutput, type RunManifest, type RunRecord, type RunStatus, type RunTrigger, type SyncResult } from '../shared/contract/sources.js';
import { OntocatError, isOntocatError } from '../shared/errors.js';
import { lastModifiedEvidence } from '../shared/http-date.js';
import type { ValidationHealth } from '../shared/models.js';
import type { WorkControl } from '../shared/progress.js';
import { placeIntactCopy } from '../storage/intact-copy.js';
import { resolveInsideRoot } from '../storage/safe-path.js';
import { systemClock, type Clock } from './clock.js';
import { notifySourceEvent, type SourceEventSink, type WebhookOptions } from './notify.js';
import { checkPublishedIntegrity } from './npm-integrity.js';
import { artifactKey, resolveArtifact, type ResolvedArtifact } from './resolvers.js';
import { promoteIfClean } from './review.js';
import { chooseVersion, needsHeads, readHeadsOf } from './version-rule.js';

export interface SyncOptions extends WorkControl {
  /** Sources to check (named ones run even when paused); default every enabled source. */
  readonly ids?: readonly string[];
  readonly trigger: RunTrigger;
  readonly actor: string;
  readonly clock?: Clock;
  /** Download tuning (tests shorten the backoff). */
  readonly fetch?: { readonly timeoutMs?: number; readonly retries?: number; readonly backoffMs?: number };
  /** Sources checked at once (default 4; each is mostly waiting on the network). */
  readonly concurrency?: number;
  /** Where new candidates and promotions are announced besides webhooks (desktop notifications). */
  readonly onEvent?: SourceEventSink;
  /** Webhook retry tuning (tests shorten the backoff). */
  readonly webhook?: WebhookOptions;
  /** Validators read once for a whole sync (by source id NUL artifact key); else read per run. */
  readonly validators?: ReadonlyMap<string, StoredValidators>;
}

/** Runs in progress in this process, by run id: a 'running' row not here was left by a dead process. */
const liveRuns = new Set<string>();
/**
 * Work in progress by key: the run of each source (a second run of it waits for the first),
 * and each service's naming and ingest (below).
 */
const runLocks = new Map<string, Promise<unknown>>();

async function withRunLock<T>(key: string, task: () => Promise<T>): Promise<T> {
  const before = runLocks.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(task);
  const tail = mine.catch(() => undefined);
  runLocks.set(key, tail);
  try {
    return await mine;
  } finally {
    if (runLocks.get(key) === tail) runLocks.delete(key);
  }
}

/**
 * The idempotency key of one release of a source: its artifacts' identities and content
 * hashes in order. With one artifact it is the key single-artifact sources always had.
 */
export function idempotencyKey(sourceId: string, artifacts: readonly { readonly artifact: string; readonly sha256: string }[]): string {
  return createHash('sha256').update([sourceId, ...artifacts.flatMap((entry) => [entry.artifact, entry.sha256])].join('\0')).digest('hex');
}

function validationSummary(health: ValidationHealth): ManifestOutput['validation'] {
  return {
    files_checked: health.files_checked, files_unparsable: health.files_unparsable, files_with_errors: health.files_with_errors,
    errors: health.errors, warnings: health.warnings,
  };
}

/**
 * What a run is bringing in, noted on its 'running' row as soon as it is known: the release
 * key once the body is in, the version once it is named (before the ingest commits it).
 */
interface InFlight {
  key: string | null;
  version: string | null;
}

/** What one run found out, before it is written down. */
interface RunOutcome {
  readonly status: Extract<RunStatus, 'changed' | 'unchanged'>;
  readonly version: string | null;
  readonly key: string | null;
  readonly inputs: readonly ManifestInput[];
  readonly output: ManifestOutput;
}

/**
 * One run of one source: resolve, conditional GET, compare, ingest as a candidate.
 * Never throws for the source's own failure: the run row says what went wrong.
 */
export async function runSource(catalog: Catalog, source: SourceRow, options: SyncOptions, deferred?: RunRecord[]): Promise<RunRecord> {
  return withRunLock(`source\0${catalog.root}\0${source.source_id}`, () => runSourceLocked(catalog, source, options, deferred));
}

/** A finished run not yet written: unchanged checks are written together at the end of a sync. */
export interface PendingRun {
  readonly record: RunRecord;
}

function recordOf(base: { run_id: string; source_id: string; trigger: RunTrigger; started_at: string }, end: {
  status: Exclude<RunStatus, 'running'>; finished_at: string; version: string | null; idempotency_key: string | null;
  duration_ms: number; error_code: string | null; error_message: string | null; manifest: RunManifest;
}): RunRecord {
  return { ...base, ...end };
}

/** Writes finished runs that never had a 'running' row (one transaction for many). */
export async function writeRuns(catalog: Catalog, runs: readonly RunRecord[]): Promise<void> {
  if (runs.length === 0) return;
  await catalog.write((tx) => insertFinishedRuns(tx, runs));
}

async function runSourceLocked(catalog: Catalog, source: SourceRow, options: SyncOptions, deferred?: RunRecord[]): Promise<RunRecord> {
  const clock = options.clock ?? systemClock;
  const runId = randomUUID();
  const started = clock.now();
  const startedMs = Date.now();
  const base = { run_id: runId, source_id: source.source_id, trigger: options.trigger, started_at: started.toISOString() };
  liveRuns.add(runId);
  const inputs: ManifestInput[] = [];
  // The 'running' row is written only once a body is in (a 304 needs none): a run
  // killed after that point is found 'running' by the next one and marked interrupted.
  let rowWritten = false;
  const inFlight: InFlight = { key: null, version: null };
  const markRunning = async (key: string): Promise<void> => {
    await catalog.write(async (tx) => {
      await markInterruptedRuns(tx, source.source_id, liveRuns);
      await insertRun(tx, { ...base, idempotency_key: key, manifest: { inputs, output: null } });
    }, { runId });
    rowWritten = true;
    inFlight.key = key;
  };
  const noteVersion = async (version: string): Promise<void> => {
    await catalog.write((tx) => setRunningVersion(tx, runId, version), { runId });
    inFlight.version = version;
  };
  try {
    let outcome: RunOutcome | null = null;
    let failure: unknown = null;
    try {
      outcome = await checkSource(catalog, source, runId, options, inputs, clock, { markRunning, noteVersion });
    } catch (error) {
      failure = error;
    }
    const duration = Date.now() - startedMs;
    const finished = clock.now().toISOString();
    if (failure || !outcome) {
      const cancelled = isOntocatError(failure, 'CANCELLED') || options.signal?.aborted === true;
      const code = isOntocatError(failure) ? failure.code : 'INTERNAL';
      const message = failure instanceof Error ? failure.message : String(failure);
      // What it was bringing in stays on the row: an ingest that committed before the failure
      // (a cancelled validation) is completed by the next run of the release.
      const record = recordOf(base, {
        status: cancelled ? 'cancelled' : 'failed', finished_at: finished, version: inFlight.version, idempotency_key: inFlight.key,
        duration_ms: duration, error_code: code, error_message: message, manifest: { inputs, output: null },
      });
      await catalog.write(async (tx) => {
        if (!rowWritten) await insertRun(tx, { ...base, manifest: record.manifest });
        await finishRun(tx, { ...record, status: record.status as Exclude<RunStatus, 'running'>, finished_at: finished, duration_ms: duration });
        await tx.event(cancelled ? 'source.cancelled' : 'source.failed', { source: source.source_id, service: source.service, run_id: runId, code, message }, cancelled ? 'warn' : 'error');
      }, { runId });
      return record;
    }
    const created = outcome.status === 'changed';
    const record = recordOf(base, {
      status: outcome.status, finished_at: finished, version: outcome.version, idempotency_key: outcome.key,
      duration_ms: duration, error_code: null, error_message: null, manifest: { inputs: outcome.inputs, output: outcome.output },
    });
    if (!created && !rowWritten && deferred) {
      deferred.push(record);
      return record;
    }
    await catalog.write(async (tx) => {
      if (created && outcome.version) {
        await insertCandidate(tx, { service: source.service, version: outcome.version, source_id: source.source_id, run_id: runId });
      }
      if (!rowWritten) await insertRun(tx, { ...base, manifest: record.manifest });
      await finishRun(tx, { ...record, status: outcome.status, finished_at: finished, duration_ms: duration });
      if (created) {
        await tx.event('source.candidate', { source: source.source_id, service: source.service, run_id: runId, version: outcome.version, outcome: outcome.output.outcome });
      }
    }, { runId });
    if (created && outcome.version) {
      const promotion = await afterCandidate(catalog, source, runId, outcome, options);
      if (promotion) return { ...record, manifest: { inputs: outcome.inputs, output: { ...outcome.output, promotion } } };
    }
    return record;
  } finally {
    liveRuns.delete(runId);
  }
}

/** Promotion policy and notifications for a new candidate; their failures never fail the run. */
async function afterCandidate(catalog: Catalog, source: SourceRow, runId: string, outcome: RunOutcome, options: SyncOptions): Promise<ManifestOutput['promotion']> {
  const ref = { service: source.service, version: outcome.version! };
  let promotion: ManifestOutput['promotion'] = null;
  if (source.spec.promotion === 'auto') {
    try {
      promotion = await promoteIfClean(catalog, ref, source.source_id, options.actor);
    } catch (error) {
      promotion = { promoted: false, reason: `not promoted: ${(error as Error).message}` };
    }
    const manifest: RunManifest = { inputs: outcome.inputs, output: { ...outcome.output, promotion } };
    await catalog.write((tx) => updateRunManifest(tx, runId, manifest));
  }
  const at = (options.clock ?? systemClock).now().toISOString();
  await notifySourceEvent(catalog, source, { type: 'candidate.created', source: source.source_id, service: ref.service, version: ref.version, run_id: runId, reason: outcome.output.reason, at }, options.onEvent, options.webhook);
  if (promotion?.promoted) {
    await notifySourceEvent(catalog, source, { type: 'candidate.promoted', source: source.source_id, service: ref.service, version: ref.version, run_id: runId, reason: promotion.reason, at }, options.onEvent, options.webhook);
  }
  return promotion;
}

type OutputArtifact = ManifestOutput['artifacts'][number];

function unchanged(source: SourceRow, inputs: readonly ManifestInput[], reason: string, version: string | null, key: string | null, artifacts: readonly OutputArtifact[] = []): RunOutcome {
  return {
    status: 'unchanged', version, key, inputs,
    output: {
      outcome: 'unchanged', reason, service: source.service, version, version_rule: null, artifacts,
      files: null, bytes: null, validation: null, promotion: null,
    },
  };
}

/** How a check writes down what it is bringing in, before it acts on it. */
interface RunMarks {
  readonly markRunning: (key: string) => Promise<void>;
  readonly noteVersion: (version: string) => Promise<void>;
}

/** One artifact of a run once its bytes are in the work folder. */
interface Fetched {
  readonly key: string;
  readonly resolved: ResolvedArtifact;
  readonly name: string;
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly contentType: string | null;
  readonly attempts: number;
  /** How this run got it: a 200, or a 304 whose stored copy was reused. */
  readonly http: 200 | 304;
}

/** Whether a version holds exactly these artifacts (by name and content). */
function holdsExactly(byName: ReadonlyMap<string, string | null>, fetched: readonly Fetched[]): boolean {
  return fetched.every((artifact) => byName.get(artifact.name) === artifact.sha256);
}

/**
 * Whether a version ingested without downloads (a folder, by hand) holds these artifacts as
 * the data files ingest makes of them: each a plain file (not an archive) stored under its
 * name with the same content.
 */
async function heldAsFiles(catalog: Catalog, ref: { service: string; version: string }, fetched: readonly Fetched[]): Promise<boolean> {
  if (fetched.some((artifact) => archiveKindOf(artifact.name) !== null)) return false;
  const files = await catalog.read((conn) => versionFileShas(conn, ref.service, ref.version, fetched.map((artifact) => artifact.name)));
  return fetched.every((artifact) => files.get(artifact.name) === artifact.sha256);
}

/**
 * The version an earlier run of this release committed and never recorded, or null.
 *
 * Only a version that holds exactly these artifacts counts: one pruned or replaced since is
 * not the stopped run's any more.
 */
async function leftByStoppedRun(catalog: Catalog, source: SourceRow, key: string, fetched: readonly Fetched[]): Promise<{ version: string; run_id: string; started_at: string; status: string } | null> {
  return catalog.read(async (conn) => {
    for (const run of await stoppedRunsOfRelease(conn, source.source_id, key)) {
      const held = await versionArtifactShas(conn, source.service, run.version);
      if (held.exists && holdsExactly(held.byName, fetched)) return run;
    }
    return null;
  });
}

/**
 * An artifact the server answered 304 while another artifact of the same source changed:
 * the release needs its bytes too. They come from the store when a version holds that
 * content, else from a plain GET (and the content must be what the source saw last).
 */
async function reuseOrRefetch(
  catalog: Catalog, source: SourceRow, resolved: ResolvedArtifact, name: string, key: string, stored: StoredValidators, file: string,
  options: SyncOptions, maxBytes: number, makeFolder: () => Promise<unknown>,
): Promise<Fetched> {
  const kept = await catalog.read((conn) => storedArtifactPath(conn, source.service, stored.sha256));
  if (kept) {
    await makeFolder();
    let intact = false;
    try {
      // Reused only while its bytes are still the recorded ones: the release key and the
      // new version's artifact row take this hash on trust.
      intact = await placeIntactCopy(resolveInsideRoot(catalog.root, kept.fs_relpath), file, { sha256: stored.sha256, size_bytes: kept.size_bytes });
    } catch {
      // A linked folder on its path: not reusable either.
    }
    if (intact) {
      return {
        key, resolved, name, file, sha256: stored.sha256, size: kept.size_bytes, etag: stored.etag, lastModified: stored.last_modified,
        contentType: kept.content_type, attempts: 1, http: 304,
      };
    }
    // Gone from disk (doctor says so) or changed there: fetch it again below.
  }
  const again = await downloadToFile(resolved.url, file, {
    maxBytes, prepareFolder: makeFolder, timeoutMs: options.fetch?.timeoutMs, retries: options.fetch?.retries, backoffMs: options.fetch?.backoffMs, signal: options.signal, onProgress: options.onProgress,
  });
  if (again.status !== 'downloaded') throw new OntocatError('FETCH_FAILED', `${resolved.url} answered 304 to a plain GET.`);
  return {
    key, resolved, name, file, sha256: again.sha256, size: again.size, etag: again.etag, lastModified: again.lastModified,
    contentType: again.contentType, attempts: again.attempts + 1, http: 200,
  };
}

async function checkSource(
  catalog: Catalog, source: SourceRow, runId: string, options: SyncOptions, inputs: ManifestInput[], clock: Clock, marks: RunMarks,
): Promise<RunOutcome> {
  const specs = source.spec.artifacts;
  if (specs.length === 0) throw new OntocatError('BAD_INPUT', `Source ${source.source_id} has no artifact.`);
  const fetchOptions = { ...options.fetch, signal: options.signal };
  const limits = resolveLimits();
  const maxBytes = source.spec.max_bytes ?? limits.maxDownloadBytes;
  // Checked and made by the first body that arrives: an all-304 check touches no disk.
  const work = lazyWorkDir(catalog.root, 'sync');
  const workDir = work.path;
  try {
    // 1. A conditional GET per artifact, in order.
    const got: { key: string; resolved: ResolvedArtifact; name: string; file: string; stored: StoredValidators | null; download: DownloadOutcome }[] = [];
    // By name as a case-insensitive disk compares them (artifactNameKey): one file there.
    const names = new Map<string, string>();
    for (const spec of specs) {
      const key = artifactKey(spec);
      const resolved = await resolveArtifact(spec, fetchOptions);
      const name = resolved.name ?? artifactNameFromUrl(resolved.url);
      const earlier = names.get(artifactNameKey(name));
      if (earlier === name) throw new OntocatError('BAD_INPUT', `Two artifacts of source ${source.source_id} are both named ${name}; give one of them a name.`);
      if (earlier !== undefined) {
        throw new OntocatError('BAD_INPUT', `Two artifacts of source ${source.source_id} are named ${earlier} and ${name}: one file on a case-insensitive disk (macOS, Windows); give one of them another name.`);
      }
      names.set(artifactNameKey(name), name);
      const stored = options.validators
        ? options.validators.get(`${source.source_id}\0${key}`) ?? null
        : await catalog.read((conn) => getValidators(conn, source.source_id, key));
      // Validators belong to a URL: a resolver that moved on (a new npm tarball) starts afresh.
      const sameUrl = stored && stored.url === resolved.url ? stored : null;
      // A Last-Modified later than now is a wrong clock (RFC 9110 §8.8.2.1), kept from before it
      // was dropped on saving: sent back, a server answered 304 to every release before that date.
      const sent = sameUrl ? { etag: sameUrl.etag, last_modified: lastModifiedEvidence(sameUrl.last_modified, clock.now()) ? sameUrl.last_modified : null } : { etag: null, last_modified: null };
      const file = path.join(workDir, name);
      const download = await downloadToFile(resolved.url, file, {
        maxBytes, timeoutMs: options.fetch?.timeoutMs, retries: options.fetch?.retries, backoffMs: options.fetch?.backoffMs, prepareFolder: work.make,
        etag: sent.etag, lastModified: sent.last_modified, signal: options.signal, onProgress: options.onProgress,
      });
      inputs.push({
        artifact_key: key, requested_url: resolved.url, final_url: download.url, resolver: resolved.evidence, sent,
        received: download.status === 'not-modified'
          ? { http: 304, etag: sent.etag, last_modified: sent.last_modified, attempts: download.attempts }
          : { http: 200, etag: download.etag, last_modified: download.lastModified, attempts: download.attempts },
      });
      got.push({ key, resolved, name, file, stored: sameUrl, download });
    }
    // Unchanged only when every artifact is.
    if (got.every((entry) => entry.download.status === 'not-modified')) {
      return unchanged(source, inputs, got.length > 1 ? `HTTP 304 Not Modified (all ${got.length} artifacts)` : 'HTTP 304 Not Modified', null, null);
    }
    const fetched: Fetched[] = [];
    for (const entry of got) {
      const { download } = entry;
      if (download.status === 'downloaded') {
        fetched.push({
          key: entry.key, resolved: entry.resolved, name: entry.name, file: entry.file, sha256: download.sha256, size: download.size,
          etag: download.etag, lastModified: download.lastModified, contentType: download.contentType, attempts: download.attempts, http: 200,
        });
      } else {
        fetched.push(await reuseOrRefetch(catalog, source, entry.resolved, entry.name, entry.key, entry.stored!, entry.file, options, maxBytes, work.make));
      }
    }
    // Bytes a registry states a hash for are its release only when they hash to it (a copy
    // reused from the store was checked when it first came).
    for (const artifact of fetched) {
      if (artifact.http === 200 && artifact.resolved.integrity) await checkPublishedIntegrity(artifact.file, artifact.resolved.url, artifact.resolved.integrity);
      // An empty file parses without an ERROR: taken as a release, auto promotion made it latest.
      if (artifact.http === 200 && artifact.size === 0) {
        throw new OntocatError('FETCH_FAILED', `${artifact.resolved.url} answered 200 with an empty body for ${artifact.name}: a server or proxy failing quietly, not a release. Nothing was recorded.`);
      }
    }
    const releaseKey = idempotencyKey(source.source_id, fetched.map((artifact) => ({ artifact: artifact.key, sha256: artifact.sha256 })));
    await marks.markRunning(releaseKey);

    const artifacts: OutputArtifact[] = fetched.map((artifact) => ({ name: artifact.name, sha256: artifact.sha256, size_bytes: artifact.size, http: artifact.http }));
    const saveValidators = async (tx: WriteTx): Promise<void> => {
      for (const artifact of fetched) {
        // Only a Last-Modified no later than its retrieval is a validator (see `sent` above).
        const lastModified = lastModifiedEvidence(artifact.lastModified, clock.now()) ? artifact.lastModified : null;
        await putValidators(tx, source.source_id, artifact.key, { url: artifact.resolved.url, etag: artifact.etag, last_modified: lastModified, sha256: artifact.sha256 });
      }
    };
    // From here to the release's record, one run of a service at a time: sources of one
    // service name their releases in one namespace, and two that checked "no such version"
    // at once each ingested into the same version (one's data, the other's artifact rows).
    return await withRunLock(`service\0${catalog.root}\0${source.service}`, async (): Promise<RunOutcome> => {
      const known = await catalog.read((conn) => findRelease(conn, releaseKey));
      if (known) {
        await catalog.write(saveValidators);
        return unchanged(source, inputs, `same content as ${known.service}/${known.version}, already recorded`, known.version, releaseKey, artifacts);
      }
      // Checked before "same as the newest": the stopped run's version is usually the newest.
      const stopped = await leftByStoppedRun(catalog, source, releaseKey, fetched);
      const newest = stopped ? null : await catalog.read((conn) => newestHasContent(conn, source.service, fetched.map(({ name, sha256 }) => ({ name, sha256 }))));
      if (newest) {
        await catalog.write(async (tx) => {
          await putRelease(tx, { key: releaseKey, source_id: source.source_id, service: source.service, version: newest, run_id: runId });
          await saveValidators(tx);
        });
        return unchanged(source, inputs, `same content as the newest version ${source.service}/${newest}`, newest, releaseKey, artifacts);
      }
      // An older release the catalog holds, served again by a mirror whose rule names it by its
      // own day (retrieval date, its own Last-Modified): the version name would not find it.
      const older = stopped ? null : await catalog.read((conn) => versionHoldingContent(conn, source.service, fetched.map(({ name, sha256 }) => ({ name, sha256 }))));
      if (older) {
        await catalog.write(async (tx) => {
          await putRelease(tx, { key: releaseKey, source_id: source.source_id, service: source.service, version: older, run_id: runId });
          await saveValidators(tx);
        });
        return unchanged(source, inputs, `same content as ${source.service}/${older}, already in the catalog (not its newest version)`, older, releaseKey, artifacts);
      }

      // 2. The version name, by the source's rule over its artifacts in order.
      const rule = source.spec.version_rule ?? 'auto';
      const evidence = fetched.map((artifact) => ({ name: artifact.name, resolverVersion: artifact.resolved.version, lastModified: artifact.lastModified, heads: null }));
      const withHeads = needsHeads(rule, evidence)
        ? await Promise.all(fetched.map(async (artifact, index) => ({ ...evidence[index]!, heads: await readHeadsOf(artifact.file, artifact.name, limits, options.signal) })))
        : evidence;
      // The stopped run named its version on the clock of its own day (a retrieval-date rule).
      const chosen = chooseVersion(rule, { artifacts: withHeads, now: stopped ? new Date(stopped.started_at) : clock.now() });
      const { version: _named, ...ruleFields } = chosen;
      const versionRule: NonNullable<ManifestOutput['version_rule']> = stopped && stopped.version !== chosen.version
        ? { ...ruleFields, evidence: `${chosen.evidence}; completing ${stopped.version}, as run ${stopped.run_id} named it` }
        : ruleFields;
      const ref = { service: source.service, version: stopped ? stopped.version : chosen.version };
      let health: ValidationHealth;
      let files: number;
      let bytes: number;
      let result: ManifestOutput['outcome'];
      if (stopped) {
        // Its ingest committed; validation may not have run. Finish both, then record it below.
        let stats = await catalog.read((conn) => versionStats(conn, ref, 1));
        if (stats.health.files_checked === 0 && stats.health.files > 0) {
          await validateVersion(catalog, ref, {
            signal: options.signal,
            onProgress: options.onProgress ? (progress) => options.onProgress!({ ...progress, phase: 'validate' }) : undefined,
          });
          stats = await catalog.read((conn) => versionStats(conn, ref, 1));
        }
        health = stats.health;
        files = stats.health.files;
        bytes = 0;
        result = 'completed';
      } else {
        const prior = await catalog.read((conn) => versionArtifactShas(conn, ref.service, ref.version));
        // Ingested by hand from a folder (no artifact rows): the same files are the same release.
        const byHand = prior.exists && prior.byName.size === 0 && await heldAsFiles(catalog, ref, fetched);
        if (byHand) for (const artifact of fetched) prior.byName.set(artifact.name, artifact.sha256);
        if (prior.exists && !holdsExactly(prior.byName, fetched)) {
          const differing = fetched.filter((artifact) => prior.byName.get(artifact.name) !== artifact.sha256).map((artifact) => artifact.name);
          throw new OntocatError('CONFLICT', `${ref.service}/${ref.version} is already in the catalog with other content for ${differing.join(', ')}: ` +
            `the source published different bytes under the same version (rule ${chosen.rule}: ${chosen.evidence}). Nothing was changed; ` +
            `ingest it by hand under another version name, or change the source's version rule.`);
        }
        if (prior.exists) {
          // An older release served again (or one ingested by hand): no new version, no candidate.
          await catalog.write(async (tx) => {
            await putRelease(tx, { key: releaseKey, source_id: source.source_id, service: ref.service, version: ref.version, run_id: runId });
            await saveValidators(tx);
          });
          const where = byHand ? 'its files, ingested by hand' : 'not its newest version';
          return unchanged(source, inputs, `same content as ${ref.service}/${ref.version}, already in the catalog (${where})`, ref.version, releaseKey, artifacts);
        }
        await marks.noteVersion(ref.version);
        const downloads: DownloadedArtifact[] = fetched.map((artifact) => ({
          name: artifact.name, source_url: artifact.resolved.url, file: artifact.file, status: artifact.http === 304 ? 'cached' : 'fresh',
          sha256: artifact.sha256, size_bytes: artifact.size, etag: artifact.etag, last_modified: artifact.lastModified,
          content_type: artifact.contentType, attempts: artifact.attempts,
        }));
        const ingested = await ingestAndValidate(catalog, fetched[0]!.resolved.url, {
          service: ref.service, version: ref.version, prefetched: downloads, actor: options.actor, signal: options.signal, onProgress: options.onProgress,
        });
        health = ingested.validation;
        files = ingested.files;
        bytes = ingested.bytes;
        result = 'created';
      }
      await catalog.write(async (tx) => {
        await putRelease(tx, { key: releaseKey, source_id: source.source_id, service: ref.service, version: ref.version, run_id: runId });
        await saveValidators(tx);
        await tx.event('source.version_rule', { source: source.source_id, service: ref.service, version: ref.version, ...versionRule });
      });
      return {
        status: 'changed', version: ref.version, key: releaseKey, inputs,
        output: {
          outcome: result, reason: stopped ? `the version was ingested by run ${stopped.run_id} (${stopped.status}), which stopped before recording it` : null,
          service: ref.service, version: ref.version, version_rule: versionRule, artifacts,
          files, bytes: result === 'completed' ? null : bytes, validation: validationSummary(health), promotion: null,
        },
      };
    });
  } finally {
    await work.remove();
  }
}

/** Runs `task` over `items`, at most `limit` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * `ontocat sync`: checks the named sources (or every enabled one) once. One source's
 * failure never stops the others; each run is a row with its manifest.
 */
export async function syncSources(catalog: Catalog, options: SyncOptions): Promise<SyncResult> {
  const started = Date.now();
  let sources: SourceRow[];
  if (options.ids && options.ids.length > 0) {
    const found = await catalog.read(async (conn) => Promise.all([...new Set(options.ids)].map(async (id) => ({ id, row: await getSourceRow(conn, id) }))));
    const missing = found.filter((entry) => !entry.row).map((entry) => entry.id);
    // A scheduled batch skips a source removed since it fell due, and runs the others.
    if (missing.length > 0 && options.trigger !== 'schedule') throw new OntocatError('NOT_FOUND', `Unknown source${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`);
    sources = found.flatMap((entry) => (entry.row ? [entry.row] : []));
  } else {
    sources = (await catalog.read((conn) => listSourceRows(conn))).filter((row) => row.enabled);
  }
  let done = 0;
  // Unchanged checks are written in one transaction at the end, not one each.
  const deferred: RunRecord[] = [];
  const validators = await catalog.read((conn) => allValidators(conn));
  let unreached = 0;
  const checked = await pool(sources, options.concurrency ?? 4, async (source): Promise<RunRecord | null> => {
    if (options.signal?.aborted) {
      // A source the cancelled sync never reached gets its run too: without one its history
      // said nothing, and a schedule's firing looked unrun (the Sources page showed it due).
      unreached += 1;
      const at = (options.clock ?? systemClock).now().toISOString();
      const record = recordOf({ run_id: randomUUID(), source_id: source.source_id, trigger: options.trigger, started_at: at }, {
        status: 'cancelled', finished_at: at, version: null, idempotency_key: null, duration_ms: 0, error_code: 'CANCELLED',
        error_message: 'The sync was cancelled before this source was checked.', manifest: { inputs: [], output: null },
      });
      deferred.push(record);
      return record;
    }
    // A schedule checks a source only while it is enabled: one paused (or removed) after its
    // batch fell due, while the batch waited or checked the sources before it, ran anyway.
    const current = options.trigger === 'schedule' ? await catalog.read((conn) => getSourceRow(conn, source.source_id)) : source;
    if (!current || (options.trigger === 'schedule' && !current.enabled)) {
      done += 1;
      options.onProgress?.({ done, total: sources.length, bytes: 0, current: source.source_id, phase: 'sync' });
      return null;
    }
    const run = await runSource(catalog, current, {
      ...options,
      validators,
      // One job, one progress: a source's download and ingest show as detail of the sync.
      onProgress: options.onProgress
        ? (inner) => options.onProgress!({ done, total: sources.length, bytes: inner.bytes, current: `${source.source_id}: ${inner.phase ?? ''} ${inner.current ?? ''}`.trim(), phase: 'sync' })
        : undefined,
    }, deferred);
    done += 1;
    options.onProgress?.({ done, total: sources.length, bytes: 0, current: source.source_id, phase: 'sync' });
    return run;
  }).finally(() => writeRuns(catalog, deferred));
  if (unreached > 0) throw new OntocatError('CANCELLED', 'Sync cancelled.');
  const runs = checked.filter((run): run is RunRecord => run !== null);
  return {
    runs,
    changed: runs.filter((run) => run.status === 'changed').length,
    unchanged: runs.filter((run) => run.status === 'unchanged').length,
    failed: runs.filter((run) => run.status === 'failed' || run.status === 'cancelled').length,
    duration_ms: Date.now() - started,
  };
}
