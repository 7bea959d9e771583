import { versionHealth } from '../../catalog/health-queries.js';
import { versionId } from '../../catalog/ids.js';
import type { Catalog } from '../../catalog/open-catalog.js';
import { validationReport } from '../../catalog/report-queries.js';
import { listFilesToValidate, type FileToValidate } from '../../catalog/validation-queries.js';
import { replaceVersionValidations, type NewValidation } from '../../catalog/write-records.js';
import type { ValidateRunResult } from '../../shared/contract/validate.js';
import { OntocatError } from '../../shared/errors.js';
import type { WorkControl } from '../../shared/progress.js';
import type { VersionRef } from '../../shared/version-ref.js';
import { crashPoint } from '../../storage/crash-point.js';
import { dataRelpath } from '../../storage/layout.js';
import { RootFileProbe } from '../../storage/safe-path.js';
import { reusableValidations, type ReusableRow } from '../../catalog/validation-reuse.js';
import { TermRecorder } from '../terms/term-recorder.js';
import { FORMAT_MISMATCH_RULE, formatMismatchFinding } from './format-mismatch.js';
import type { FileTask, FileValidation } from './validate-file.js';
import { VALIDATOR_BY_FORMAT, VALIDATOR_VERSION } from './validators.js';
import { defaultPoolSize, validateInPool } from './worker-pool.js';

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
}

/** Files checked on disk between two turns of the event loop while the pool parses. */
const CHECK_SLICE = 256;

/** Whether the file's format has a validator (syntax check) at all. */
function hasValidator(file: FileToValidate): boolean {
  return VALIDATOR_BY_FORMAT[file.format as keyof typeof VALIDATOR_BY_FORMAT] !== undefined;
}

/**
 * The stored results of other versions' files with the same content, by target path,
 * as the rows a parse of the target would give. A source at another path whose findings
 * name a file IRI is skipped: relative IRIs were resolved against its own path.
 */
function reusedByPath(stored: readonly ReusableRow[]): Map<string, FileValidation> {
  const grouped = new Map<string, ReusableRow[]>();
  for (const row of stored) {
    const rows = grouped.get(row.target_relpath);
    if (rows) rows.push(row);
    else grouped.set(row.target_relpath, [row]);
  }
  const reused = new Map<string, FileValidation>();
  for (const [relpath, rows] of grouped) {
    const moved = rows[0]!.source_relpath !== relpath;
    if (moved && rows.some((r) => `${r.subject ?? ''}${r.message ?? ''}${r.details_json ?? ''}`.includes('file:///'))) continue;
    const syntax = rows.find((r) => r.rule === 'syntax');
    const details = syntax?.details_json ? (JSON.parse(syntax.details_json) as Record<string, unknown>) : {};
    reused.set(relpath, {
      relpath,
      rows: rows.map((r) => ({
        relpath, validator: r.validator, rule: r.rule, severity: r.severity, passed: r.passed, message: r.message,
        line: r.line, col: r.col, subject: r.subject, details: r.details_json ? (JSON.parse(r.details_json) as Record<string, unknown>) : null,
      })),
      triples: typeof details.triples === 'number' ? details.triples : null,
      terms: typeof details.terms === 'number' ? details.terms : null,
    });
  }
  return reused;
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
  const { files, stored } = await catalog.read(async (conn) => ({
    files: await listFilesToValidate(conn, ref),
    stored: options.reuse === false ? [] : await reusableValidations(conn, ref, VALIDATOR_VERSION, [FORMAT_MISMATCH_RULE]),
  }));
  const reusable = reusedByPath(stored);
  const reused: FileValidation[] = [];
  const recorder = options.indexTerms === false ? null
    // The listing above has every file's hash: no second read of the version's rows.
    : await TermRecorder.plan(catalog, files);
  const rows: NewValidation[] = [];
  const tasks: FileTask[] = [];
  let totalBytes = 0;
  let missing = 0;
  const probe = new RootFileProbe(catalog.root);
  const check = (file: FileToValidate): void => {
    // One lstat a file (its folder is checked once): a link or mount point there refuses
    // the run as resolveInsideRoot would, and a non-file counts as missing.
    const { abs: absPath, stat } = probe.probe(dataRelpath(ref.service, ref.version, file.relpath));
    const size = stat?.isFile() ? stat.size : null;
    if (size === null) {
      missing += 1;
      rows.push({
        relpath: file.relpath, validator: 'storage', rule: 'missing-file', severity: 'ERROR', passed: false,
        message: `The file is in the catalog but not on disk at ${dataRelpath(ref.service, ref.version, file.relpath)}.`,
        line: null, col: null, subject: null, details: { expected_bytes: file.size_bytes },
      });
      return;
    }
    if (size !== file.size_bytes) {
      rows.push({
        relpath: file.relpath, validator: 'storage', rule: 'size-mismatch', severity: 'ERROR', passed: false,
        message: `The file on disk has ${size} bytes; the catalog recorded ${file.size_bytes}.`,
        line: null, col: null, subject: null, details: { expected_bytes: file.size_bytes, actual_bytes: size },
      });
    }
    if (!hasValidator(file)) return;
    const mismatch = formatMismatchFinding(file);
    if (mismatch) rows.push(mismatch);
    // Content known by its hash is not parsed again, unless the disk disagrees on size or
    // it has terms the term index lacks (the parse is what records them; content that did
    // not parse or has no terms gives nothing to index, so its results are reused).
    const indexTerms = recorder?.wants(file.relpath) ?? false;
    const stored = size === file.size_bytes ? reusable.get(file.relpath) : undefined;
    const known = stored && !(indexTerms && (stored.terms ?? 0) > 0) ? stored : undefined;
    if (known) reused.push(known);
    else tasks.push({ absPath, relpath: file.relpath, format: file.format, size_bytes: size, index_terms: indexTerms });
    totalBytes += size;
  };
  // The files with a validator are checked first and the pool starts on them; the others
  // (most files of a large package) are checked on this thread while the workers parse.
  const rest: FileToValidate[] = [];
  for (const file of files) {
    if (hasValidator(file)) check(file);
    else rest.push(file);
  }

  const total = (): number => tasks.length + reused.length + missing;
  let done = missing + reused.length;
  let bytes = 0;
  const report = (current: string | null): void =>
    options.onProgress?.({ done, total: total(), bytes, current, phase: 'validate' });
  report(null);
  const workers = tasks.length === 0 ? 0 : Math.max(1, Math.min(options.workers ?? defaultPoolSize(), tasks.length));
  // The pool stops when the caller cancels or when checking the other files fails.
  const stopPool = new AbortController();
  const forwardAbort = (): void => stopPool.abort();
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  if (options.signal?.aborted) stopPool.abort();
  const pool = validateInPool(tasks, {
    workers,
    signal: stopPool.signal,
    onBytes(n) {
      bytes += n;
      report(null);
    },
    onFile(result) {
      recorder?.take(result);
      done += 1;
      report(result.relpath);
    },
  });
  // Marked as handled now: a cancelled pool rejects while the loop below still runs, and
  // the rejection is taken where the pool is awaited.
  pool.catch(() => undefined);
  try {
    const missingBefore = missing;
    for (let i = 0; i < rest.length && !stopPool.signal.aborted; i += 1) {
      check(rest[i]!);
      // Let the workers' messages in: a worker holds only a file or two of its own.
      if (i % CHECK_SLICE === CHECK_SLICE - 1) await new Promise<void>((resolve) => { setImmediate(resolve); });
    }
    done += missing - missingBefore;
    report(null);
  } catch (error) {
    stopPool.abort();
    await pool.catch(() => undefined);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
  }
  const results = await pool;
  bytes = totalBytes;
  let triples = 0;
  let terms = 0;
  for (const result of [...reused, ...results]) {
    rows.push(...result.rows);
    triples += result.triples ?? 0;
    terms += result.terms ?? 0;
  }
  await recorder?.flush();
  if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'Validation was cancelled.');

  crashPoint('validate.before-commit');
  await catalog.write(async (tx) => {
    const counts = await replaceVersionValidations(tx, ref, rows);
    await tx.event('validate.completed', {
      service: ref.service, version: ref.version, files: total(), bytes: totalBytes, passed: counts.passed, failed: counts.failed,
      reused: reused.length,
    });
  });
  report(null);

  const { health, byValidator } = await catalog.read(async (conn) => ({
    health: await versionHealth(conn, versionId(ref.service, ref.version)),
    byValidator: await validationReport(conn, { ref: `${ref.service}/${ref.version}` }),
  }));
  return {
    service: ref.service,
    version: ref.version,
    files: files.length,
    checked: total(),
    bytes: totalBytes,
    triples,
    terms,
    health,
    by_validator: byValidator,
    workers,
    reused: reused.length,
    duration_ms: Math.round(performance.now() - started),
  };
}
