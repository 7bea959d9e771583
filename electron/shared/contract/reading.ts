/**
 * Reading channels: the lines of a stored file around a finding.
 */
import { z } from 'zod';
import { channel, relpath, versionRefSchema } from './schemas.js';

/** One line of a stored file. */
export interface FileLine {
  readonly number: number;
  readonly text: string;
  /** The line is longer than what is shown; `bytes` is its full length. */
  readonly truncated: boolean;
  readonly bytes: number;
}

/** Lines `line - context` … `line + context` of a stored file. */
export interface FileLines {
  readonly ref: string;
  readonly relpath: string;
  /** The line asked for (the failing one). */
  readonly line: number;
  readonly lines: readonly FileLine[];
  /** The file is binary (a NUL byte near its start): no lines are shown. */
  readonly binary: boolean;
  /** The file has fewer lines than `line`. */
  readonly past_end: boolean;
  /** The file is too large to scan that far; no lines are shown past the limit. */
  readonly scan_limited: boolean;
  /** Where the bytes were read: the version's copy, or the content store when that copy is missing or no longer holds the recorded bytes. */
  readonly from: 'version' | 'cas';
  readonly size_bytes: number;
}

export const readingContract = {
  'files:lines': channel(z.object({
    ref: versionRefSchema,
    relpath,
    line: z.number().int().min(1).max(2_000_000_000),
    context: z.number().int().min(0).max(50).optional(),
  }).strict()).returns<FileLines>(),
} as const;
