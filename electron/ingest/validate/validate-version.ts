import type { Stats } from 'node:fs';
import path from 'node:path';
import { versionHealth } from '../../catalog/health-queries.js';
import { versionId } from '../../catalog/ids.js';
import type { Catalog } from '../../catalog/open-catalog.js';
import { validationReport } from '../../catalog/report-queries.js';
import { listFilesToValidate, recordedHashes, type FilesToValidate, type FileToValidate, type UnparsedFiles } from '../../catalog/validation-queries.js';
import { replaceVersionValidations, type NewValidation } from '../../catalog/write-records.js';
import type { ValidateRunResult } from '../../shared/contract/validate.js';
import { OntocatError } from '../../shared/errors.js';
import type { WorkControl } from '../../shared/progress.js';
import type { VersionRef } from '../../shared/version-ref.js';
import { crashPoint } from '../../storage/crash-point.js';
import { dataRelpath } from '../../storage/layout.js';
import { compareWithRecord, rewrittenWords, writtenSinceRecorded } from '../../storage/recorded-bytes.js';
import { RootFileProbe } from '../../storage/safe-path.js';
import { reusableSources, type ReusableSource } from '../../catalog/validation-reuse.js';
import { refreshReleaseDate } from '../../catalog/release-order.js';
import { DECIDING_EXTENSIONS } from '../detect-format.js';
import { readReleaseEvidence } from '../release-evidence.js';
import { TermRecorder } from '../terms/term-recorder.js';
import { checkOnDisk } from './disk-check.js';
import { FORMAT_MISMATCH_RULE, formatMismatchFinding } from './format-mismatch.js';
import { STREAM_TERMS_MIN_BYTES, type FileTask } from './validate-file.js';
import { VALIDATOR_BY_FORMAT, VALIDATOR_VERSION } from './validators.js';
import { defaultPoolSize, StartedWorkers, validateInPool } from './worker-pool.js';
import type { DiskCheckDifference, DiskCheckTask } from './worker-protocol.js';

/** What a validation run of a version found (the CLI's `--json`); see the contract. */
export type ValidateResult = ValidateRunResult;

export interface ValidateOptions extends WorkControl {
  /** Worker threads (default: all cores). */
  readonly workers?: number;
  /**
   * Reuse the results of content already validated elsewhere in the catalog by the same
   * validator version (default true); false parses every file again.
   */
  readonly reuse?: boolean;
  /** Record the terms of files not yet in the term index (default true). */
  readonly indexTerms?: boolean;
  /** The worker entry (default: the pool's WORKER_URL); benches point it at the built bundle users run. */
  readonly workerUrl?: URL;
}

/**
 * Files no validator reads in one disk check batch of a pool worker (a few milliseconds
 * of lstat calls). Fewer than this, or a version with nothing to parse, are checked on
 * this thread: not worth a worker's start.
 */
export const CHECK_BATCH = 512;

/** Rules a run checks itself, never copied from another version's results. */
const REUSE_SKIPS: readonly string[] = [FORMAT_MISMATCH_RULE];

/** The formats a validator parses (a syntax check); the other files are only checked on disk. */
const PARSED_FORMATS: readonly string[] = Object.keys(VALIDATOR_BY_FORMAT);

/** The check batches of the files no validator reads. */
function checkBatches(unparsed: UnparsedFiles, root: string, base: string): DiskCheckTask[] {
  const batches: DiskCheckTask[] = [];
  for (let start = 0; start < unparsed.relpaths.length; start += CHECK_BATCH) {
    batches.push({
      root, base, relpaths: unparsed.relpaths.slice(start, start + CHECK_BATCH), sizes: unparsed.sizes.slice(start, start + CHECK_BATCH),
    });
  }
  return batches;
}

/**
 * The validate boundary: checks every file of a version from disk on a worker pool and
 * replaces the version's validation rows in one transaction.
 *
 * A file listed in the catalog but absent (or not a regular file) on disk is a finding
 * (`storage`/`missing-file`, ERROR), and a size different from the catalog's is one too
 * (`storage`/`size-mismatch`); neither stops the run. Content that contradicts the
 * declared format adds a `format-mismatch` warning beside the file's syntax check. Cancelling terminates the workers
 * and writes no validation rows. The terms of each ontology file whose content is not in
 * the term index yet are recorded from the same parse (TermRecorder).
 */
export async function validateVersion(catalog: Catalog, ref: VersionRef, options: ValidateOptions = {}): Promise<ValidateResult> {
  const started = performance.now();
  const listing = await catalog.read((conn) => listFilesToValidate(conn, ref, PARSED_FORMATS));
  // The files no validator reads (most of a large package) are checked on disk by the pool
  // workers, in batches after the parses, so this thread only hands out work; a few, or a
  // version with nothing to parse, are checked here.
  const onThisThread = listing.parsed.length === 0 || listing.unparsed.relpaths.length < CHECK_BATCH;
  const batches = onThisThread ? [] : checkBatches(listing.unparsed, catalog.root, dataRelpath(ref.service, ref.version, ''));
  // The workers start now: loading the parsers overlaps reading stored results and
  // checking the parsed files (a worker's start is the largest fixed cost of a run).
  const ahead = Math.min(options.workers ?? defaultPoolSize(), listing.parsed.length + batches.length);
  const startedWorkers = ahead > 0 && !options.signal?.aborted ? new StartedWorkers(ahead, options.workerUrl) : null;
  try {
    return await validateListed(catalog, ref, options, { ...listing, batches, onThisThread, startedWorkers, started });
  } finally {
    // Ended by the pool when it ran; here when the run failed before it.
    startedWorkers?.close();
  }
}

/** What `validateVersion` read and started before the run proper. */
interface Listed extends FilesToValidate {
  readonly batches: readonly DiskCheckTask[];
  readonly onThisThread: boolean;
  readonly startedWorkers: StartedWorkers | null;
  /** When the run began (performance.now()). */
  readonly started: number;
}

/**
 * The files of the recorded size written since they were recorded whose bytes are no longer
 * the recorded content (edited in place), with the sha256 they hash to now (null: unreadable)
 * and the one recorded. Only those few are hashed; their recorded hashes are read for them alone.
 */
async function rewrittenInPlace(
  catalog: Catalog, ref: VersionRef, files: readonly FileToValidate[], probed: readonly { abs: string; stat: Stats | undefined }[],
): Promise<Map<string, { found: string | null; recorded: string }>> {
  const suspects = files.map((file, i) => ({ file, ...probed[i]! }))
    .filter(({ file, stat }) => stat?.isFile() && stat.size === file.size_bytes && writtenSinceRecorded(stat, file.mtime_ms));
  const rewritten = new Map<string, { found: string | null; recorded: string }>();
  if (suspects.length === 0) return rewritten;
  const hashes = await catalog.read((conn) => recordedHashes(conn, ref, suspects.map(({ file }) => file.relpath)));
  for (const { file, abs, stat } of suspects) {
    const sha256 = hashes.get(file.relpath);
    if (sha256 === undefined) continue;
    const found = await compareWithRecord(abs, stat, { size_bytes: file.size_bytes, sha256, mtime_ms: file.mtime_ms });
    if (found.state === 'rewritten') rewritten.set(file.relpath, { found: found.sha256, recorded: sha256 });
  }
  return rewritten;
}

/** The run of `validateVersion` once its files are listed and its workers started. */
async function validateListed(catalog: Catalog, ref: VersionRef, options: ValidateOptions, listed: Listed): Promise<ValidateResult> {
  const { parsed: files, unparsed, batches } = listed;
  const base = dataRelpath(ref.service, ref.version, '');
  const requested = options.workers ?? defaultPoolSize();
  const sources = options.reuse === false ? [] : await catalog.read((conn) => reusableSources(conn, ref, VALIDATOR_VERSION, REUSE_SKIPS, DECIDING_EXTENSIONS));
  const reusable = new Map(sources.map((source) => [source.target_relpath, source]));
  const reused: ReusableSource[] = [];
  const recorder = options.indexTerms === false ? null
    // The listing above has every parsed file's hash: no second read of the version's rows.
    : await TermRecorder.plan(catalog, files);
  const rows: NewValidation[] = [];
  const tasks: FileTask[] = [];
  let totalBytes = 0;
  let missing = 0;
  const probe = new RootFileProbe(catalog.root);
  /** The finding of a file not on disk as recorded (`size` null: absent); a missing one is counted as checked. */
  const storageFinding = (relpath: string, expected: number, size: number | null): void => {
    if (size === null) {
      missing += 1;
      rows.push({
        relpath, validator: 'storage', rule: 'missing-file', severity: 'ERROR', passed: false,
        message: `The file is in the catalog but not on disk at ${base}${relpath}.`,
        line: null, col: null, subject: null, details: { expected_bytes: expected },
      });
    } else {
      rows.push({
        relpath, validator: 'storage', rule: 'size-mismatch', severity: 'ERROR', passed: false,
        message: `The file on disk has ${size} bytes; the catalog recorded ${expected}.`,
        line: null, col: null, subject: null, details: { expected_bytes: expected, actual_bytes: size },
      });
    }
  };
  const takeDifferences = (check: DiskCheckTask, differences: readonly DiskCheckDifference[]): void => {
    for (const { index, size } of differences) storageFinding(check.relpaths[index]!, check.sizes[index]!, size);
  };
  const check = (file: FileToValidate, { abs: absPath, stat }: { abs: string; stat: Stats | undefined }, rewritten: { found: string | null; recorded: string } | undefined): void => {
    const size = stat?.isFile() ? stat.size : null;
    if (size !== file.size_bytes) storageFinding(file.relpath, file.size_bytes, size);
    if (size === null) return;
    if (rewritten !== undefined) {
      rows.push({
        relpath: file.relpath, validator: 'storage', rule: 'changed-in-place', severity: 'ERROR', passed: false,
        message: `The file on disk is not the content recorded: ${rewrittenWords(rewritten.found, rewritten.recorded)}. Run 'ontocat doctor' to restore it.`,
        line: null, col: null, subject: null, details: { expected_sha256: rewritten.recorded, actual_sha256: rewritten.found },
      });
    }
    const mismatch = formatMismatchFinding(file);
    if (mismatch) rows.push(mismatch);
    // Content known by its hash is not parsed again, unless the disk disagrees on size or
    // it has terms the term index lacks (the parse is what records them; content that did
    // not parse or has no terms gives nothing to index, so its results are reused, and the
    // index takes the source's verdict: without it such a content stayed pending for ever).
    // Bytes on disk that are not the recorded content are parsed for this version's findings
    // only: their terms are not that content's, nor are their findings another version's.
    const intact = size === file.size_bytes && rewritten === undefined;
    if (!intact) recorder?.forgo(file.relpath);
    const indexTerms = intact && (recorder?.wants(file.relpath) ?? false);
    const stored = intact ? reusable.get(file.relpath) : undefined;
    const known = stored && !(indexTerms && (stored.terms ?? 0) > 0) ? stored : undefined;
    if (known) {
      reused.push(known);
      recorder?.takeReused(file.relpath, known);
    } else {
      tasks.push({
        absPath, relpath: file.relpath, format: file.format, size_bytes: size, index_terms: indexTerms,
        ...(indexTerms && size >= STREAM_TERMS_MIN_BYTES && recorder?.streams(file.relpath) ? { stream_terms: true } : {}),
      });
    }
    totalBytes += size;
  };
  // One lstat a file (its folder is checked once): a link or mount point there refuses the
  // run as resolveInsideRoot would, and a non-file counts as missing.
  const probed = files.map((file) => probe.probe(base + file.relpath));
  const rewritten = await rewrittenInPlace(catalog, ref, files, probed);
  files.forEach((file, i) => check(file, probed[i]!, rewritten.get(file.relpath)));
  if (listed.onThisThread) {
    const all: DiskCheckTask = { root: catalog.root, base, relpaths: unparsed.relpaths, sizes: unparsed.sizes };
    takeDifferences(all, checkOnDisk(all, probe));
  }

  const total = (): number => tasks.length + reused.length + missing;
  let done = missing + reused.length;
  let bytes = 0;
  const report = (current: string | null): void =>
    options.onProgress?.({ done, total: total(), bytes, current, phase: 'validate' });
  report(null);
  const workers = tasks.length + batches.length === 0 ? 0 : Math.max(1, Math.min(requested, tasks.length + batches.length));
  const pool = validateInPool(tasks, {
    workers,
    signal: options.signal,
    started: listed.startedWorkers ?? undefined,
    workerUrl: options.workerUrl,
    checks: batches,
    onChecked(batch, differences) {
      const missingBefore = missing;
      takeDifferences(batch, differences);
      done += missing - missingBefore;
      if (differences.length > 0) report(null);
    },
    onBytes(n) {
      bytes += n;
      report(null);
    },
    onTermChunk(relpath, columns) {
      recorder?.takeChunk(relpath, columns);
    },
    onFile(result) {
      recorder?.take(result);
      done += 1;
      report(result.relpath);
    },
  });
  const results = await pool.catch(async (error: unknown) => {
    await recorder?.abandon();
    throw error;
  });
  bytes = totalBytes;
  let triples = 0;
  let terms = 0;
  for (const result of [...reused, ...results]) {
    triples += result.triples ?? 0;
    terms += result.terms ?? 0;
  }
  for (const result of results) rows.push(...result.rows);
  try {
    await recorder?.settle();
    if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'Validation was cancelled.');

    // What the files say about their release, read again: a version ingested before the
    // reader knew a form its files use (EDAM 1.0's commented OBO date, the oboOther:date of
    // EDAM's OWL releases) gets its date now. A curator's date is kept (refreshReleaseDate).
    const evidence = await readReleaseEvidence(path.join(catalog.root, ...base.split('/')), files);
    crashPoint('validate.before-commit');
    await catalog.write(async (tx) => {
      if (evidence) await refreshReleaseDate(tx, ref, evidence);
      await recorder?.writeRest(tx);
      const counts = await replaceVersionValidations(tx, ref, rows, {
        reused: {
          relpaths: reused.map((r) => r.target_relpath), sources: reused.map((r) => r.source_file_id),
          skipRules: REUSE_SKIPS, validatorVersion: VALIDATOR_VERSION,
        },
      });
      await tx.event('validate.completed', {
        service: ref.service, version: ref.version, files: total(), bytes: totalBytes, passed: counts.passed, failed: counts.failed,
        reused: reused.length,
      });
    });
  } catch (error) {
    // A large file's terms written in chunks are recorded by the closing transaction above:
    // without it, their rows go (or, if even that fails, wait for the next sweep).
    await recorder?.abandon().catch(() => undefined);
    throw error;
  }
  report(null);

  const { health, byValidator } = await catalog.read(async (conn) => ({
    health: await versionHealth(conn, versionId(ref.service, ref.version)),
    byValidator: await validationReport(conn, { ref: `${ref.service}/${ref.version}` }),
  }));
  return {
    service: ref.service,
    version: ref.version,
    files: files.length + unparsed.relpaths.length,
    checked: total(),
    bytes: totalBytes,
    triples,
    terms,
    health,
    by_validator: byValidator,
    workers,
    reused: reused.length,
    duration_ms: Math.round(performance.now() - listed.started),
  };
}
