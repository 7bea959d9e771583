import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { OntocatError, isOntocatError } from '../shared/errors.js';
import type { WorkControl } from '../shared/progress.js';
import { tarBytes, zipEntryType, type ArchiveKind } from './archive-readers.js';
import { EntryRules, type EntryFacts } from './archive-entry-rules.js';
import type { IngestLimits } from './limits.js';
import { TarHeaderScanner, type TarHeader } from './tar-headers.js';
import { scanZipDirectory } from './zip-directory.js';

/** What the headers of an archive promise, once every rule has passed. */
export interface PrecheckResult {
  readonly files: number;
  readonly entries: number;
  readonly declaredBytes: number;
  /** Paths that differ only in letter case (fine on Linux, a clash on macOS and Windows). */
  readonly caseOnlyDuplicates: number;
  readonly caseExamples: readonly string[];
}

function tarFacts(header: TarHeader): EntryFacts {
  const type: EntryFacts['type'] = header.sparse ? 'sparse'
    : header.typeflag === '0' || header.typeflag === '7' ? 'file'
    : header.typeflag === '5' || header.typeflag === 'D' ? 'dir'
      : header.typeflag === '2' ? 'symlink'
        : header.typeflag === '1' ? 'hardlink'
          : header.typeflag === '3' || header.typeflag === '4' || header.typeflag === '6' ? 'device'
            : 'other';
  return { name: header.name, type, linkTarget: header.linkTarget };
}

/**
 * Runs an entry through the rules, remembering a refusal: it already reads "Refused
 * <archive>: …", so the scan's catch passes it on as is instead of prefixing it again.
 */
function admitting(rules: EntryRules, refusals: WeakSet<object>, facts: EntryFacts, size: number): void {
  try {
    rules.admit(facts, size);
  } catch (error) {
    if (error instanceof Error) refusals.add(error);
    throw error;
  }
}

function unreadable(file: string, error: unknown, refusals: WeakSet<object>): OntocatError {
  if (isOntocatError(error) && (error.code !== 'BAD_INPUT' || refusals.has(error))) return error;
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0]!;
  if (/invalid relative path|absolute path|invalid characters in fileName/i.test(message)) {
    return new OntocatError('UNSAFE_PATH', `Refused archive entry in ${path.basename(file)}: ${message}.`);
  }
  return new OntocatError('BAD_INPUT', `Cannot read the archive ${path.basename(file)}: ${message.replace(/\.$/, '')}.`);
}

async function scanTar(file: string, kind: ArchiveKind, rules: EntryRules, report: (current: string) => void, signal?: AbortSignal): Promise<void> {
  const refusals = new WeakSet<object>();
  const scanner = new TarHeaderScanner((header) => {
    const facts = tarFacts(header);
    admitting(rules, refusals, facts, facts.type === 'file' ? header.size : 0);
    report(header.name);
  });
  try {
    await pipeline(await tarBytes(file, kind), scanner, { signal });
  } catch (error) {
    if (signal?.aborted) throw new OntocatError('CANCELLED', 'Ingest cancelled.');
    throw unreadable(file, error, refusals);
  }
}

async function scanZip(file: string, rules: EntryRules, report: (current: string) => void, signal?: AbortSignal): Promise<void> {
  const refusals = new WeakSet<object>();
  try {
    await scanZipDirectory(file, (record) => {
      const type = zipEntryType(record);
      // Link targets sit in the entry's data; extraction checks them as it reads them.
      admitting(rules, refusals, { name: record.fileName, type }, type === 'file' ? record.uncompressedSize : 0);
      report(record.fileName);
    }, signal);
  } catch (error) {
    if (signal?.aborted) throw new OntocatError('CANCELLED', 'Ingest cancelled.');
    throw unreadable(file, error, refusals);
  }
}

/**
 * Reads an archive's headers (tar) or central directory (zip) and judges every limit and
 * rule before a single byte is extracted: file and entry counts, declared total size and
 * compression ratio, path length, name length and depth, unsafe names and links, devices
 * and duplicate paths. Data is skipped as it streams, so memory stays flat at any entry
 * count (bar one map of paths, which the file limit bounds) and a refusal comes as soon
 * as the offending header is read. A single-file `.gz` has no headers to read; its size
 * and ratio are judged while it is written.
 */
export async function precheckArchive(archive: string, kind: ArchiveKind, limits: IngestLimits, control: WorkControl = {}): Promise<PrecheckResult> {
  const archiveBytes = (await stat(archive)).size;
  const rules = new EntryRules(limits, path.basename(archive), archiveBytes);
  let last = 0;
  const report = (current: string): void => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    control.onProgress?.({ done: rules.entries, total: null, bytes: 0, current, phase: 'scan' });
  };
  if (kind === 'zip') await scanZip(archive, rules, report, control.signal);
  else if (kind !== 'gz') await scanTar(archive, kind, rules, report, control.signal);
  rules.assertNoFileFolderClash();
  return {
    files: rules.files, entries: rules.entries, declaredBytes: rules.declaredBytes,
    caseOnlyDuplicates: rules.caseOnlyDuplicates, caseExamples: rules.caseExamples,
  };
}
