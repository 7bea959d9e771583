/**
 * Does a catalogued file on disk still hold the bytes recorded for it? Decided cheaply:
 * its size, then its mtime against the one recorded when it was stored, and only a file of
 * the right size written since (an edit in place, `dd conv=notrunc`, or a mere `touch`) is
 * hashed. Reuse, the term index and the term delta trust recorded content only where the
 * disk agrees: a same-size edit passed a size check alone.
 */
import type { Stats } from 'node:fs';
import { trySha256File } from './file-hash.js';

/** What the catalog recorded of a file: `mtime_ms` of the stored file, null where a row has none. */
export interface RecordedBytes {
  readonly size_bytes: number;
  readonly sha256: string;
  readonly mtime_ms: number | null;
}

export type DiskAgreement =
  | { readonly state: 'missing' }
  | { readonly state: 'resized'; readonly size: number }
  /** Same size, other bytes (`sha256` null when it could not be read). */
  | { readonly state: 'rewritten'; readonly sha256: string | null }
  | { readonly state: 'as-recorded' };

/**
 * True for a file of its recorded size whose mtime moved since (by more than the
 * millisecond doctor allows too): only its hash can tell an edit from a touch.
 */
export function writtenSinceRecorded(stat: Stats, mtimeMs: number | null): boolean {
  return mtimeMs !== null && Math.abs(Math.trunc(stat.mtimeMs) - mtimeMs) > 1;
}

/** How the file at `absPath` (lstat `stat`, undefined when absent) stands against its record. */
export async function compareWithRecord(absPath: string, stat: Stats | undefined, recorded: RecordedBytes): Promise<DiskAgreement> {
  if (!stat?.isFile()) return { state: 'missing' };
  if (stat.size !== recorded.size_bytes) return { state: 'resized', size: stat.size };
  if (!writtenSinceRecorded(stat, recorded.mtime_ms)) return { state: 'as-recorded' };
  const sha256 = await trySha256File(absPath);
  return sha256 === recorded.sha256 ? { state: 'as-recorded' } : { state: 'rewritten', sha256 };
}

/** "same size, but its sha256 is 3f2a…; the catalog recorded 9b1c…": a rewritten file in words. */
export function rewrittenWords(found: string | null, recorded: string): string {
  return found === null
    ? `it is the recorded size but was written since and could not be read back to check`
    : `it is the recorded size but was written since: its sha256 is ${found.slice(0, 12)}…, the catalog recorded ${recorded.slice(0, 12)}…`;
}
