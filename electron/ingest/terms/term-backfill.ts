/**
 * Backfill of the term index: parses every ontology file content the index lacks (for
 * versions validated before the index existed) on the validation worker pool and records
 * each as it comes back. Contents are committed in batches as they come back, so a
 * cancelled or interrupted backfill keeps what it did and the next run carries on from
 * there. A content that does not parse is kept as such (term_index_unparsable) and not
 * read again until the parsers change; one whose file cannot be read is tried again.
 */
import type { Catalog } from '../../catalog/open-catalog.js';
import { pendingTermContents, requireService } from '../../catalog/term-index-queries.js';
import { BACKFILL_FAILURES_NAMED, type BackfillFailure, type TermBackfillResult } from '../../shared/contract/terms.js';
import { OntocatError } from '../../shared/errors.js';
import type { WorkControl } from '../../shared/progress.js';
import { dataRelpath } from '../../storage/layout.js';
import { compareWithRecord, rewrittenWords } from '../../storage/recorded-bytes.js';
import { resolveInsideRoot } from '../../storage/safe-path.js';
import type { FileTask } from '../validate/validate-file.js';
import { defaultPoolSize, validateInPool } from '../validate/worker-pool.js';
import { VALIDATOR_VERSION } from '../validate/validators.js';
import { indexFailure, TermRecorder } from './term-recorder.js';
import { lstatIfPresent } from '../../storage/stat-if-present.js';

export interface BackfillOptions extends WorkControl {
  /** Only this service's files. */
  readonly service?: string;
  readonly workers?: number;
}

/** Indexes every ontology file content not in the term index yet; reports progress per file. */
export async function backfillTermIndex(catalog: Catalog, options: BackfillOptions = {}): Promise<TermBackfillResult> {
  const started = performance.now();
  if (options.service !== undefined) {
    const service = options.service;
    await catalog.read((conn) => requireService(conn, service));
  }
  const pending = await catalog.read((conn) => pendingTermContents(conn, VALIDATOR_VERSION, options.service));
  const tasks: FileTask[] = [];
  const where = new Map<string, (typeof pending)[number]>();
  // Only the first few are named: a catalog whose files are gone can fail on 100,000 of them,
  // and the result crosses IPC.
  const failed: BackfillFailure[] = [];
  const failures = { unparsable: 0, unreadable: 0 };
  const reading: (typeof pending)[number][] = [];
  for (const content of pending) {
    // One task per content: the relpath key is made unique by the version folder.
    const key = dataRelpath(content.service, content.version, content.relpath);
    const absPath = resolveInsideRoot(catalog.root, key);
    // A file of another size, or edited in place, holds other bytes: their terms are not the
    // content's (a missing file is left to the parse, which says it could not be read).
    const disk = await compareWithRecord(absPath, lstatIfPresent(absPath), content);
    const differs = disk.state === 'resized' ? `The file on disk has ${disk.size} bytes; the catalog recorded ${content.size_bytes}.`
      : disk.state === 'rewritten' ? `The file on disk is not the content recorded: ${rewrittenWords(disk.sha256, content.sha256)}.` : null;
    if (differs) {
      failures.unreadable += 1;
      if (failed.length < BACKFILL_FAILURES_NAMED) {
        failed.push({ relpath: content.relpath, service: content.service, version: content.version, reason: 'unreadable', message: `${differs} Run doctor to restore it.` });
      }
      continue;
    }
    where.set(key, content);
    reading.push(content);
    // Relative IRIs resolve against the file's path in its version, as validation resolves them.
    tasks.push({ absPath, relpath: key, base_relpath: content.relpath, format: content.format, size_bytes: content.size_bytes, index_terms: true });
  }
  const recorder = await TermRecorder.plan(catalog, reading.map((content) => ({
    relpath: dataRelpath(content.service, content.version, content.relpath), format: content.format, sha256: content.sha256,
  })));
  const total = pending.length;
  const totalBytes = tasks.reduce((sum, task) => sum + task.size_bytes, 0);
  let done = pending.length - tasks.length;
  let bytes = 0;
  const report = (current: string | null): void => options.onProgress?.({ done, total, bytes, current, phase: 'terms' });
  report(null);
  if (tasks.length > 0) {
    await validateInPool(tasks, {
      workers: Math.max(1, Math.min(options.workers ?? defaultPoolSize(), tasks.length)),
      signal: options.signal,
      onBytes(n) {
        bytes = Math.min(totalBytes, bytes + n);
        report(null);
      },
      onFile(result) {
        const content = where.get(result.relpath)!;
        if (!result.index_terms) {
          const { reason, message } = indexFailure(result);
          failures[reason] += 1;
          if (failed.length < BACKFILL_FAILURES_NAMED) failed.push({ relpath: content.relpath, service: content.service, version: content.version, message, reason });
        }
        recorder.take(result);
        done += 1;
        report(content.relpath);
      },
    });
  }
  await recorder.flush();
  if (options.signal?.aborted) throw new OntocatError('CANCELLED', 'The term index backfill was cancelled; what it recorded stays.');
  await catalog.write((tx) => tx.event('terms.backfilled', { contents: total, indexed: recorder.recorded, ...failures, service: options.service ?? null }));
  report(null);
  return { contents: total, indexed: recorder.recorded, ...failures, failed, duration_ms: Math.round(performance.now() - started) };
}
